// Values from the environment never reach a command line any user can read (/proc/PID/cmdline):
// docker gets them through its environment, or through a private env file for names it reads itself.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { docker, dockerOk, removeLabelled, repoRoot, requireEngine } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

t.before(requireEngine);

/** The argv of the running process whose command line contains `marker`, read as `ps` would. */
async function cmdlineContaining(marker: string, timeoutMs: number): Promise<{ pid: number; argv: string[] }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let argv: string[];
      try {
        argv = readFileSync(join('/proc', entry, 'cmdline'), 'utf8')
          .split('\0')
          .slice(0, -1);
      } catch {
        continue; // gone meanwhile
      }
      if (argv[0]?.endsWith('docker') && argv.some((arg) => arg.includes(marker))) return { pid: Number(entry), argv };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no docker process with ${marker} in its command line within ${timeoutMs} ms`);
}

t.test('run-image and build-image: the secret is in the container and the image, never in docker argv', async (t) => {
  const secret = `s3cr3t-${Math.random().toString(36).slice(2)}`;
  const fixture = makeProject(
    t,
    [
      '[probe]',
      'environment=-e TOKEN=$PROBE_SECRET -e DB_URL=postgres://app:$PROBE_SECRET@db/app -e DOCKER_HOST=x$PROBE_SECRET',
      'build_args=--build-arg BUILD_TOKEN=$PROBE_SECRET',
      'args=--network none',
      'cmd=sleep 60',
    ].join('\n'),
    (suffix) => ({
      probe: `FROM busybox\nLABEL dockerutils.test=${suffix}\nARG BUILD_TOKEN\nRUN sleep 3 && echo "$BUILD_TOKEN" > /token\n`,
    }),
  );
  t.teardown(async () => {
    await removeLabelled(fixture.containerLabel);
    await removeLabelled(fixture.imageLabel);
  });
  const env = { ...process.env, LOGNAME: 'tester', NO_COLOR: '1', PROBE_SECRET: secret };

  const build = execa(process.execPath, [join(repoRoot, 'bin', 'build-image.js'), 'probe'], {
    cwd: fixture.root,
    env,
    reject: false,
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  const building = await cmdlineContaining('--build-arg', 60_000);
  t.ok(building.argv.includes('BUILD_TOKEN'), `the build argument is passed by name: ${building.argv.join(' ')}`);
  t.notOk(building.argv.join('\0').includes(secret), 'the secret is not in the build command line');
  const built = await build;
  t.equal(built.exitCode, 0, String(built.stderr));
  const reference = String(built.stdout).trim();
  t.equal(await dockerOk(['run', '--rm', '--network', 'none', reference, 'cat', '/token']), secret, 'the build got it');

  const name = `secret-${fixture.suffix}`;
  const run = execa(process.execPath, [join(repoRoot, 'bin', 'run-image.js'), 'probe', '--name', name], {
    cwd: fixture.root,
    env,
    reject: false,
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  t.teardown(() => {
    run.kill('SIGKILL');
  });
  const running = await cmdlineContaining(name, 60_000);
  t.notOk(
    running.argv.join('\0').includes(secret),
    `the secret is not in the run command line: ${running.argv.join(' ')}`,
  );
  t.ok(running.argv.includes('TOKEN') && running.argv.includes('DB_URL'), 'values pass by name');
  const envFile = running.argv[running.argv.indexOf('--env-file') + 1]!;
  t.ok(envFile && existsSync(envFile), 'a name docker reads itself goes through a private env file');
  t.equal(statSync(envFile).mode & 0o077, 0, 'only its owner may read it');

  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    const state = await docker(['inspect', '--format', '{{.State.Running}}', name], { timeoutMs: 10_000 });
    if (state.stdout.trim() === 'true') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.equal(await dockerOk(['exec', name, 'sh', '-c', 'printf %s "$TOKEN"'], { timeoutMs: 30_000 }), secret);
  t.equal(
    await dockerOk(['exec', name, 'sh', '-c', 'printf %s "$DB_URL"'], { timeoutMs: 30_000 }),
    `postgres://app:${secret}@db/app`,
  );
  t.equal(await dockerOk(['exec', name, 'sh', '-c', 'printf %s "$DOCKER_HOST"'], { timeoutMs: 30_000 }), `x${secret}`);
  await dockerOk(['rm', '-f', name], { timeoutMs: 30_000 });
  await run;
  t.notOk(existsSync(envFile), 'the env file is gone when docker ends');
});
