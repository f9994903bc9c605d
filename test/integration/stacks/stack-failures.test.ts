import { execaSync } from 'execa';
import { hostname } from 'node:os';
import t from 'tap';
import { dockerOk, requireEngine } from '../../helpers/engine.js';
import { labelledLeftovers, removeStackProject, stackFolder, writeStackProject } from '../../helpers/stack-project.js';

const sleeper = ['CMD ["sleep", "3600"]'];
// Past the first test nothing here needs a network: `network = none` spares the engine a bridge
// endpoint per container (and the mass-exit deadlock of the default bridge, moby#42545).

t.test('bad input is refused before anything runs', async (t) => {
  await requireEngine();
  const project = writeStackProject(
    stackFolder(t),
    { web: sleeper, api: sleeper, db: sleeper },
    '[web]\ndepends_on = api\n\n[api]\ndepends_on = db, web\n',
  );
  t.teardown(() => removeStackProject(project));

  await t.test('a dependency cycle names the cycle', async (t) => {
    const result = await project.bin('up-containers', []);
    t.equal(result.exitCode, 2);
    t.equal(result.stderr, 'error: dependency cycle: api -> web -> api (depends_on and uses must not loop)\n');
    t.same(await labelledLeftovers(project), []);
  });

  await t.test('an unknown image in depends_on or uses names the file, line and the closest image', async (t) => {
    project.writeCfg('[web]\ndepends_on = dbb\n\n[api]\nuses = webb\n');
    const result = await project.bin('up-containers', ['web']);
    t.equal(result.exitCode, 2);
    t.equal(
      result.stderr,
      [
        'error: docker/dockerutils.cfg:2 [web] depends_on: unknown image "dbb" (did you mean "db"?); images: api, db, web',
        'docker/dockerutils.cfg:5 [api] uses: unknown image "webb" (did you mean "web"?); images: api, db, web',
        '',
      ].join('\n'),
    );
  });

  await t.test('a dock in docks that is not one is named with its file and line', async (t) => {
    project.writeCfg('[web]\ndepends_on = db\ndocks = nosuchdock\n');
    const result = await project.bin('up-containers', ['web']);
    t.equal(result.exitCode, 2);
    t.match(result.stderr, 'error: docker/dockerutils.cfg:3 [web] docks: no dock named "nosuchdock"');
    t.same(await labelledLeftovers(project), []);
  });

  await t.test('an image that is not built stops the run before anything is created', async (t) => {
    project.writeCfg('[web]\ndepends_on = db\n');
    const result = await project.bin('up-containers', ['web']);
    t.equal(result.exitCode, 2);
    t.match(
      result.stderr,
      `image ${project.name}-db:${project.user} is not on local: build-image db (or up-containers --build)`,
    );
    t.same(await labelledLeftovers(project), []);
  });
});

t.test('a dependency that never becomes healthy stops the run there, with its log', async (t) => {
  await requireEngine();
  const project = writeStackProject(
    stackFolder(t),
    {
      db: ['CMD ["sh", "-c", "echo db is starting; echo db cannot find its data >&2; exec sleep 3600"]'],
      web: sleeper,
    },
    `[db]
args = --health-cmd "test -f /never" --health-interval 1s
network = none

[web]
depends_on = db
network = none
`,
  );
  t.teardown(() => removeStackProject(project));
  const built = await project.bin('up-containers', ['--build', '--wait-timeout', '2']);
  t.equal(built.exitCode, 1, 'exit code 1');
  t.match(
    built.stderr,
    `error: db: container ${project.container('db')} did not become healthy within 2 s (health: `,
    'the error names the dependency',
  );
  t.match(built.stderr, 'not brought up because of it: web');
  t.match(built.stderr, 'last lines of its log:\n  db is starting\n  db cannot find its data');
  const states = await dockerOk([
    'ps',
    '-a',
    '--filter',
    `label=dockerutils.project=${project.name}`,
    '--format',
    '{{.Names}}',
  ]);
  t.equal(states, project.container('db'), 'web was never created');
});

t.test('a failing exec_commands line stops the run and leaves the container to look at', async (t) => {
  await requireEngine();
  const project = writeStackProject(
    stackFolder(t),
    { db: sleeper, web: sleeper },
    '[db]\nexec_commands = true\n    false\nnetwork = none\n\n[web]\ndepends_on = db\nnetwork = none\n',
  );
  t.teardown(() => removeStackProject(project));
  const result = await project.bin('up-containers', ['--build']);
  t.equal(result.exitCode, 1);
  t.match(result.stderr, `exec_commands failed (exit code 1): docker exec ${project.container('db')} false`);
  t.equal(await dockerOk(['inspect', '--format', '{{.State.Status}}', project.container('db')]), 'running');
  t.same(
    (await labelledLeftovers(project)).filter((name) => name.includes('_web_')),
    [],
  );
});

t.test('two up-containers at once: the second waits for the first, and no container is made twice', async (t) => {
  await requireEngine();
  const project = writeStackProject(
    stackFolder(t),
    {
      db: [
        'HEALTHCHECK --interval=1s CMD test -f /ready',
        'CMD ["sh", "-c", "sleep 2; touch /ready; exec sleep 3600"]',
      ],
      web: sleeper,
    },
    '[db]\nnetwork = none\n\n[web]\ndepends_on = db\ninstances = 2\nnetwork = none\n',
  );
  t.teardown(() => removeStackProject(project));
  for (const image of ['db', 'web']) t.equal((await project.bin('build-image', [image])).exitCode, 0);
  const [first, second] = await Promise.all([
    project.bin('up-containers', []),
    new Promise((resolve) => setTimeout(resolve, 300)).then(() => project.bin('up-containers', [])),
  ]);
  t.equal(first!.exitCode, 0, first!.stderr);
  t.equal(second!.exitCode, 0, second!.stderr);
  const outputs = [first!.stdout, second!.stdout].sort();
  const names = [project.container('db'), `${project.container('web')}_1`, `${project.container('web')}_2`];
  t.same(outputs, [
    names.map((name) => `create    ${name}: no container yet\n`).join(''),
    names.map((name) => `unchanged ${name}\n`).join(''),
  ]);
  t.match(first!.stderr + second!.stderr, 'waiting for another up-containers on local (pid ');
  const listed = await dockerOk([
    'ps',
    '-a',
    '--filter',
    `label=dockerutils.project=${project.name}`,
    '--format',
    '{{.Names}}',
  ]);
  t.same(listed.split('\n').sort(), [...names].sort(), 'one container per name');
  t.equal(
    await dockerOk(['ps', '-aq', '--filter', `label=dockerutils.stack-lock=${project.name}_${project.user}`]),
    '',
    'the lock is gone',
  );
});

t.test('orphans are reported, and removed with --remove-orphans', async (t) => {
  await requireEngine();
  const project = writeStackProject(
    stackFolder(t),
    { db: sleeper, old: sleeper },
    '[db]\nnetwork = none\n\n[old]\nnetwork = none\n',
  );
  t.teardown(() => removeStackProject(project));
  t.equal((await project.bin('up-containers', ['--build'])).exitCode, 0);
  project.writeCfg('[db]\nnetwork = none\n');
  const { rmSync } = await import('node:fs');
  rmSync(`${project.root}/docker/old`, { recursive: true });
  const reported = await project.bin('up-containers', []);
  t.equal(reported.exitCode, 0, reported.stderr);
  t.match(
    reported.stderr,
    `orphan ${project.container('old')}: image old is not in the cfg (or not on this engine) any more; --remove-orphans removes it`,
  );
  const removed = await project.bin('up-containers', ['--remove-orphans']);
  t.equal(removed.exitCode, 0, removed.stderr);
  t.notMatch(removed.stderr, 'orphan ');
  const listed = await dockerOk([
    'ps',
    '-a',
    '--filter',
    `label=dockerutils.project=${project.name}`,
    '--format',
    '{{.Names}}',
  ]);
  t.equal(listed, project.container('db'));
});

t.test(
  'a lock left by a process that is gone is taken over; one held elsewhere is waited for, then named',
  async (t) => {
    await requireEngine();
    const project = writeStackProject(stackFolder(t), { db: sleeper }, '[db]\nnetwork = none\n');
    t.teardown(() => removeStackProject(project));
    const lockName = `${project.name}_${project.user}.up-lock`;
    const createLock = (owner: string): Promise<string> =>
      dockerOk([
        'create',
        '--name',
        lockName,
        '--label',
        `dockerutils.stack-lock=${project.name}_${project.user}`,
        '--label',
        `dockerutils.lock-owner=${owner}`,
        '--label',
        'dockerutils.lock-since=2026-01-01T00:00:00.000Z',
        '--network',
        'none',
        'busybox',
        'lock',
      ]);
    t.equal((await project.bin('build-image', ['db'])).exitCode, 0);

    await createLock('elsewhere.example:1234');
    const refused = await project.bin('up-containers', ['--lock-timeout', '1']);
    t.equal(refused.exitCode, 1);
    t.match(
      refused.stderr,
      `error: another up-containers (pid 1234 on elsewhere.example since 2026-01-01T00:00:00.000Z) still holds the lock of stack ${project.name}_${project.user} on local after 1 s: wait for it, or if it is gone, \`docker rm ${lockName}\``,
    );
    t.same(await labelledLeftovers(project), [], 'nothing was created');
    await dockerOk(['rm', lockName]);

    // The pid of a shell that has exited: a holder on this machine that is gone.
    const finished = execaSync('sh', ['-c', 'echo $$']);
    await createLock(`${hostname()}:${finished.stdout.trim()}`);
    const taken = await project.bin('up-containers', []);
    t.equal(taken.exitCode, 0, taken.stderr);
    t.equal(taken.stdout, `create    ${project.container('db')}: no container yet\n`);
    t.equal(
      await dockerOk(['ps', '-aq', '--filter', `name=^${lockName.replace('.', '\\.')}$`]),
      '',
      'the lock is gone',
    );
  },
);
