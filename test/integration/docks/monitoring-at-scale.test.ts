// logs-all and stats-all following more containers on a dock than a stock sshd allows sessions on a
// connection (MaxSessions 10): every stream rides the one shared connection, and SIGTERM ends them.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeTempFolder, requireEngine, spawnBin, testContainerArgs, uniqueSuffix } from '../../helpers/engine.js';
import { entriesOf } from '../../helpers/log-files.js';
import {
  addRigDock,
  loadImageIntoRig,
  rigDockerOk,
  rigSshConnections,
  startRemoteRig,
} from '../../helpers/remote-rig.js';
import { waitFor } from '../../helpers/wait.js';

const containerCount = 24;

/** Every process below `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (id: number): void => {
    for (const child of parents.get(id) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test(
  `${containerCount} containers on a dock with a stock sshd: one connection, every line, SIGTERM ends it`,
  async (t) => {
    await requireEngine();
    const suffix = uniqueSuffix();
    const rig = await startRemoteRig();
    t.teardown(rig.stop);
    const dock = `scale${suffix}`;
    const cwd = makeTempFolder('monitoring-at-scale');
    t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
    const options = { ...rig.client, cwd };
    await addRigDock(rig, dock, { ...options, timeoutMs: 60_000 });
    await loadImageIntoRig(rig, 'busybox:latest');
    // Started one after another, a counter each, five lines a second.
    for (let index = 1; index <= containerCount; index++) {
      await rigDockerOk(
        rig,
        testContainerArgs(suffix, `scale-${suffix}-${index}`, [
          'sh',
          '-c',
          'i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done',
        ]),
      );
    }

    await t.test('logs-all follows every container over one connection; SIGTERM ends it within 2 s', async (t) => {
      const dir = makeTempFolder('monitoring-at-scale-logs');
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const logsAll = spawnBin(
        t,
        'logs-all',
        ['--dock', dock, '--all', '--name', `scale-${suffix}-*`, '-q', '--dir', dir],
        options,
      );
      // Started at the same moment on a dock with no forward yet: both set one up, and one serves both.
      const statsDir = makeTempFolder('monitoring-at-scale-race');
      t.teardown(() => rmSync(statsDir, { recursive: true, force: true }));
      const statsAll = spawnBin(
        t,
        'stats-all',
        ['--dock', dock, '--all', '--name', `scale-${suffix}-*`, '--dir', statsDir],
        options,
      );
      const names = Array.from({ length: containerCount }, (_, index) => `scale-${suffix}-${index + 1}`);
      const linesOf = (name: string): number[] =>
        entriesOf(dir, name).flatMap((entry) => (entry.kind === 'line' ? [Number(entry.line.text)] : []));
      await waitFor(
        '30 lines in every container file',
        () => names.every((name) => linesOf(name).length >= 30),
        90_000,
      );
      const counts = names.map((name) => linesOf(name).length);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      t.ok(
        names.every((name, index) => linesOf(name).length > counts[index]!),
        'every file still grows, past the 10 sessions of a stock sshd',
      );
      t.equal(await rigSshConnections(rig), 1, 'one TCP connection to the dock carries everything');
      t.notMatch(logsAll.output().stderr, /lost the engine|not followed|Warning/, 'no losses, no warnings');
      const statsFiles = (): number => readdirSync(statsDir).filter((file) => file.endsWith('.stats.jsonl')).length;
      await waitFor(
        'stats-all, started with it, sampling every container too',
        () => statsFiles() === containerCount,
        30_000,
      );
      t.equal(await rigSshConnections(rig), 1, 'still one TCP connection, with stats-all on it');
      t.notMatch(statsAll.output().stderr, /lost the engine|not followed|Warning/, 'stats-all: no losses, no warnings');
      statsAll.kill('SIGTERM');
      t.equal((await statsAll).exitCode, 0);

      const below = descendants(logsAll.pid!);
      const stopped = Date.now();
      logsAll.kill('SIGTERM');
      const ended = await logsAll;
      const tookMs = Date.now() - stopped;
      t.ok(tookMs < 2000, `SIGTERM ended it in ${tookMs} ms`);
      t.match(logsAll.output().stderr, /new lines from 24 containers in /, 'with its summary');
      t.equal(ended.exitCode, 0);
      t.same(below.filter(alive), [], 'no process it started is left behind');
      for (const name of names) {
        const numbers = linesOf(name);
        t.same(
          numbers,
          Array.from({ length: numbers.length }, (_, index) => numbers[0]! + index),
          `${name}: no line lost or repeated`,
        );
      }
    });

    await t.test('stats-all samples every container over the same kind of connection; SIGTERM ends it', async (t) => {
      const dir = makeTempFolder('monitoring-at-scale-stats');
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const statsAll = spawnBin(
        t,
        'stats-all',
        ['--dock', dock, '--all', '--name', `scale-${suffix}-*`, '--dir', dir],
        options,
      );
      const sampled = (): number =>
        readdirSync(dir).filter(
          (file) => file.endsWith('.stats.jsonl') && readFileSync(join(dir, file), 'utf8').split('\n').length > 3,
        ).length;
      await waitFor('3 samples of every container', () => sampled() === containerCount, 90_000);
      t.equal(await rigSshConnections(rig), 1, 'one TCP connection');
      const below = descendants(statsAll.pid!);
      const stopped = Date.now();
      statsAll.kill('SIGTERM');
      await statsAll;
      const tookMs = Date.now() - stopped;
      t.ok(tookMs < 2000, `SIGTERM ended it in ${tookMs} ms`);
      t.match(statsAll.output().stderr, /\d+ samples in /);
      t.notMatch(statsAll.output().stderr, /lost the engine|not followed|Warning/, 'no losses, no warnings');
      t.same(below.filter(alive), [], 'no process it started is left behind');
    });
  },
);
