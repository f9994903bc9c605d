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
