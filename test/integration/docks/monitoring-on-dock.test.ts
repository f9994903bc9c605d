import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runsOf } from '../../helpers/log-files.js';
import { range } from '../../helpers/wait.js';
import {
  dockerOk,
  makeTempFolder,
  removeLabelled,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

const lineCount = 2000;

// One rig for the file: starting an engine costs seconds. A container with the same name pattern runs
// on the local engine too, so a command that reached the wrong engine shows it.
t.test('ls-containers, logs-all and stats-all with --dock reach the dock, not the local engine', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dock = `mon${suffix}`;
  // Outside any project, so that the scope is the engine's containers, not this repository's.
  const cwd = makeTempFolder('monitoring-on-dock');
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const options = { ...rig.client, cwd, timeoutMs: 60_000 };

  await addRigDock(rig, dock);
  await loadImageIntoRig(rig, 'busybox:latest');
  const remoteName = `remote-${suffix}`;
  const remoteId = await rigDockerOk(
    rig,
    testContainerArgs(suffix, remoteName, ['sh', '-c', `seq 1 ${lineCount}; exec sleep 600`]),
  );
  const localName = `local-${suffix}`;
  const localId = await dockerOk(testContainerArgs(suffix, localName, ['sh', '-c', 'seq 1 10; exec sleep 600']));
  const deadline = Date.now() + 30_000;
  while (!(await rigDockerOk(rig, ['logs', '--tail', '1', remoteName])).includes(String(lineCount))) {
    if (Date.now() > deadline) throw new Error(`${remoteName} did not print ${lineCount} lines`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  await t.test('ls-containers --dock lists the remote container and not the local one', async (t) => {
    const result = await runBin('ls-containers', ['--dock', dock, '--all', '--json'], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, `docker --context ${dock} ps`, 'the docker command names the dock');
    const ids = (JSON.parse(result.stdout) as { id: string }[]).map((record) => record.id);
    t.ok(ids.includes(remoteId), 'the remote container is listed');
    t.notOk(ids.includes(localId), 'the local container is not');
  });

  await t.test('logs-all --dock --once captures every remote line exactly once', async (t) => {
    const dir = makeTempFolder('monitoring-on-dock-logs');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runBin(
      'logs-all',
      ['--dock', dock, '--all', '--name', `*-${suffix}`, '--once', '--dir', dir, '-q'],
      options,
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.match(
      result.stderr,
      `docker --context ${dock} logs --timestamps ${remoteName}`,
      'the equivalent docker command names the dock',
    );
    const files = readdirSync(dir).filter((file) => file.endsWith('.log') && file !== 'all.log');
    t.same(files, [`${remoteId.slice(0, 12)}-${remoteName}.log`], 'one file, for the remote container only');
    t.same(runsOf(dir, remoteName), [range(1, lineCount)], 'every number exactly once, in order');
  });

  await t.test('stats-all --dock --once --json samples the remote container', async (t) => {
    const dir = makeTempFolder('monitoring-on-dock-stats');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runBin(
      'stats-all',
      ['--dock', dock, '--all', '--name', `*-${suffix}`, '--once', '--json', '--dir', dir],
      options,
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, `docker --context ${dock} stats --no-stream`);
    const samples = result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; name: string; pids: number; memoryUsedBytes: number });
    t.same(
      samples.map((sample) => sample.id),
      [remoteId],
      'one sample, of the remote container',
    );
    t.equal(samples[0]?.name, remoteName);
    t.ok((samples[0]?.pids ?? 0) >= 1, 'the sample has numbers');
    t.type(samples[0]?.memoryUsedBytes, 'number');
  });

  await t.test('the Engine API transport shares the SSH connection the docker calls opened', async (t) => {
    // Its own docker call opens the shared connection: no earlier subtest's is relied on.
    const opened = await runBin('ls-containers', ['--dock', dock, '--all', '-q'], options);
    t.equal(opened.exitCode, 0, opened.stderr);
    const connections = (): number =>
      readFileSync(rig.sshdLogFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('Accepted publickey')).length;
    const statsArgs = [
      '--dock',
      dock,
      '--all',
      '--name',
      remoteName,
      '--once',
      '--json',
      '--dir',
      makeTempFolder('monitoring-on-dock-reuse'),
    ];
    t.teardown(() => rmSync(statsArgs.at(-1)!, { recursive: true, force: true }));
    const before = connections();
    const shared = await runBin('stats-all', statsArgs, options);
    t.equal(shared.exitCode, 0, shared.stderr);
    t.equal(connections(), before, 'no new SSH connection: the one ls-containers opened is reused');
    const unshared = await runBin('stats-all', statsArgs, {
      ...options,
      env: { ...rig.clientEnv, DOCKERUTILS_SSH_REUSE: '0' },
    });
    t.equal(unshared.exitCode, 0, unshared.stderr);
    t.ok(connections() >= before + 2, 'without sharing, each API request pays its own SSH connection');
  });

  await t.test("logs-all and stats-all on a dock that refuses SSH: one line with ssh's reason, exit 1", async (t) => {
    const closed = `${dock}-closed`;
    await dockerOk(['context', 'create', closed, '--docker', `host=ssh://root@${rig.address}:2`], rig.client);
    t.teardown(() => dockerOk(['context', 'rm', '-f', closed], rig.client));
    for (const bin of ['logs-all', 'stats-all']) {
      const result = await runBin(bin, ['--dock', closed, '--all', '--once', '--dir', join(cwd, 'closed')], options);
      t.equal(result.exitCode, 1, `${bin}: ${result.stderr}`);
      t.match(
        result.stderr,
        /\nerror: cannot reach the Docker engine at ssh:\/\/root@10\.213\.\S+:2 \(ssh: connect to host 10\.213\.\S+ port 2: Connection refused\): check the dock with `dock ls --check`\n$/,
        bin,
      );
      t.notMatch(result.stderr, /internal error|hang up/, bin);
    }
  });
});
