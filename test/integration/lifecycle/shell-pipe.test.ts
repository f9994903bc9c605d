import t from 'tap';
import { requireEngine, runBin, uniqueSuffix } from '../../helpers/engine.js';
import { projectContainerStates, removeTestProject, writeHelloProject } from '../../helpers/lifecycle-project.js';

const suffix = uniqueSuffix();

t.test('dockerutils shell reading commands from a pipe', async (t) => {
  await requireEngine();
  const project = writeHelloProject(t.testdir(), suffix, ['network=none'], { XDG_STATE_HOME: t.testdir() });
  t.teardown(() => removeTestProject(project, suffix));
  const shell = (script: string): ReturnType<typeof runBin> =>
    runBin('dockerutils', ['shell'], { cwd: project.root, env: project.env, input: script, timeoutMs: 120_000 });
  const name = `piped-${suffix}`;

  await t.test('a script of commands runs in order', async (t) => {
    const result = await shell(
      `# build, create, start\nbuild hello\n\ncreate hello --name ${name}\nstart ${name}\nps\nimages\n`,
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, `docker create --init --name ${name} --label dockerutils.project=${project.name}`);
    t.match(result.stderr, `\ndocker start ${name}\n`);
    t.match(
      result.stdout,
      new RegExp(`^${name} +${project.name}-hello:${project.user} +running`, 'm'),
      'ps shows it running, with its image',
    );
    t.match(
      result.stdout,
      new RegExp(`^hello +${project.name}-hello:${project.user} +\\S+ +\\d`, 'm'),
      'images shows it built',
    );
    t.same(await projectContainerStates(project), { [name]: 'running' });
  });

  await t.test('the first failing command stops the script with its exit code', async (t) => {
    const missing = await shell(`stop -t 1 nosuch-${suffix} ${name}\nimages\n`);
    t.equal(missing.exitCode, 1);
    t.match(missing.stderr, `error: no such container: nosuch-${suffix}`);
    t.equal(missing.stdout, `${name}\n`, 'the existing target was stopped; images never ran');
    t.same(await projectContainerStates(project), { [name]: 'exited' });

    const unknown = await shell('ps\nstrat\nps\n');
    t.equal(unknown.exitCode, 2);
    t.match(unknown.stderr, 'error: unknown command "strat" (did you mean "start"?)');
    t.equal(unknown.stdout.match(/^NAME /gm)?.length, 1, 'only the first ps ran');

    const usage = await shell('logs\n');
    t.equal(usage.exitCode, 2);
    t.match(usage.stderr, 'usage: logs CONTAINER [-f] [-n LINES]');

    const badFlag = await shell('stop --bogus\n');
    t.equal(badFlag.exitCode, 2);
    t.match(badFlag.stderr, "unknown option '--bogus'");
    t.match(badFlag.stderr, 'usage: stop [CONTAINER...] [stop-containers flags]');

    const dockUse = await runBin('dockerutils', ['shell'], {
      cwd: project.root,
      env: { ...project.env, DOCKER_CONFIG: t.testdir() },
      input: 'dock use default\ndock use nosuch-dock\nps\n',
      timeoutMs: 60_000,
    });
    t.equal(dockUse.exitCode, 2, 'a dock that does not exist is a usage error, as for the dock command');
    t.match(dockUse.stderr, 'docker context use default\n');
    t.match(dockUse.stderr, 'error: no dock named "nosuch-dock"');
    t.notMatch(dockUse.stderr, 'docker context use nosuch-dock', 'nothing runs for it');
    t.notMatch(dockUse.stdout, /^NAME /m);

    const unknownContainer = await shell(`logs ${name.slice(0, -1)}\n`);
    t.equal(unknownContainer.exitCode, 1);
    t.match(unknownContainer.stderr, `no such container: ${name.slice(0, -1)} (did you mean "${name}"?)`);
  });
});
