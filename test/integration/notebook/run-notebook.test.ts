import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  spawnBin,
  testLabel,
  uniqueSuffix,
  type BoundedOptions,
} from '../../helpers/engine.js';
import { fetchWhenReady, freePort } from '../../helpers/project-fixture.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';
import { TmuxServer } from '../../helpers/tmux.js';
import { waitFor } from '../../helpers/wait.js';

const notebookFolder = join(repoRoot, 'docker', 'notebook');
const suffix = uniqueSuffix();
// The repository's own stand-in notebook image, built once under a name no registry has.
const image = `dunb-${suffix}:test`;

t.before(async () => {
  await requireEngine();
  const context = mkdtempSync(join(tmpdir(), 'du-notebook-'));
  try {
    mkdirSync(join(context, 'docker', 'notebook'), { recursive: true });
    for (const file of ['Dockerfile', 'serve.sh'])
      copyFileSync(join(notebookFolder, file), join(context, 'docker', 'notebook', file));
    await dockerOk(
      ['build', '-q', '--label', `${testLabel}=${suffix}`, '-t', image, '-f', 'docker/notebook/Dockerfile', '.'],
      { cwd: context, timeoutMs: 120_000 },
    );
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
});
t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));

/** A project folder with the given files; its containers are removed at the end of the test. */
function project(t: Test, files: Record<string, string>): { root: string; name: string } {
  const name = `dunbp-${uniqueSuffix()}`;
  const parent = mkdtempSync(join(tmpdir(), 'du-notebook-project-'));
  t.teardown(() => rmSync(parent, { recursive: true, force: true }));
  const root = join(parent, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  t.teardown(() => removeLabelled(`dockerutils.project=${name}`));
  return { root, name };
}

/** run-notebook in the background, as a user runs it (with `home` as runBin takes it); SIGKILLed at teardown at the latest. */
function startNotebook(t: Test, args: readonly string[], options: BoundedOptions) {
  const child = spawnBin(t, 'run-notebook', args, options);
  const stdout = (): string => child.output().stdout;
  const stderr = (): string => child.output().stderr;
  return {
    child,
    stdout,
    stderr,
    /** The URL line, once printed. */
    url: async (): Promise<string> => {
      await waitFor('the URL', () => stdout().includes('\n') || child.exitCode !== null, 120_000);
      t.equal(child.exitCode, null, `still running: ${stderr()}`);
      return stdout().split('\n')[0]!;
    },
  };
}

function listen(port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function containersOf(projectName: string): Promise<string[]> {
  return (await dockerOk(['ps', '-aq', '--filter', `label=dockerutils.project=${projectName}`]))
    .split('\n')
    .filter(Boolean);
}

const baseEnv: NodeJS.ProcessEnv = { ...process.env, LOGNAME: 'tester', NO_COLOR: '1' };
delete baseEnv.DOCKER_DS_DONT_PULL;
delete baseEnv.RESERO_JUPYTER_DIFFS;

t.test(
  'a config-only image: pulled (the failed pull of a present image is a warning), the current folder as the work folder, the first free port, the URL with its token, Ctrl-C stops it',
  async (t) => {
    const { root, name } = project(t, {
      'docker/dockerutils.cfg': `[notebook]\nname = dunb-${suffix}\ntag = test\nprefix = False\nenvironment = -e FROM_CFG=yes\n`,
      'notebooks/marker.txt': `marker ${suffix}\n`,
    });
    const taken = await freePort();
    const holder = await listen(taken);
    t.teardown(() => holder.close());
    const env = { ...baseEnv, RESERO_JUPYTER_DIFFS: '1' };
    const notebook = startNotebook(t, ['--port', String(taken)], { cwd: join(root, 'notebooks'), env });

    const url = await notebook.url();
    const port = Number(new URL(url).port);
    t.ok(port > taken, `port ${taken} is taken here: the notebook got ${port}`);
    t.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/lab\\?token=[0-9a-f]{32}$`));
    const token = new URL(url).searchParams.get('token');
    t.equal(await fetchWhenReady(url), `token ${token}\n`, 'the URL opens the server, whose token it carries');
    t.equal(await fetchWhenReady(`http://127.0.0.1:${port}/work/marker.txt`), `marker ${suffix}\n`, 'the work folder');
    t.equal(await fetchWhenReady(`http://127.0.0.1:${port}/env.txt`), 'RESERO_JUPYTER_DIFFS=1\n');

    const stderr = notebook.stderr();
    t.match(stderr, `docker pull dunb-${suffix}:test\n`, 'the pull is echoed');
    t.match(
      stderr,
      new RegExp(`warning: docker pull dunb-${suffix}:test failed \\(.+\\): running the image already on local`),
    );
    t.match(
      stderr,
      new RegExp(
        `docker run --init --name tester_notebook_\\S+ --label dockerutils\\.project=${name} --label dockerutils\\.image=notebook -e FROM_CFG=yes -e RESERO_JUPYTER_DIFFS --rm -d -v ${join(root, 'notebooks').replaceAll('.', '\\.')}:/home/jovyan/work -p ${port}:8888 dunb-${suffix}:test\\n`,
      ),
      'the docker run line: the section, then the work folder and the port',
    );
    t.match(stderr, /Jupyter Server is running at:/, "the server's output is shown");
    const [id] = await containersOf(name);
    t.ok(id, 'the container runs');
    t.match(await dockerOk(['inspect', '--format', '{{json .Config.Env}}', id!]), 'FROM_CFG=yes');

    notebook.child.kill('SIGINT');
    const ended = await notebook.child;
    t.equal(ended.exitCode, 0, notebook.stderr());
    t.match(notebook.stderr(), /docker stop tester_notebook_\S+\ntester_notebook_\S+ stopped\n$/);
    let left: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      left = await containersOf(name);
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    t.same(left, [], 'Ctrl-C stopped and removed the container');
  },
);

t.test("DOCKER_DS_DONT_PULL: no pull; the section's own mapping of 8888 gives way to the chosen port", async (t) => {
  const { root } = project(t, {
    'docker/dockerutils.cfg': `[notebook]\nname = dunb-${suffix}\ntag = test\nprefix = False\nports = -p 8888:8888 -p 127.0.0.1::9999\n`,
  });
  const port = await freePort();
  const notebook = startNotebook(t, ['--port', String(port)], {
    cwd: root,
    env: { ...baseEnv, DOCKER_DS_DONT_PULL: '1' },
  });
  const url = await notebook.url();
  t.equal(new URL(url).port, String(port));
  t.equal(
    await fetchWhenReady(`http://127.0.0.1:${port}/env.txt`),
    'RESERO_JUPYTER_DIFFS=unset\n',
    'not set: not passed',
  );
  t.notMatch(notebook.stderr(), 'docker pull');
  t.match(notebook.stderr(), ` -p 127.0.0.1::9999 -p ${port}:8888 dunb-${suffix}:test\n`);
  t.notMatch(notebook.stderr(), '-p 8888:8888');
  notebook.child.kill('SIGINT');
  t.equal((await notebook.child).exitCode, 0);
});

t.test(
  'Ctrl-C on a terminal (the whole foreground group gets SIGINT): the container still stops and goes',
  async (t) => {
    const { root, name } = project(t, {
      'docker/dockerutils.cfg': `[notebook]\nname = dunb-${suffix}\ntag = test\nprefix = False\n`,
    });
    const tmux = new TmuxServer(`du-nb-${suffix}`);
    t.teardown(() => tmux.kill());
    const port = await freePort();
    await tmux.start('nb', root, [
      'env',
      'LOGNAME=tester',
      'DOCKER_DS_DONT_PULL=1',
      process.execPath,
      join(repoRoot, 'bin', 'run-notebook.js'),
      '--port',
      String(port),
    ]);
    const screen = await tmux.waitFor(
      'nb',
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/lab\\?token=[0-9a-f]{32}$`, 'm'),
      120_000,
    );
    t.equal((await containersOf(name)).length, 1, `running: ${screen}`);
    await tmux.key('nb', 'C-c');
    await tmux.waitForEnd('nb', 60_000);
    let left: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      left = await containersOf(name);
      if (left.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    t.same(left, [], 'stopped and removed');
  },
);

t.test('docker/notebook of the project is built, not pulled', async (t) => {
  const { root, name } = project(t, {
    'docker/notebook/Dockerfile': `${readFileSync(join(notebookFolder, 'Dockerfile'), 'utf8')}LABEL ${testLabel}=${suffix}\n`,
    'docker/notebook/serve.sh': readFileSync(join(notebookFolder, 'serve.sh'), 'utf8'),
  });
  const port = await freePort();
  const notebook = startNotebook(t, ['--port', String(port)], { cwd: root, env: baseEnv });
  const url = await notebook.url();
  t.match(await fetchWhenReady(url), /^token [0-9a-f]{32}\n$/);
  t.match(notebook.stderr(), `docker build --compress -t ${name}-notebook:tester -f docker/notebook/Dockerfile`);
  t.notMatch(notebook.stderr(), 'docker pull');
  notebook.child.kill('SIGINT');
  t.equal((await notebook.child).exitCode, 0);
});

t.test('bad input and a missing image: one line each', async (t) => {
  const { root } = project(t, {
    'docker/dockerutils.cfg': `[notebook]\nname = dunb-absent-${suffix}\nprefix = False\n[other]\nports = -p 1:1\n`,
  });
  const absent = await runBin('run-notebook', [], { cwd: root, env: baseEnv, timeoutMs: 60_000 });
  t.equal(absent.exitCode, 1);
  t.match(
    absent.stderr,
    new RegExp(
      `\\nerror: cannot pull dunb-absent-${suffix}:tester \\(.+\\), and local does not have it: check the image's name in \\[notebook\\]`,
    ),
  );
  const none = project(t, { 'docker/dev/Dockerfile': 'FROM busybox\n' });
  const noNotebook = await runBin('run-notebook', [], { cwd: none.root, env: baseEnv });
  t.equal(noNotebook.exitCode, 2);
  t.match(
    noNotebook.stderr,
    /^error: no notebook image in \S+: add docker\/notebook\/Dockerfile, or a \[notebook\] section/,
  );
  const unknown = await runBin('run-notebook', ['nope'], { cwd: none.root, env: baseEnv });
  t.equal(unknown.exitCode, 2);
  t.match(unknown.stderr, /^error: unknown image "nope"/);
  const badPort = await runBin('run-notebook', ['--port', '70000'], { cwd: root, env: baseEnv });
  t.equal(badPort.exitCode, 2);
  t.match(badPort.stderr, /--port/);
});

t.test('--dry-run prints the pull and the run, and runs nothing', async (t) => {
  const { root, name } = project(t, {
    'docker/dockerutils.cfg': `[notebook]\nname = dunb-${suffix}\ntag = test\nprefix = False\n`,
  });
  const port = await freePort();
  const dry = await runBin('run-notebook', ['--port', String(port), '--dry-run'], { cwd: root, env: baseEnv });
  t.equal(dry.exitCode, 0, dry.stderr);
  t.match(
    dry.stdout,
    new RegExp(
      `^docker pull dunb-${suffix}:test\\ndocker run --init --name tester_notebook_\\S+ .* -p ${port}:8888 dunb-${suffix}:test\\n$`,
    ),
  );
  t.same(await containersOf(name), []);
});

t.test('--dock: runs on the dock, forwards the port over the shared ssh connection, Ctrl-C stops both', async (t) => {
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  await loadImageIntoRig(rig, image);
  await loadImageIntoRig(rig, 'busybox:latest');
  const env: NodeJS.ProcessEnv = { ...rig.clientEnv, LOGNAME: 'tester', NO_COLOR: '1' };
  delete env.DOCKER_DS_DONT_PULL;
  const client = { ...rig.client, env };
  const dock = `nb${suffix}`;
  await addRigDock(rig, dock, client);
  const { root, name } = project(t, {
    'docker/dockerutils.cfg': `[notebook]\nname = dunb-${suffix}\ntag = test\nprefix = False\n`,
  });
  // The first port is free here but taken on the dock: the dock's side moves on, this side keeps it.
  const port = await freePort();
  await rigDockerOk(rig, ['run', '-d', '-p', `${port}:80`, 'busybox', 'httpd', '-f', '-p', '80']);

  const notebook = startNotebook(t, ['--dock', dock, '--port', String(port)], { ...client, cwd: root });
  const url = await notebook.url();
  t.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/lab\\?token=[0-9a-f]{32}$`), 'the URL opens here');
  const token = new URL(url).searchParams.get('token');
  t.equal(await fetchWhenReady(url), `token ${token}\n`, 'through the forward, the server on the dock answers');
  const stderr = notebook.stderr();
  t.match(stderr, `docker --context ${dock} pull dunb-${suffix}:test`);
  t.match(stderr, new RegExp(`port ${port} is taken \\(.+\\): trying ${port + 1}`));
  t.match(stderr, ` -p ${port + 1}:8888 dunb-${suffix}:test\n`);
  t.match(stderr, `ssh -O forward -L 127.0.0.1:${port}:127.0.0.1:${port + 1} -l root -- ${rig.address}\n`);
  t.match(stderr, 'is not mounted', 'says that this folder is not on the dock');
  t.notMatch(stderr, '/home/jovyan/work');
  const onDock = await rigDockerOk(rig, ['ps', '-q', '--filter', `label=dockerutils.project=${name}`]);
  t.not(onDock, '', 'the container runs on the dock');
  t.same(await containersOf(name), [], 'not on the local engine');

  notebook.child.kill('SIGINT');
  const ended = await notebook.child;
  t.equal(ended.exitCode, 0, notebook.stderr());
  t.match(notebook.stderr(), `ssh -O cancel -L 127.0.0.1:${port}:127.0.0.1:${port + 1} -l root -- ${rig.address}\n`);
  t.notOk(await accepts(port), 'the forward is gone');
  let left = 'x';
  for (let attempt = 0; attempt < 50 && left !== ''; attempt++) {
    left = await rigDockerOk(rig, ['ps', '-aq', '--filter', `label=dockerutils.project=${name}`]);
    if (left !== '') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.equal(left, '', 'the container on the dock is stopped and removed');
  await docker(['context', 'rm', '-f', dock], client);
});
