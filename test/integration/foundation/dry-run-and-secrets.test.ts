import t, { type Test } from 'tap';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempFolder, removeLabelled, requireEngine, runBin, runBounded } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

t.before(requireEngine);

// The real docker, behind a wrapper that records the exact argv it was given and its TOKEN variable.
async function recordingDocker(t: Test): Promise<{ binDir: string; argvFile: string; tokenFile: string }> {
  const realDocker = (await runBounded('sh', ['-c', 'command -v docker'])).stdout.trim();
  const binDir = makeTempFolder('docker-wrapper');
  t.teardown(() => rmSync(binDir, { recursive: true, force: true }));
  const argvFile = join(binDir, 'argv');
  const tokenFile = join(binDir, 'token');
  const wrapper = join(binDir, 'docker');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nfor arg in "$@"; do printf '%s\\0' "$arg"; done > '${argvFile}'\nprintf '%s' "$TOKEN" > '${tokenFile}'\nexec '${realDocker}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return { binDir, argvFile, tokenFile };
}

t.test(
  'the --dry-run line, parsed by a shell, does what the real run did; secrets are never printed nor in argv',
  async (t) => {
    const secret = `s3cr3t-${Math.random().toString(36).slice(2)} with 'quotes' & $dollar`;
    const fixture = makeProject(
      t,
      [
        '[probe]',
        'environment=-e "GREETING=hello world" -e TOKEN=$PROBE_SECRET',
        'volumes=-v {project_root}:/src:ro',
        'args=--network none --workdir /src',
        `cmd=sh -c 'printf "%%s|" "$$GREETING" "$\${#TOKEN}"; ls /src/docker'`,
      ].join('\n'),
      (suffix) => ({ probe: `FROM busybox\nLABEL dockerutils.test=${suffix}\n` }),
    );
    t.teardown(async () => {
      await removeLabelled(fixture.containerLabel);
      await removeLabelled(fixture.imageLabel);
    });
    const { binDir, argvFile, tokenFile } = await recordingDocker(t);
    const env = {
      ...process.env,
      LOGNAME: 'tester',
      NO_COLOR: '1',
      PROBE_SECRET: secret,
      PATH: `${binDir}:${process.env.PATH}`,
    };
    const opts = { cwd: fixture.root, env, timeoutMs: 120_000 };
    t.equal((await runBin('build-image', ['probe'], opts)).exitCode, 0);

    const name = `probe-${fixture.suffix}`;
    const dryRun = await runBin('run-image', ['probe', '--name', name, '--dry-run'], opts);
    t.equal(dryRun.exitCode, 0, dryRun.stderr);
    t.equal(dryRun.stderr, '', 'a dry run prints its lines on stdout only');
    const line = dryRun.stdout.trim();
    t.equal(line.split('\n').length, 1, 'one line');
    t.match(line, /-e "TOKEN=\$PROBE_SECRET"/);

    const real = await runBin('run-image', ['probe', '--name', name], opts);
    t.equal(real.exitCode, 0, real.stderr);
    t.equal(
      real.stdout,
      `hello world|${secret.length}|dockerutils.cfg\nprobe\n`,
      'the container got the secret and the variables',
    );
    t.equal(real.stderr.trim(), line, 'the echo of the real run is the dry-run line');

    const executed = readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
    const parsed = (await runBounded('sh', ['-c', `printf '%s\\0' ${line.replace(/^docker /, '')}`], { env })).stdout
      .split('\0')
      .slice(0, -1);
    t.notOk(
      executed.some((arg) => arg.includes(secret)),
      'the secret is not in the argv docker got',
    );
    t.equal(readFileSync(tokenFile, 'utf8'), secret, "it is in docker's environment, for -e TOKEN");
    const tokenIndex = executed.indexOf('TOKEN');
    t.equal(executed[tokenIndex - 1], '-e', 'passed by name');
    const withValue = [...executed.slice(0, tokenIndex), `TOKEN=${secret}`, ...executed.slice(tokenIndex + 1)];
    t.same(parsed, withValue, 'the pasted line runs the same argv, the value in place of the name');

    for (const output of [dryRun.stdout, dryRun.stderr, real.stdout, real.stderr]) t.notMatch(output, secret);
  },
);
