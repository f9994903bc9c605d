import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  runBounded,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import {
  addRigDock,
  loadImageIntoRig,
  retagImage,
  rigDockerOk,
  rigUsers,
  startRemoteRig,
} from '../../helpers/remote-rig.js';
import { TmuxServer } from '../../helpers/tmux.js';

// The dock's engine has a disk of its own, 48 MB: the project's 8 MB image fits, a 64 MB one does not.
const engineDiskMb = 48;

t.test('transfer-image streams an image the dock did not have, and the ids match', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const rig = await startRemoteRig({ engineDiskMb });
  t.teardown(rig.stop);
  const dock = `x${suffix}`;
  await addRigDock(rig, dock);

  // Project images of busybox plus random data; COPY needs no network in the build.
  const project = `p${suffix}`;
  const root = join(t.testdir(), project);
  const user = { ...rig.client, env: { ...rig.clientEnv, LOGNAME: 'mover' }, cwd: root };
  for (const [image, megabytes] of [
    ['blob', 8],
    ['big', 64],
  ] as const) {
    mkdirSync(join(root, 'docker', image), { recursive: true });
    writeFileSync(join(root, `${image}.bin`), randomBytes(megabytes * 1024 * 1024));
    writeFileSync(
      join(root, 'docker', image, 'Dockerfile'),
      `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY ${image}.bin /${image}.bin\n`,
    );
    const built = await runBin('build-image', [image], { ...user, timeoutMs: 120_000 });
    t.equal(built.exitCode, 0, built.stderr);
  }
  const reference = `${project}-blob:mover`;
  const localId = await dockerOk(['image', 'inspect', '--format', '{{.Id}}', reference]);
  const remoteInspect = (ref: string): ReturnType<typeof runBounded> =>
    runBounded('docker', ['-H', rig.engineSocket, 'image', 'inspect', '--format', '{{.Id}}', ref]);
  const before = await remoteInspect(reference);
  t.equal(before.exitCode, 1, 'the dock does not have it yet');
  t.match(before.stderr, `No such image: ${reference}`);

  const result = await runBin('transfer-image', ['blob', dock], { ...user, timeoutMs: 120_000 });
  t.equal(result.exitCode, 0, result.stderr);
  t.equal(result.stdout.trim(), localId, 'stdout is the image id');
  t.match(
    result.stderr,
    `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'`,
    'echoed as the pipeline it is equivalent to',
  );
  t.match(result.stderr, /is on .* with the same id \(\d+\.\d MB/);
  t.notMatch(result.stderr, /\[#*-*\]/, 'no progress bar when stderr is not a terminal');
  t.equal((await remoteInspect(reference)).stdout.trim(), localId, 'the dock has the image, same id');

  await t.test('a full reference works outside a project too', async (t) => {
    const plain = await runBin('transfer-image', ['busybox:latest', dock], {
      ...rig.client,
      cwd: t.testdir(),
      timeoutMs: 60_000,
    });
    t.equal(plain.exitCode, 0, plain.stderr);
    t.equal(
      await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', 'busybox:latest']),
      await dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'busybox:latest']),
    );
  });

  await t.test('on a terminal, a progress bar shows bytes, rate and ETA, and is cleared at the end', async (t) => {
    await rigDockerOk(rig, ['image', 'rm', reference]);
    const tmux = new TmuxServer(`du-transfer-${uniqueSuffix()}`);
    t.teardown(() => tmux.kill());
    const log = join(t.testdir(), 'terminal.log');
    const argv = [process.execPath, join(repoRoot, 'bin', 'transfer-image.js'), 'blob', dock];
    // The command waits for a line, so that everything it draws goes to the log.
    await tmux.start('transfer', root, ['sh', '-c', 'read go && exec "$@"', 'sh', ...argv], {
      env: user.env!,
      home: rig.clientHome,
    });
    await tmux.tmux(['pipe-pane', '-t', 'transfer', '-o', `cat > ${log}`]);
    await tmux.key('transfer', 'Enter');
    await tmux.waitForEnd('transfer', 120_000);
    const output = readFileSync(log, 'utf8');
    t.match(output, /\r\[#*-*\] +\d+\.\d MB \/ \d+\.\d MB +\d+\.\d MB\/s +ETA \d+ s/, 'the bar, redrawn in place');
    t.ok(output.includes('\r\u001b[K'), 'cleared before the last line');
    t.match(output, /is on \S+ with the same id/);
    t.equal((await remoteInspect(reference)).stdout.trim(), localId);
  });

  await t.test('an image absent locally is an error, before anything is sent', async (t) => {
    const absent = await runBin('transfer-image', [`no-such-image-${suffix}:1`, dock], user);
    t.equal(absent.exitCode, 1);
    t.match(absent.stderr, /is not on the local engine/);
    t.notMatch(absent.stderr, /docker save/);
  });

  await t.test('a dock whose ssh refuses is an error with the reason', async (t) => {
    const closed = `${dock}-closed`;
    await dockerOk(['context', 'create', closed, '--docker', `host=ssh://root@${rig.address}:2`], rig.client);
    t.teardown(() => dockerOk(['context', 'rm', '-f', closed], rig.client));
    const refused = await runBin('transfer-image', ['busybox:latest', closed], { ...user, timeoutMs: 30_000 });
    t.equal(refused.exitCode, 1);
    t.match(refused.stderr, /cannot transfer to .*-closed: cannot reach root@10\.213\.\S+:2 over ssh/);
  });

  await t.test('the load failing on the dock (its disk is full) is an error with its message', async (t) => {
    const big = `${project}-big:mover`;
    const failed = await runBin('transfer-image', ['big', dock], { ...user, timeoutMs: 120_000 });
    t.equal(failed.exitCode, 1, failed.stderr);
    t.match(failed.stderr, /no space left on device/, "docker load's own reason");
    t.notMatch(failed.stderr, /with the same id/);
    t.equal(failed.stdout, '', 'no image id on stdout');
    t.equal((await remoteInspect(big)).exitCode, 1, 'the dock does not have it');
  });

  await t.test('a dock that holds another image under the name after the load: id mismatch', async (t) => {
    await loadImageIntoRig(rig, retagImage);
    const retagged = `${dock}-retag`;
    const retagAdded = await runBin('dock', ['add', retagged, `ssh://${rigUsers.retagUser}@${rig.address}`], user);
    t.equal(retagAdded.exitCode, 0, retagAdded.stderr);
    t.teardown(() => runBin('dock', ['rm', retagged], user));
    await rigDockerOk(rig, ['image', 'rm', reference]);
    const mismatch = await runBin('transfer-image', ['blob', retagged], { ...user, timeoutMs: 120_000 });
    t.equal(mismatch.exitCode, 1, mismatch.stderr);
    const busyboxId = await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', retagImage]);
    t.match(
      mismatch.stderr,
      `error: the dock ${retagged} (${rigUsers.retagUser}@${rig.address}) does not have ${reference} with id ${localId} after the load (it has ${busyboxId})`,
    );
    t.equal(mismatch.stdout, '');
  });

  await t.test('a dock whose engine is stopped is an error, before anything is sent', async (t) => {
    await rig.stopEngine();
    t.teardown(rig.startEngine);
    const down = await runBin('transfer-image', ['blob', dock], { ...user, timeoutMs: 60_000 });
    t.equal(down.exitCode, 1, down.stderr);
    t.match(
      down.stderr,
      /\nerror: cannot transfer to \S+: the Docker engine on root@10\.213\.\S+ is not running: start it there: systemctl start docker\n$/,
    );
    t.notMatch(down.stderr, /docker save/, 'nothing was sent');
  });

  await t.test('--dry-run prints the pipeline and sends nothing', async (t) => {
    const dry = await runBin('transfer-image', ['blob', dock, '--dry-run'], user);
    t.equal(dry.exitCode, 0, dry.stderr);
    t.equal(dry.stdout, `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'\n`);
  });

  t.equal((await docker(['image', 'inspect', reference])).exitCode, 0, 'the local image is untouched');
});
