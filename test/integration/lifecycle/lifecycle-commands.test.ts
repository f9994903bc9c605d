import t from 'tap';
import { dockerOk, requireEngine, runBin, testContainerArgs, testLabel, uniqueSuffix } from '../../helpers/engine.js';
import {
  freePortBase,
  projectContainerStates,
  removeTestProject,
  writeHelloProject,
} from '../../helpers/lifecycle-project.js';

const suffix = uniqueSuffix();
const network = `lcnet-${suffix}`;
const plainName = `plain-${suffix}`;

t.test('run-image --count, the lifecycle commands, and --create-only on the real engine', async (t) => {
  await requireEngine();
  const portBase = await freePortBase(3);
  const project = writeHelloProject(t.testdir(), suffix, [`ports=-p ${portBase}:8080`, `network=${network}`]);
  t.teardown(() => removeTestProject(project, suffix));
  const names = [1, 2, 3].map((n) => `${project.user}_hello_${n}`);
  const bin = (name: string, args: string[]): ReturnType<typeof runBin> =>
    runBin(name, args, { cwd: project.root, env: project.env, timeoutMs: 120_000 });

  // A user-defined network: containers on the default bridge exiting together can wedge this engine (moby#42545).
  await dockerOk(['network', 'create', '--label', `${testLabel}=${suffix}`, network]);
  const built = await bin('build-image', ['hello']);
  t.equal(built.exitCode, 0, `build-image hello: ${built.stderr}`);

  await t.test('--count 3 runs three labeled containers serving Hello World! on three ports', async (t) => {
    const run = await bin('run-image', ['hello', '-k', '--count', '3']);
    t.equal(run.exitCode, 0, run.stderr);
    const runLines = run.stderr.split('\n').filter((line) => line.startsWith('docker run'));
    t.same(
      runLines,
      names.map(
        (name, index) =>
          `docker run --init --name ${name} --label dockerutils.project=${project.name} --label dockerutils.image=hello -d --network ${network} -p ${portBase + index}:8080 ${project.name}-hello:${project.user}`,
      ),
    );
    t.same(await projectContainerStates(project), Object.fromEntries(names.map((name) => [name, 'running'])));
    for (const [index] of names.entries())
      t.equal(await fetchPage(portBase + index), 'Hello World!\n', `port ${portBase + index}`);
  });

  await t.test("stop-containers stops exactly the project's containers in one command", async (t) => {
    await dockerOk(testContainerArgs(suffix, plainName, ['sleep', '600']));
    const dryRun = await bin('stop-containers', ['--dry-run']);
    t.equal(dryRun.stdout, `docker stop ${names.join(' ')}\n`, 'a dry run prints the command');
    t.same(
      Object.values(await projectContainerStates(project)),
      ['running', 'running', 'running'],
      'and changes nothing',
    );

    const stop = await bin('stop-containers', ['-t', '2']);
    t.equal(stop.exitCode, 0, stop.stderr);
    t.equal(stop.stderr, `docker stop -t 2 ${names.join(' ')}\n`);
    t.equal(stop.stdout, names.map((name) => `${name}\n`).join(''));
    t.same(await projectContainerStates(project), Object.fromEntries(names.map((name) => [name, 'exited'])));
    t.equal(
      await dockerOk(['inspect', '--format', '{{.State.Status}}', plainName]),
      'running',
      'the plain docker run container is left alone',
    );
  });

  await t.test('a missing target is reported by name while the others proceed', async (t) => {
    const start = await bin('start-containers', [`nosuch-${suffix}`, names[0]!]);
    t.equal(start.exitCode, 1);
    t.match(start.stderr, `error: no such container: nosuch-${suffix}`);
    t.match(start.stderr, `docker start ${names[0]}\n`);
    t.equal(start.stdout, `${names[0]}\n`);
    t.equal((await projectContainerStates(project))[names[0]!], 'running');
  });

  await t.test('rm-containers refuses running containers; --force removes them', async (t) => {
    const rm = await bin('rm-containers', []);
    t.equal(rm.exitCode, 1);
    t.match(rm.stderr, `error: ${names[0]} is running: stop it first, or add --force`);
    t.match(rm.stderr, `docker rm ${names[1]} ${names[2]}\n`);
    t.same(await projectContainerStates(project), { [names[0]!]: 'running' });

    const force = await bin('rm-containers', ['--force']);
    t.equal(force.exitCode, 0, force.stderr);
    t.equal(force.stderr, `docker rm -f ${names[0]}\n`);
    t.same(await projectContainerStates(project), {});
    t.equal(await dockerOk(['inspect', '--format', '{{.State.Status}}', plainName]), 'running');
  });

  await t.test('--create-only creates; start-containers then runs it', async (t) => {
    const name = `created-${suffix}`;
    const create = await bin('run-image', ['hello', '--create-only', '--name', name, '-n', 'none']);
    t.equal(create.exitCode, 0, create.stderr);
    t.match(create.stderr, /^docker create --init --name created-\w+ .* --network none -p \d+:8080 lc\w+-hello:u\w+\n/);
    t.same(await projectContainerStates(project), { [name]: 'created' });
    const start = await bin('start-containers', []);
    t.equal(start.exitCode, 0, start.stderr);
    t.equal(start.stderr, `docker start ${name}\n`);
    t.same(await projectContainerStates(project), { [name]: 'running' });

    for (const [command, state] of [
      ['pause-containers', 'paused'],
      ['unpause-containers', 'running'],
      ['restart-containers', 'running'],
    ] as const) {
      const result = await bin(command, command === 'restart-containers' ? ['-t', '1', name] : [name]);
      t.equal(result.exitCode, 0, `${command}: ${result.stderr}`);
      t.equal(
        result.stderr,
        `docker ${command.replace('-containers', '')}${command === 'restart-containers' ? ' -t 1' : ''} ${name}\n`,
      );
      t.same(await projectContainerStates(project), { [name]: state }, `${command} leaves it ${state}`);
    }
  });
});

async function fetchPage(port: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
      return await response.text();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}
