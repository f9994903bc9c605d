import { rmSync } from 'node:fs';
import t from 'tap';
import {
  makeTempFolder,
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';

t.before(requireEngine);

t.test('ls-containers lists the project by label, -a adds stopped ones, --image narrows, --all widens', async (t) => {
  const suffix = uniqueSuffix();
  const project = `lsproj${suffix}`;
  const root = t.testdir({
    [project]: { docker: { web: { Dockerfile: 'FROM busybox\n' }, job: { Dockerfile: 'FROM busybox\n' } } },
  });
  const cwd = `${root}/${project}`;
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const run = (name: string, image: string, command: string[]): Promise<string> =>
    dockerOk(
      testContainerArgs(suffix, name, command, {
        labels: [`dockerutils.project=${project}`, `dockerutils.image=${image}`],
      }),
    );
  const webId = await run(`web-${suffix}`, 'web', ['sleep', '300']);
  const jobId = await run(`job-${suffix}`, 'job', ['true']);
  await dockerOk(['wait', jobId]);
  const outsider = await dockerOk(testContainerArgs(suffix, `other-${suffix}`, ['sleep', '300']));

  const table = await runBin('ls-containers', [], { cwd });
  t.equal(table.exitCode, 0, table.stderr);
  const lines = table.stdout.trimEnd().split('\n');
  t.match(lines[0], /^NAME\s+IMAGE\s+STATE\s+STATUS\s+PORTS\s+RUNNING FOR\s+ID$/);
  t.equal(lines.length, 2, 'only the running project container');
  t.match(lines[1], new RegExp(`^web-${suffix}\\s+busybox\\s+running\\s+Up .*${webId.slice(0, 12)}$`));
  t.match(
    table.stderr,
    `docker ps --no-trunc --filter label=dockerutils.project=${project}`,
    'the docker command is echoed',
  );

  const json = await runBin('ls-containers', ['-a', '--json'], { cwd });
  t.equal(json.exitCode, 0, json.stderr);
  const records = JSON.parse(json.stdout) as {
    id: string;
    name: string;
    state: string;
    project: string;
    projectImage: string;
  }[];
  t.same(records.map((record) => record.name).sort(), [`job-${suffix}`, `web-${suffix}`]);
  t.same(records.find((record) => record.id === jobId)?.state, 'exited');
  t.same(records.find((record) => record.id === webId)?.projectImage, 'web');

  const quiet = await runBin('ls-containers', ['-a', '-q', '--image', 'job'], { cwd });
  t.equal(quiet.stdout, `${jobId.slice(0, 12)}\n`);

  const all = await runBin('ls-containers', ['--all', '-q'], { cwd });
  t.ok(all.stdout.split('\n').includes(outsider.slice(0, 12)), '--all includes containers of no project');
  t.notOk(all.stdout.split('\n').includes(jobId.slice(0, 12)), 'without -a no stopped container');
});

t.test('--image outside a project fails with advice', async (t) => {
  // t.testdir() lies inside this repository, which is itself a project.
  const outside = makeTempFolder('ls-containers');
  t.teardown(() => rmSync(outside, { recursive: true, force: true }));
  const result = await runBin('ls-containers', ['--image', 'web'], { cwd: outside });
  t.equal(result.exitCode, 2);
  t.match(result.stderr, /--image web: no docker\/ folder/);
});

t.test('--json says what docker ps says: names, image, state, status, ports, labels, times', async (t) => {
  const suffix = uniqueSuffix();
  const project = `lsjson${suffix}`;
  const cwd = makeTempFolder('ls-containers');
  t.teardown(async () => {
    await removeLabelled(`${testLabel}=${suffix}`);
    rmSync(cwd, { recursive: true, force: true });
  });
  const labels = [`dockerutils.project=${project}`, 'note=a,b=c', 'empty='];
  // Published on the loopback only, on ports the engine picks, plus a range only exposed.
  await dockerOk(
    testContainerArgs(suffix, `ports-${suffix}`, ['sleep', '300'], {
      network: 'bridge',
      labels,
      flags: ['-p', '127.0.0.1::80', '-p', '127.0.0.1::81/udp', '--expose', '90-92'],
    }),
  );
  const stopped = await dockerOk(testContainerArgs(suffix, `stopped-${suffix}`, ['true'], { labels }));
  await dockerOk(['wait', stopped]);
  await dockerOk(testContainerArgs(suffix, `created-${suffix}`, ['true'], { labels, verb: ['create'] }));

  const dockerPs = async (): Promise<Record<string, string>[]> =>
    (await dockerOk(['ps', '-a', '--no-trunc', '--filter', `label=${testLabel}=${suffix}`, '--format', '{{json .}}']))
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
  // STATUS and RUNNING FOR count seconds: ours is taken between two docker ps that agree, so a
  // second that ticks over between the listings cannot tell them apart.
  let [before, ours, theirs] = [
    await dockerPs(),
    await runBin('ls-containers', ['--all', '-a', '--json'], { cwd }),
    await dockerPs(),
  ];
  for (let attempt = 1; attempt < 5 && JSON.stringify(before) !== JSON.stringify(theirs); attempt++) {
    [before, ours, theirs] = [
      await dockerPs(),
      await runBin('ls-containers', ['--all', '-a', '--json'], { cwd }),
      await dockerPs(),
    ];
  }
  t.equal(ours.exitCode, 0, ours.stderr);
  const records = (JSON.parse(ours.stdout) as Record<string, unknown>[]).filter((record) =>
    String(record.name).endsWith(suffix),
  );
  t.equal(records.length, 3);
  for (const docker of theirs) {
    const record = records.find((candidate) => candidate.id === docker.ID);
    if (!t.ok(record, `${docker.Names} listed`)) continue;
    t.equal(record!.name, docker.Names);
    t.equal(record!.image, docker.Image);
    t.equal(record!.state, docker.State);
    t.equal(record!.status, docker.Status, `${docker.Names}: status`);
    t.equal(record!.ports, docker.Ports, `${docker.Names}: ports`);
    t.equal(record!.runningFor, docker.RunningFor, `${docker.Names}: running for`);
    t.same(record!.labels, { [testLabel]: suffix, 'dockerutils.project': project, note: 'a,b=c', empty: '' });
    // docker prints the creation second in the client's zone: `2026-11-30 15:56:27 +0000 UTC`.
    const [day, time, offset] = docker.CreatedAt!.split(' ');
    t.equal(
      Date.parse(String(record!.createdAt)),
      Date.parse(`${day}T${time}${offset!.slice(0, 3)}:${offset!.slice(3)}`),
    );
  }
  // The case worth comparing: a group of exposed ports and two published ones.
  t.match(
    theirs.find((docker) => docker.Names === `ports-${suffix}`)?.Ports,
    /^90-92\/tcp, 127\.0\.0\.1:\d+->80\/tcp, 127\.0\.0\.1:\d+->81\/udp$/,
  );
});
