import t from 'tap';
import { docker, dockerOk, removeLabelled, requireEngine, runBin } from '../../helpers/engine.js';
import { fetchWhenReady, freePort, helloDockerfile, makeProject } from '../../helpers/project-fixture.js';

const env = { ...process.env, LOGNAME: 'tester', NO_COLOR: '1' };

t.before(requireEngine);

t.test('build, run -k over HTTP, run -c exit codes, clean', async (t) => {
  const port = await freePort();
  const fixture = makeProject(t, `[hello]\nports=-p 127.0.0.1:${port}:8080\n`, (suffix) => ({
    hello: helloDockerfile(suffix),
    multi: `FROM busybox AS builder\nLABEL dockerutils.test=${suffix}\nRUN echo built > /artifact\nFROM busybox\nLABEL dockerutils.test=${suffix}\nCOPY --from=builder /artifact /artifact\n`,
  }));
  t.teardown(async () => {
    await removeLabelled(fixture.containerLabel);
    await removeLabelled(fixture.imageLabel);
  });
  const opts = { cwd: fixture.root, env, timeoutMs: 120_000 };

  const build = await runBin('build-image', ['hello'], opts);
  t.equal(build.exitCode, 0, build.stderr);
  // The fixture lives inside this repository's checkout, so its version labels come along.
  t.match(
    build.stderr,
    new RegExp(
      `docker build --compress -t ${fixture.name}-hello:tester -f docker/hello/Dockerfile( --label org\\.opencontainers\\.image\\.\\S+)* \\.\\n`,
    ),
    'echoes the exact command',
  );
  t.match(build.stdout + build.stderr, /Successfully (built|tagged)|naming to/, "docker's own output streams through");
  t.equal(
    await dockerOk([
      'image',
      'inspect',
      '--format',
      '{{index .Config.Labels "dockerutils.test"}}',
      `${fixture.name}-hello:tester`,
    ]),
    fixture.suffix,
  );

  const multi = await runBin('build-image', ['multi'], opts);
  t.equal(multi.exitCode, 0, multi.stderr);
  t.match(
    multi.stderr,
    new RegExp(
      `docker build --compress -t ${fixture.name}-multi-builder:tester -f docker/multi/Dockerfile --target builder( --label \\S+)* \\.\\n`,
    ),
  );
  await dockerOk(['image', 'inspect', `${fixture.name}-multi-builder:tester`]);
  await dockerOk(['image', 'inspect', `${fixture.name}-multi:tester`]);

  const run = await runBin('run-image', ['hello', '-k'], opts);
  t.equal(run.exitCode, 0, run.stderr);
  const containerId = run.stdout.trim();
  t.match(containerId, /^[0-9a-f]{64}$/, 'docker run -d prints the id on stdout');
  t.equal(await fetchWhenReady(`http://127.0.0.1:${port}/`), 'Hello World!\n');
  const labels = JSON.parse(await dockerOk(['inspect', '--format', '{{json .Config.Labels}}', containerId])) as Record<
    string,
    string
  >;
  t.equal(labels['dockerutils.project'], fixture.name);
  t.equal(labels['dockerutils.image'], 'hello');
  t.match(
    await dockerOk(['inspect', '--format', '{{.Name}}', containerId]),
    /^\/tester_hello_\d\d-\d\d-\d\d_\d\d\.\d\d\.\d\d$/,
  );

  // A non-terminal stdin (as in CI and npm scripts): no -t, and the command's exit code is ours.
  const ok = await runBin('run-image', ['multi', '-c', 'cat /artifact'], opts);
  t.equal(ok.exitCode, 0, ok.stderr);
  t.equal(ok.stdout, 'built\n');
  t.notMatch(ok.stderr, /not a TTY/);
  const failing = await runBin('run-image', ['multi', '-c', 'sh -c "exit 3"'], opts);
  t.equal(failing.exitCode, 3, "the container command's exit code");
  t.notMatch(failing.stderr, /error/i, 'a command that exits non-zero is not a dockerutils error');

  await docker(['rm', '-f', containerId]);
  const clean = await runBin('build-image', ['clean'], opts);
  t.equal(clean.exitCode, 0, clean.stderr);
  t.match(
    clean.stderr,
    `docker image rm ${fixture.name}-hello:tester ${fixture.name}-multi:tester ${fixture.name}-multi-builder:tester`,
  );
  for (const reference of ['hello', 'multi', 'multi-builder']) {
    t.not(
      (await docker(['image', 'inspect', `${fixture.name}-${reference}:tester`])).exitCode,
      0,
      `${reference} is gone`,
    );
  }
  const again = await runBin('build-image', ['clean'], opts);
  t.equal(again.exitCode, 0, 'clean does not fail on absent images');
  t.match(again.stderr, `${fixture.name}-hello:tester: not present`);
});

t.test(
  'pre and post build scripts run from the project root, echoed; a failing pre script stops the build',
  async (t) => {
    const fixture = makeProject(
      t,
      '[app]\npre_build_script=echo "pre in $(pwd)" > pre.txt\npost_build_script=echo post > post.txt\n[broken]\npre_build_script=exit 7\n',
      (suffix) => ({
        app: `FROM busybox\nLABEL dockerutils.test=${suffix}\n`,
        broken: `FROM busybox\nLABEL dockerutils.test=${suffix}\n`,
      }),
    );
    t.teardown(() => removeLabelled(fixture.imageLabel));
    const opts = { cwd: `${fixture.root}/docker/app`, env, timeoutMs: 120_000 };
    const build = await runBin('build-image', ['app'], opts);
    t.equal(build.exitCode, 0, build.stderr);
    t.match(build.stderr, `sh -c 'echo "pre in $(pwd)" > pre.txt'`);
    const { readFileSync } = await import('node:fs');
    t.equal(readFileSync(`${fixture.root}/pre.txt`, 'utf8'), `pre in ${fixture.root}\n`);
    t.equal(readFileSync(`${fixture.root}/post.txt`, 'utf8'), 'post\n');

    const broken = await runBin('build-image', ['broken'], opts);
    t.equal(broken.exitCode, 7);
    t.match(broken.stderr, 'error: pre_build_script failed with exit code 7');
    t.notMatch(broken.stderr, 'docker build', 'the build did not start');
  },
);
