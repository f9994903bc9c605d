import t, { type Test } from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerOk, removeLabelled, requireEngine, runBin, runBounded, uniqueSuffix } from '../../helpers/engine.js';

t.before(requireEngine);

const oci = 'org.opencontainers.image';

/** A project outside any git checkout (tap's fixtures live inside this repository's), and its cleanup. */
function projectInTmp(t: Test, files: Record<string, string>): { root: string; name: string; suffix: string } {
  const suffix = uniqueSuffix();
  const parent = mkdtempSync(join(tmpdir(), 'du-version-'));
  const name = `duver-${suffix}`;
  const root = join(parent, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text.replaceAll('SUFFIX', suffix));
  }
  t.teardown(async () => {
    await removeLabelled(`dockerutils.test=${suffix}`);
    rmSync(parent, { recursive: true, force: true });
  });
  return { root, name, suffix };
}

/** The real git behind a wrapper that logs each call's arguments, one line per call. */
function countingGit(t: Test): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'du-git-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec /usr/bin/git "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return {
    env: { ...process.env, LOGNAME: 'tester', NO_COLOR: '1', PATH: `${dir}:${process.env.PATH ?? ''}` },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

async function git(root: string, ...args: string[]): Promise<string> {
  const result = await runBounded(
    'git',
    ['-c', 'user.name=Tester', '-c', 'user.email=tester@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd: root, timeoutMs: 20_000 },
  );
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

async function labels(reference: string): Promise<Record<string, string>> {
  return JSON.parse(await dockerOk(['image', 'inspect', '--format', '{{json .Config.Labels}}', reference])) as Record<
    string,
    string
  >;
}

const helloDockerfile = 'FROM busybox\nLABEL dockerutils.test=SUFFIX\n';

t.test('outside a git checkout: no labels, nothing said, no git call', async (t) => {
  const project = projectInTmp(t, { 'docker/hello/Dockerfile': helloDockerfile });
  const { env, calls } = countingGit(t);
  const build = await runBin('build-image', ['hello'], { cwd: project.root, env, timeoutMs: 120_000 });
  t.equal(build.exitCode, 0, build.stderr);
  t.notMatch(build.stderr, '--label');
  t.notMatch(build.stderr, /warning|version/i);
  t.same(calls(), [], 'git was not run');
  const found = await labels(`${project.name}-hello:tester`);
  t.same(
    Object.keys(found).filter((key) => key.startsWith(oci)),
    [],
  );
});

t.test('in a checkout: the OCI labels from one git call, as git describe says it, clean and dirty', async (t) => {
  const project = projectInTmp(t, {
    'docker/hello/Dockerfile': helloDockerfile,
    'docker/dockerutils.cfg': '[hello]\nversion_file = build/VERSION\n',
    'app.txt': 'one\n',
  });
  await git(project.root, 'init', '-q');
  await git(project.root, 'remote', 'add', 'origin', 'https://deploy:t0ken@git.example.com/team/app.git');
  await git(project.root, 'add', '.');
  await git(project.root, 'commit', '-q', '-m', 'first');
  await git(project.root, 'tag', 'v1.0');
  const { env, calls } = countingGit(t);
  const opts = { cwd: project.root, env, timeoutMs: 120_000 };
  const reference = `${project.name}-hello:tester`;

  const before = Date.now();
  const tagged = await runBin('build-image', ['hello'], opts);
  t.equal(tagged.exitCode, 0, tagged.stderr);
  t.same(calls(), ['describe --tags --always --dirty --long'], 'one git call');
  const revision = await git(project.root, 'rev-parse', 'HEAD');
  const found = await labels(reference);
  t.equal(found[`${oci}.version`], 'v1.0');
  t.equal(found[`${oci}.revision`], revision);
  t.equal(found[`${oci}.source`], 'https://git.example.com/team/app.git', 'no credentials');
  const created = Date.parse(found[`${oci}.created`]!);
  t.ok(created >= Math.floor(before / 1000) * 1000 && created <= Date.now(), `created ${found[`${oci}.created`]}`);
  t.match(tagged.stderr, `--label ${oci}.version=v1.0 --label ${oci}.revision=${revision}`, 'echoed');
  t.notMatch(tagged.stderr + tagged.stdout, 't0ken');
  t.equal(readFileSync(join(project.root, 'build', 'VERSION'), 'utf8'), 'v1.0\n', 'version_file');
  t.match(tagged.stderr, 'wrote build/VERSION (version v1.0)');

  writeFileSync(join(project.root, 'app.txt'), 'two\n');
  await git(project.root, 'commit', '-q', '-am', 'second');
  writeFileSync(join(project.root, 'app.txt'), 'three\n');
  const described = await git(project.root, 'describe', '--tags', '--always', '--dirty');
  t.match(described, /^v1\.0-1-g[0-9a-f]+-dirty$/);
  const dirty = await runBin('build-image', ['hello'], opts);
  t.equal(dirty.exitCode, 0, dirty.stderr);
  t.equal((await labels(reference))[`${oci}.version`], described, 'exactly what git describe prints');
  t.equal(readFileSync(join(project.root, 'build', 'VERSION'), 'utf8'), `${described}\n`);

  const listed = await runBin('ls-images', ['--json'], opts);
  t.equal(listed.exitCode, 0, listed.stderr);
  t.match(JSON.parse(listed.stdout), [{ image: 'hello', built: true, version: described }]);
  const table = await runBin('ls-images', [], opts);
  t.match(table.stdout, /^IMAGE\s+REFERENCE\s+VERSION\s+SIZE/);
  t.match(table.stdout, new RegExp(`\\nhello\\s+\\S+\\s+${described}\\s`));

  const dryRun = await runBin('build-image', ['hello', '--dry-run'], opts);
  t.equal(dryRun.exitCode, 0, dryRun.stderr);
  t.match(dryRun.stdout, `--label ${oci}.version=${described}`, 'a dry run shows the labels too');
  t.match(dryRun.stderr, 'would write build/VERSION');
});

t.test(
  "[versioneer] in setup.cfg: _version.py.bld as the Python dockerutils writes it, ADDed by the Python dockerutils' cicd Dockerfile",
  async (t) => {
    const project = projectInTmp(t, {
      // docker/cicd/Dockerfile of the Python dockerutils, on busybox.
      'docker/cicd/Dockerfile':
        'FROM busybox\nLABEL dockerutils.test=SUFFIX\nADD ./_version.py.bld /workdir/dockerutils/_version.py\n',
      'setup.cfg':
        '[versioneer]\nVCS = git\nstyle = pep440\nversionfile_source = dockerutils/_version.py\ntag_prefix = v\n',
      'dockerutils/__init__.py': '',
      '.gitignore': '_version.py.bld\n',
    });
    await git(project.root, 'init', '-q');
    await git(project.root, 'add', '.');
    await git(project.root, 'commit', '-q', '-m', 'first');
    await git(project.root, 'tag', 'not-a-release');
    const opts = { cwd: project.root, env: { ...process.env, LOGNAME: 'tester', NO_COLOR: '1' }, timeoutMs: 120_000 };
    const reference = `${project.name}-cicd:tester`;
    const versionsIn = async (): Promise<Record<string, unknown>> => {
      const text = await dockerOk([
        'run',
        '--rm',
        '--network',
        'none',
        reference,
        'cat',
        '/workdir/dockerutils/_version.py',
      ]);
      t.equal(text, readFileSync(join(project.root, '_version.py.bld'), 'utf8').trim(), 'the image holds the file');
      // Python itself reads the file as versioneer's frozen _version.py.
      const python = await runBounded(
        'python3',
        [
          '-c',
          'import json,sys; ns={}; exec(open(sys.argv[1]).read(), ns); print(json.dumps(ns["get_versions"]()))',
          join(project.root, '_version.py.bld'),
        ],
        { timeoutMs: 20_000 },
      );
      t.equal(python.exitCode, 0, python.stderr);
      return JSON.parse(python.stdout) as Record<string, unknown>;
    };
    const revision = await git(project.root, 'rev-parse', 'HEAD');
    const short = revision.slice(0, 7);
    const date = (await git(project.root, 'show', '-s', '--format=%ci', 'HEAD')).replace(' ', 'T').replace(' ', '');

    const untagged = await runBin('build-image', ['cicd'], opts);
    t.equal(untagged.exitCode, 0, untagged.stderr);
    t.match(untagged.stderr, 'wrote _version.py.bld (version 0+untagged.1.g');
    t.same(
      await versionsIn(),
      { date, dirty: false, error: null, 'full-revisionid': revision, version: `0+untagged.1.g${short}` },
      'only v-prefixed tags count, as versioneer asks git',
    );

    await git(project.root, 'tag', 'v2.1');
    writeFileSync(join(project.root, 'dockerutils', '__init__.py'), 'x = 1\n');
    await git(project.root, 'commit', '-q', '-am', 'second');
    writeFileSync(join(project.root, 'dockerutils', '__init__.py'), 'x = 2\n');
    const second = await git(project.root, 'rev-parse', 'HEAD');
    const secondDate = (await git(project.root, 'show', '-s', '--format=%ci', 'HEAD'))
      .replace(' ', 'T')
      .replace(' ', '');
    const dirty = await runBin('build-image', ['cicd'], opts);
    t.equal(dirty.exitCode, 0, dirty.stderr);
    t.same(await versionsIn(), {
      date: secondDate,
      dirty: true,
      error: null,
      'full-revisionid': second,
      version: `2.1+1.g${second.slice(0, 7)}.dirty`,
    });
  },
);

t.test('in a checkout but without git on PATH: the build goes on without labels, and says why', async (t) => {
  const project = projectInTmp(t, { 'docker/hello/Dockerfile': helloDockerfile });
  await git(project.root, 'init', '-q');
  await git(project.root, 'add', '.');
  await git(project.root, 'commit', '-q', '-m', 'first');
  const bin = mkdtempSync(join(tmpdir(), 'du-nogit-'));
  t.teardown(() => rmSync(bin, { recursive: true, force: true }));
  const docker = (await runBounded('sh', ['-c', 'command -v docker'])).stdout.trim();
  symlinkSync(docker, join(bin, 'docker'));
  const build = await runBin('build-image', ['hello'], {
    cwd: project.root,
    env: { ...process.env, LOGNAME: 'tester', NO_COLOR: '1', PATH: bin },
    timeoutMs: 120_000,
  });
  t.equal(build.exitCode, 0, build.stderr);
  t.match(build.stderr, 'warning: git is not installed: images are built without version labels\n');
  t.notMatch(build.stderr, '--label');
});
