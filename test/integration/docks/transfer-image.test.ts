import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { dockerOk, removeLabelled, requireEngine, runBin, testLabel, uniqueSuffix } from '../../helpers/engine.js';
import { rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

t.test('transfer-image streams an image the dock did not have, and the ids match', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const env = rig.clientEnv;
  const dock = `x${suffix}`;
  const added = await runBin('dock', ['add', dock, rig.sshUrl], { env });
  t.equal(added.exitCode, 0, added.stderr);

  // A project image of busybox plus 8 MB of random data; COPY needs no network in the build.
  const project = `p${suffix}`;
  const root = join(t.testdir(), project);
  mkdirSync(join(root, 'docker', 'blob'), { recursive: true });
  writeFileSync(join(root, 'blob.bin'), randomBytes(8 * 1024 * 1024));
  writeFileSync(
    join(root, 'docker', 'blob', 'Dockerfile'),
    `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY blob.bin /blob.bin\n`,
  );
  const built = await runBin('build-image', ['blob'], { env, cwd: root, timeoutMs: 120_000 });
  t.equal(built.exitCode, 0, built.stderr);
  const reference = `${project}-blob:${process.env.USER ?? 'root'}`;
  const localId = await dockerOk(['image', 'inspect', '--format', '{{.Id}}', reference]);
  t.not(await rigDockerOk(rig, ['image', 'ls', '-q', reference]), localId, 'the dock does not have it yet');

  const result = await runBin('transfer-image', ['blob', dock], { env, cwd: root, timeoutMs: 120_000 });
  t.equal(result.exitCode, 0, result.stderr);
  t.equal(result.stdout.trim(), localId, 'stdout is the image id');
  t.match(
    result.stderr,
    `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'`,
    'echoed as the pipeline it is equivalent to',
  );
  t.match(result.stderr, /is on .* with the same id \(\d+\.\d MB/);
  t.notMatch(result.stderr, /\[#*-*\]/, 'no progress bar when stderr is not a terminal');
  t.equal(
    await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', reference]),
    localId,
    'the dock has the image, same id',
  );

  await t.test('a full reference works outside a project too', async (t) => {
    const plain = await runBin('transfer-image', ['busybox:latest', dock], {
      env,
      cwd: t.testdir(),
      timeoutMs: 60_000,
    });
    t.equal(plain.exitCode, 0, plain.stderr);
    t.equal(
      await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', 'busybox:latest']),
      await dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox:latest']),
    );
  });

  await t.test('an image absent locally is an error, before anything is sent', async (t) => {
    const absent = await runBin('transfer-image', [`no-such-image-${suffix}:1`, dock], { env, cwd: root });
    t.equal(absent.exitCode, 1);
    t.match(absent.stderr, /is not on the local engine/);
    t.notMatch(absent.stderr, /docker save/);
  });

  await t.test('a dock whose ssh refuses is an error with the reason', async (t) => {
    const closed = `${dock}-closed`;
    await dockerOk(['context', 'create', closed, '--docker', `host=ssh://root@${rig.address}:2`], { env });
    t.teardown(() => dockerOk(['context', 'rm', '-f', closed], { env }));
    const refused = await runBin('transfer-image', ['busybox:latest', closed], { env, cwd: root, timeoutMs: 30_000 });
    t.equal(refused.exitCode, 1);
    t.match(refused.stderr, /cannot transfer to .*-closed: cannot reach root@10\.213\.\S+:2 over ssh/);
  });

  await t.test('--dry-run prints the pipeline and sends nothing', async (t) => {
    const dry = await runBin('transfer-image', ['blob', dock, '--dry-run'], { env, cwd: root });
    t.equal(dry.exitCode, 0, dry.stderr);
    t.equal(dry.stdout, `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'\n`);
  });
});
