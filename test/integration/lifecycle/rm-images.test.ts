import t from 'tap';
import { docker, removeLabelled, requireEngine, runBin, testLabel } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

t.test('rm-images removes some images, refuses those containers use unless --force', async (t) => {
  await requireEngine();
  const fixture = makeProject(
    t,
    '[db]\nnetwork = none\n[run_image]\nsynthetic_images = shell\n[shell]\nname = web\n',
    (suffix) => ({
      web: `FROM busybox AS builder\nLABEL ${testLabel}=${suffix}\nRUN echo built > /built\nFROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY --from=builder /built /built\n`,
      db: `FROM busybox\nLABEL ${testLabel}=${suffix}\nRUN echo db > /db\n`,
      cache: `FROM busybox\nLABEL ${testLabel}=${suffix}\nRUN echo cache > /cache\n`,
    }),
  );
  // Containers inherit their image's labels: this removes the test's container first, then its images.
  t.teardown(() => removeLabelled(fixture.imageLabel));
  const user = `u${fixture.suffix}`;
  const env = { ...process.env, LOGNAME: user, NO_COLOR: '1' };
  const bin = (name: string, args: string[]): ReturnType<typeof runBin> =>
    runBin(name, args, { cwd: fixture.root, env, timeoutMs: 120_000 });
  const reference = (image: string): string => `${fixture.name}-${image}:${user}`;
  const exists = async (ref: string): Promise<boolean> => (await docker(['image', 'inspect', ref])).exitCode === 0;

  const built = await bin('build-image', ['all']);
  t.equal(built.exitCode, 0, built.stderr);
  for (const image of ['web', 'web-builder', 'db', 'cache']) t.ok(await exists(reference(image)), `${image} built`);
  // A stopped container still holds its image: docker refuses to delete it, and so does rm-images.
  const ran = await bin('run-image', ['db', '-k', '--name', `db-${fixture.suffix}`, '-c', 'true']);
  t.equal(ran.exitCode, 0, ran.stderr);

  await t.test('--dry-run prints the one docker command, changes nothing', async (t) => {
    const result = await bin('rm-images', ['web', 'cache', '--dry-run']);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `docker image rm ${reference('web')} ${reference('web-builder')} ${reference('cache')}\n`);
    t.ok(await exists(reference('web')), 'web is still there');
  });

  await t.test('an image a container uses is refused by name; the others are removed, exit 1', async (t) => {
    const result = await bin('rm-images', ['db', 'web']);
    t.equal(result.exitCode, 1, result.stderr);
    t.equal(result.stdout, `${reference('web')}\n${reference('web-builder')}\n`, 'the removed references');
    t.match(
      result.stderr,
      `error: ${reference('db')} is used by container db-${fixture.suffix}: remove it first (rm-containers db-${fixture.suffix}), or add --force to remove the image anyway\n`,
    );
    t.match(result.stderr, `docker image rm ${reference('web')} ${reference('web-builder')}\n`, 'echoed');
    t.notOk(await exists(reference('web')), 'web removed');
    t.notOk(await exists(reference('web-builder')), 'its builder removed');
    t.ok(await exists(reference('db')), 'db kept');
    t.ok(await exists(reference('cache')), 'cache, not named, kept');
  });

  await t.test('an image no longer there is a notice, not a failure', async (t) => {
    const result = await bin('rm-images', ['web']);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, '');
    t.match(result.stderr, `${reference('web')}: not present\n`);
    t.notMatch(result.stderr, /docker image rm/, 'nothing to run');
  });

  await t.test('--force removes it anyway; the container still works', async (t) => {
    const result = await bin('rm-images', ['db', '--force']);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `${reference('db')}\n`);
    t.match(result.stderr, `docker image rm -f ${reference('db')}\n`);
    t.notOk(await exists(reference('db')), 'the name is gone');
    // docker deletes an image only a stopped container uses; the container keeps its layers and still runs.
    const started = await docker(['start', '-a', `db-${fixture.suffix}`], { timeoutMs: 30_000 });
    t.equal(started.exitCode, 0, `the container still starts: ${started.stderr}`);
  });

  await t.test('bad input: one line, exit 2', async (t) => {
    const synthetic = await bin('rm-images', ['shell']);
    t.equal(synthetic.exitCode, 2);
    t.equal(synthetic.stderr, 'error: "shell" is a synthetic image (run-only): remove "web" instead\n');
    const unknown = await bin('rm-images', ['cahce']);
    t.equal(unknown.exitCode, 2);
    t.match(
      unknown.stderr,
      /^error: unknown image "cahce" in .* \(did you mean "cache"\?\); images: cache, db, web\n$/,
    );
    const none = await bin('rm-images', []);
    t.equal(none.exitCode, 2);
    t.match(none.stderr, /missing required argument 'images'/);
  });
});
