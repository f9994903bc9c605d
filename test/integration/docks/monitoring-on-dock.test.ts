import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runsOf } from '../../helpers/log-files.js';
import type { StatsSample } from '../../../src/monitor/stats-sample.js';
import { range, waitFor } from '../../helpers/wait.js';
import {
  dockerOk,
  makeTempFolder,
  removeLabelled,
  requireEngine,
  runBin,
  spawnBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, rigUsers, startRemoteRig } from '../../helpers/remote-rig.js';

const lineCount = 2000;

/** The pids whose command line (read from /proc: the rig's processes are this machine's) matches. */
function processesMatching(matches: (commandLine: string) => boolean): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return matches(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        return false;
      }
    })
    .map(Number);
}

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

  await t.test(
    "stats-all --dock: the dock's own docker stats samples, exact, as containers join and leave",
    async (t) => {
      const dir = makeTempFolder('monitoring-on-dock-gathered');
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const first = `stats-first-${suffix}`;
      const firstId = await rigDockerOk(
        rig,
        testContainerArgs(suffix, first, ['sleep', '600'], { flags: ['--memory', '64m'] }),
      );
      const statsAll = spawnBin(
        t,
        'stats-all',
        ['--dock', dock, '--all', '--name', `stats-*-${suffix}`, '--json', '--dir', dir],
        options,
      );
      const samplesOf = (name: string): StatsSample[] =>
        statsAll
          .output()
          .stdout.split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as StatsSample)
          .filter((sample) => sample.name === name);
      await waitFor(`a sample of ${first}`, () => samplesOf(first).length > 0, 30_000);
      t.equal(samplesOf(first)[0]!.memoryLimitBytes, 64 * 1024 * 1024, 'exact bytes, where docker stats shows 64MiB');
      t.equal(samplesOf(first)[0]!.id, firstId);
      t.match(
        statsAll.output().stderr,
        `ssh -l root -- ${rig.address} 'docker stats --format '"'"'{{printf "%+v" .}}'"'"' ${firstId.slice(0, 12)}'`,
        'the command run on the dock is echoed',
      );
      const dockStatsRuns = (): number[] =>
        processesMatching((command) => command.startsWith('docker stats') && command.includes(firstId.slice(0, 12)));
      t.equal(dockStatsRuns().length, 1, 'one docker stats on the dock');

      const later = `stats-later-${suffix}`;
      await rigDockerOk(rig, testContainerArgs(suffix, later, ['sleep', '600']));
      await waitFor(`a sample of ${later}, which started after`, () => samplesOf(later).length > 0, 30_000);
      await waitFor('the run that replaced the first to be the only one', () => dockStatsRuns().length === 1, 10_000);
      const firstBefore = samplesOf(first).length;
      await waitFor(`${first} sampled on by the new run`, () => samplesOf(first).length > firstBefore + 1, 10_000);

      await rigDockerOk(rig, ['rm', '-f', later]);
      await waitFor(`${later} leaving`, () => statsAll.output().stderr.includes(`${later} left`), 30_000);
      const laterSamples = samplesOf(later).length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      t.equal(samplesOf(later).length, laterSamples, 'no sample of a container after it left');

      statsAll.kill('SIGTERM');
      t.equal((await statsAll).exitCode, 0, statsAll.output().stderr);
      await waitFor('the docker stats on the dock to end with it', () => dockStatsRuns().length === 0, 10_000);
      await rigDockerOk(rig, ['rm', '-f', first]);
    },
  );

  await t.test('stats-all on a dock without a docker CLI for its login samples by streams instead', async (t) => {
    const bare = `${dock}-nocli`;
    await dockerOk(
      ['context', 'create', bare, '--docker', `host=ssh://${rigUsers.noDockerUser}@${rig.address}`],
      rig.client,
    );
    t.teardown(() => dockerOk(['context', 'rm', '-f', bare], rig.client));
    const dir = makeTempFolder('monitoring-on-dock-nocli');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const statsAll = spawnBin(
      t,
      'stats-all',
      ['--dock', bare, '--all', '--name', remoteName, '--json', '--dir', dir],
      options,
    );
    await waitFor('samples of the remote container', () => statsAll.output().stdout.split('\n').length > 3, 30_000);
    t.match(statsAll.output().stderr, `'docker stats --format`, 'the dock was asked first');
    statsAll.kill('SIGTERM');
    t.equal((await statsAll).exitCode, 0, statsAll.output().stderr);
    const sample = JSON.parse(statsAll.output().stdout.split('\n')[0]!) as StatsSample;
    t.equal(sample.id, remoteId);
    t.ok(sample.pids >= 1, 'a sample with numbers');
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
