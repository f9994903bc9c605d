import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { freePort } from '../../helpers/project-fixture.js';
import { startLocalRegistry, waitForRegistry } from '../../helpers/registry.js';

t.test('publish-image round-trips through a real registry', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));

  // Debian's registry on loopback, which the engine trusts without TLS.
  const dir = t.testdir();
  const port = await freePort();
  startLocalRegistry(t, dir, port);
  await waitForRegistry('127.0.0.1', port);

  const project = `p${suffix}`;
  const root = join(dir, project);
  mkdirSync(join(root, 'docker', 'app'), { recursive: true });
  writeFileSync(join(root, 'docker', 'app', 'Dockerfile'), `FROM busybox\nLABEL ${testLabel}=${suffix}\n`);
  writeFileSync(
    join(root, 'docker', 'dockerutils.cfg'),
    `[app]\npublication_tag = 127.0.0.1:${port}/{user}/{image}:{tag}-$RELEASE\n`,
  );
  const env = { ...process.env, USER: 'ann', RELEASE: 'r1' };
  const built = await runBin('build-image', ['app'], { env, cwd: root, timeoutMs: 120_000 });
  t.equal(built.exitCode, 0, built.stderr);
  const localId = await dockerOk(['image', 'inspect', '--format', '{{.Id}}', `${project}-app:ann`]);

  const published = `127.0.0.1:${port}/ann/${project}-app:ann-r1`;
  const result = await runBin('publish-image', ['app'], { env, cwd: root, timeoutMs: 120_000 });
  t.equal(result.exitCode, 0, result.stderr);
  t.equal(result.stdout, `${published}\n`);
  t.match(
    result.stderr,
    `docker tag ${project}-app:ann "127.0.0.1:${port}/ann/${project}-app:ann-$RELEASE"`,
    'the echo keeps the variable',
  );
  t.match(result.stderr, `docker push "127.0.0.1:${port}/ann/${project}-app:ann-$RELEASE"`);

  await dockerOk(['image', 'rm', published]);
  t.not((await docker(['image', 'inspect', published])).exitCode, 0, 'removed locally');
  await dockerOk(['pull', '-q', published], { timeoutMs: 60_000 });
  t.equal(
    await dockerOk(['image', 'inspect', '--format', '{{.Id}}', published]),
    localId,
    'pulled back with the same id',
  );

  await t.test('an image not built yet is a clear error', async (t) => {
    writeFileSync(
      join(root, 'docker', 'dockerutils.cfg'),
      `[app]\ntag = never-built\npublication_tag = 127.0.0.1:${port}/{image}:{tag}\n`,
    );
    const missing = await runBin('publish-image', ['app'], { env, cwd: root });
    t.equal(missing.exitCode, 1);
    t.match(missing.stderr, /image p\w+-app:never-built is not built: build-image app first/);
  });
});
