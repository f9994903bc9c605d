// Monitoring benchmarks against the plain docker CLI on the same engine, in the same run:
//   1. capture throughput of logs-all (--once, and following) for 1 and for 16 containers that each
//      print a burst, and for 1 container with a long one, against `docker logs --timestamps C > file`
//      of the stopped container, and against a Node process that only reads the same endpoint (the
//      ceiling for a Node reader); every file is checked for lost and repeated lines; and the fixed
//      cost of a run (a one-line container)
//   2. memory (PSS) and CPU of logs-all + stats-all following 200 idle containers, against 200
//      `docker logs -f` and one `docker stats`
//   3. latency from a line printed in a container to the line in its file
// Run: npm run bench:monitor   (BENCH_LINES, BENCH_LONG_LINES, BENCH_REPEATS, BENCH_IDLE, BENCH_CPU_SECONDS
// change the sizes; arguments `throughput`, `latency`, `idle` run only those parts)
import { measure, type Measured } from './measure.js';
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  docker,
  dockerOk,
  repoRoot,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../test/helpers/engine.js';

const burstLines = Number(process.env.BENCH_LINES ?? 200_000);
// A burst long enough that the rate is the reading, not the start-up of a process.
const longBurstLines = Number(process.env.BENCH_LONG_LINES ?? 1_000_000);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const idleCount = Number(process.env.BENCH_IDLE ?? 200);
const cpuSeconds = Number(process.env.BENCH_CPU_SECONDS ?? 30);
const batchSize = 10;

const suffix = uniqueSuffix();
const labelSuffix = `bench-${suffix}`;
const label = `${testLabel}=${labelSuffix}`;
const work = mkdtempSync('/tmp/monitor-bench-');
const logsAllBin = join(repoRoot, 'bin', 'logs-all.js');
const statsAllBin = join(repoRoot, 'bin', 'stats-all.js');
const rawReaderScript = join(repoRoot, 'bench', 'read-logs-raw.js');

const seconds = (startedMs: number): number => (performance.now() - startedMs) / 1000;
const rate = (lines: number, elapsedSeconds: number): string =>
  `${Math.round(lines / elapsedSeconds)
    .toLocaleString('en-US')
    .padStart(9)} lines/s`;

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += batchSize)
    await Promise.all(items.slice(start, start + batchSize).map(run));
}

/** Starts containers in small batches (many at once can wedge dockerd, moby#42545). */
async function startContainers(names: readonly string[], command: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  await inBatches(names, async (name) => ids.push(await dockerOk(testContainerArgs(labelSuffix, name, command))));
  return ids;
}

/** Stops and removes containers gently: a few at a time, no grace period. */
async function removeContainers(names: readonly string[]): Promise<void> {
  await inBatches(names, async (name) => {
    await docker(['stop', '-t', '0', name], { timeoutMs: 60_000 });
    await docker(['rm', '-v', name], { timeoutMs: 60_000 });
  });
}

/** Lines lost and repeated in a file of `seq 1 N` output (our log format or docker's --timestamps). */
function countLostAndRepeated(path: string, expected: number): { lost: number; repeated: number } {
  const seen = new Uint8Array(expected + 1);
  let repeated = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = / (?:stdout )?(\d+)$/.exec(line);
    if (!match) continue;
    const value = Number(match[1]);
    if (seen[value]) repeated++;
    seen[value] = 1;
  }
  let lost = 0;
  for (let value = 1; value <= expected; value++) if (!seen[value]) lost++;
  return { lost, repeated };
}

function checkFiles(dir: string, names: readonly string[], expected: number): { lost: number; repeated: number } {
  const total = { lost: 0, repeated: 0 };
  for (const name of names) {
    const file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}.log`));
    const counts = file ? countLostAndRepeated(join(dir, file), expected) : { lost: expected, repeated: 0 };
    total.lost += counts.lost;
    total.repeated += counts.repeated;
  }
  return total;
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface OnceTiming {
  readonly plainSeconds: number;
  readonly onceSeconds: number;
  /** A Node process that reads the same endpoint and keeps nothing: the ceiling for any Node reader. */
  readonly rawSeconds: number;
  readonly plain: { lost: number; repeated: number };
  readonly once: { lost: number; repeated: number };
  /** The phases of logs-all --once (DOCKERUTILS_TIMINGS): each one's median time in ms. */
  readonly phases: ReadonlyMap<string, number>;
}

/** `timings: command started 96 ms, containers listed +21 ms, ...` into phase -> ms. */
function parseTimings(stderr: string): Map<string, number> {
  const line = /^timings: (.*)$/m.exec(stderr)?.[1] ?? '';
  return new Map(
    line.split(', ').flatMap((part) => {
      const match = /^(.*) \+?(\d+) ms$/.exec(part);
      return match ? [[match[1]!, Number(match[2])] as const] : [];
    }),
  );
}

/**
 * `docker logs --timestamps C > file` of every container at once, against one `logs-all --once` into
 * an empty folder, alternating `repeats` times (this machine is noisy): median times, and the lost and
 * repeated lines of every run added up.
 */
async function onceAgainstPlain(
  names: readonly string[],
  pattern: string,
  lines: number,
  tag: string,
): Promise<OnceTiming> {
  const plainTimes: number[] = [];
  const onceTimes: number[] = [];
  const rawTimes: number[] = [];
  const plain = { lost: 0, repeated: 0 };
  const once = { lost: 0, repeated: 0 };
  const phaseTimes = new Map<string, number[]>();
  const add = (total: { lost: number; repeated: number }, counts: { lost: number; repeated: number }): void => {
    total.lost += counts.lost;
    total.repeated += counts.repeated;
  };
  for (let run = 0; run < repeats; run++) {
    const plainDir = join(work, `plain-${tag}-${run}`);
    await execa('mkdir', ['-p', plainDir]);
    let started = performance.now();
    await Promise.all(
      names.map((name) =>
        execa('sh', ['-c', 'docker logs --timestamps "$1" > "$2" 2>&1', 'sh', name, join(plainDir, `x-${name}.log`)], {
          timeout: 600_000,
        }),
      ),
    );
    plainTimes.push(seconds(started));
    add(plain, checkFiles(plainDir, names, lines));
    rmSync(plainDir, { recursive: true, force: true });

    const onceDir = join(work, `once-${tag}-${run}`);
    started = performance.now();
    const result = await runBin('logs-all', ['--all', '--name', pattern, '--once', '-q', '--dir', onceDir], {
      timeoutMs: 600_000,
      env: { ...process.env, DOCKERUTILS_TIMINGS: '1' },
    });
    onceTimes.push(seconds(started));
    for (const [phase, ms] of parseTimings(result.stderr))
      phaseTimes.set(phase, [...(phaseTimes.get(phase) ?? []), ms]);
    if (result.exitCode !== 0) throw new Error(`logs-all --once failed: ${result.stderr}`);
    add(once, checkFiles(onceDir, names, lines));
    rmSync(onceDir, { recursive: true, force: true });

    started = performance.now();
    await execa(process.execPath, [rawReaderScript, ...names], { timeout: 600_000 });
    rawTimes.push(seconds(started));
  }
  return {
    plainSeconds: median(plainTimes),
    onceSeconds: median(onceTimes),
    rawSeconds: median(rawTimes),
    plain,
    once,
    phases: new Map([...phaseTimes].map(([phase, times]) => [phase, median(times)])),
  };
}

async function throughput(containers: number, lines: number, options: { follow: boolean }): Promise<void> {
  const tag = `${containers}x${lines}`;
  const names = Array.from({ length: containers }, (_, index) => `bench-burst${tag}-${index}-${suffix}`);
  const ids = await startContainers(names, ['seq', '1', String(lines)]);
  await dockerOk(['wait', ...ids], { timeoutMs: 300_000 });
  // Docker stamps lines up to ~3.5 s after a container's exit: both readers start once that is over.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const total = lines * containers;
  const timing = await onceAgainstPlain(names, `bench-burst${tag}-*-${suffix}`, lines, tag);
  await removeContainers(names);

  const what = `${containers} container${containers > 1 ? 's' : ''} x ${lines.toLocaleString('en-US')} lines`;
  console.log(`throughput, ${what} (median of ${repeats}, lost and repeated over all runs):`);
  console.log(
    `  docker logs --timestamps C > file   ${rate(total, timing.plainSeconds)}  (${timing.plainSeconds.toFixed(2)} s; lost ${timing.plain.lost}, repeated ${timing.plain.repeated})`,
  );
  console.log(
    `  logs-all --once                     ${rate(total, timing.onceSeconds)}  (${timing.onceSeconds.toFixed(2)} s; lost ${timing.once.lost}, repeated ${timing.once.repeated})   ratio ${(timing.plainSeconds / timing.onceSeconds).toFixed(2)}`,
  );
  console.log(
    `  node reading the endpoint, no files ${rate(total, timing.rawSeconds)}  (${timing.rawSeconds.toFixed(2)} s)   ratio ${(timing.plainSeconds / timing.rawSeconds).toFixed(2)}`,
  );
  console.log(
    `  logs-all --once phases (medians): ${[...timing.phases].map(([phase, ms]) => `${phase} ${ms.toFixed(0)} ms`).join(', ')}`,
  );
  if (!options.follow) return;

  // Following: logs-all runs first, the containers start after it; timed until the last line is in its file.
  const followDir = join(work, `follow-${tag}`);
  const followNames = names.map((name) => `${name}-f`);
  const follower = execa(
    process.execPath,
    [logsAllBin, '--all', '--name', `bench-burst${tag}-*-${suffix}-f`, '-q', '--dir', followDir],
    { reject: false, timeout: 600_000, killSignal: 'SIGKILL' },
  );
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const started = performance.now();
  await startContainers(followNames, ['seq', '1', String(lines)]);
  const deadline = Date.now() + 300_000;
  while (!followNames.every((name) => lastLineReached(followDir, name, lines)) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const followSeconds = seconds(started);
  const followCounts = checkFiles(followDir, followNames, lines);
  follower.kill('SIGTERM');
  await follower;
  await removeContainers(followNames);
  console.log(
    `  logs-all following (from container start) ${rate(total, followSeconds)}  (${followSeconds.toFixed(1)} s; lost ${followCounts.lost}, repeated ${followCounts.repeated})`,
  );
}

/** What any run costs before its first line: a container with one line, read by each. */
async function fixedCost(): Promise<void> {
  const name = `bench-one-${suffix}`;
  const [id] = await startContainers([name], ['echo', 'one']);
  await dockerOk(['wait', id!], { timeoutMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const time = async (command: () => Promise<unknown>): Promise<number> => {
    const times: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const started = performance.now();
      await command();
      times.push(seconds(started));
    }
    return median(times);
  };
  const plain = await time(() => execa('docker', ['logs', '--timestamps', name], { timeout: 60_000 }));
  const node = await time(() => execa(process.execPath, ['-e', '0'], { timeout: 60_000 }));
  const onceDir = join(work, 'once-one');
  const once = await time(async () => {
    rmSync(onceDir, { recursive: true, force: true });
    await runBin('logs-all', ['--all', '--name', name, '--once', '-q', '--dir', onceDir], { timeoutMs: 60_000 });
  });
  await removeContainers([name]);
  console.log('fixed cost of a run, a container with one line (median of 5):');
  console.log(
    `  docker logs --timestamps C  ${(plain * 1000).toFixed(0)} ms   logs-all --once  ${(once * 1000).toFixed(0)} ms   node -e 0 alone  ${(node * 1000).toFixed(0)} ms`,
  );
}

// Lines arrive in order: the burst is in the file once its last number is (read from the end only).
function lastLineReached(dir: string, name: string, lines: number): boolean {
  let file;
  try {
    file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}.log`));
  } catch {
    return false;
  }
  if (!file) return false;
  const path = join(dir, file);
  const size = statSync(path).size;
  const buffer = Buffer.alloc(Math.min(size, 4096));
  const handle = openSync(path, 'r');
  readSync(handle, buffer, 0, buffer.length, size - buffer.length);
  closeSync(handle);
  return buffer.toString('utf8').includes(` stdout ${lines}\n`);
}

async function idleFollowing(): Promise<void> {
  const names = Array.from({ length: idleCount }, (_, index) => `bench-idle-${index}-${suffix}`);
  await startContainers(names, ['sleep', '3600']);
  try {
    const dir = join(work, 'idle');
    const ours: ResultPromise[] = [
      execa(process.execPath, [logsAllBin, '--all', '--name', `bench-idle-*-${suffix}`, '-q', '--dir', dir], {
        reject: false,
        stdout: 'ignore',
        stderr: 'ignore',
      }),
      execa(process.execPath, [statsAllBin, '--all', '--name', `bench-idle-*-${suffix}`, '--dir', dir], {
        reject: false,
        stdout: 'ignore',
        stderr: 'ignore',
      }),
    ];
    // Let both reach every container before measuring.
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const oursMeasured = await measure(
      ours.map((child) => child.pid!),
      cpuSeconds,
    );
    for (const child of ours) child.kill('SIGTERM');
    await Promise.all(ours);

    // A longer interval polls one-shot samples instead of streaming: cheaper for the engine.
    const slow = execa(
      process.execPath,
      [statsAllBin, '--all', '--name', `bench-idle-*-${suffix}`, '--dir', dir, '--interval', '5'],
      { reject: false, stdout: 'ignore', stderr: 'ignore' },
    );
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const slowMeasured = await measure([slow.pid!], cpuSeconds);
    slow.kill('SIGTERM');
    await slow;

    const plain: ResultPromise[] = [
      ...names.map((name) =>
        execa('docker', ['logs', '-f', '--timestamps', name], { reject: false, stdout: 'ignore', stderr: 'ignore' }),
      ),
      execa('docker', ['stats', '--format', '{{json .}}', ...names], {
        reject: false,
        stdout: 'ignore',
        stderr: 'ignore',
      }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const plainMeasured = await measure(
      plain.map((child) => child.pid!),
      cpuSeconds,
    );
    // docker stats started with names ignores SIGTERM on the 28.2 client.
    for (const child of plain) child.kill('SIGKILL');
    await Promise.all(plain);

    console.log(`following logs and stats of ${idleCount} idle containers, over ${cpuSeconds} s:`);
    const row = (what: string, measured: Measured): string =>
      `  ${what.padEnd(34)} PSS ${measured.pssMegabytes.toFixed(0).padStart(5)} MB   CPU ${measured.cpuPercent.toFixed(1).padStart(5)} % of a core   (${measured.processes} processes; the engine meanwhile ${measured.engineCpuPercent.toFixed(1)} %)`;
    console.log(row(`${idleCount} docker logs -f + docker stats`, plainMeasured));
    console.log(row('logs-all + stats-all', oursMeasured));
    console.log(row('stats-all --interval 5', slowMeasured));
    console.log(
      `  memory ${(plainMeasured.pssMegabytes / oursMeasured.pssMegabytes).toFixed(1)}x less, CPU ${(plainMeasured.cpuPercent / oursMeasured.cpuPercent).toFixed(1)}x less than the plain CLI`,
    );
  } finally {
    await removeContainers(names);
  }
}

// The kernel's uptime is the same clock inside a container and outside: the container prints it, and
// the time the line shows up in the file is read from it too.
function uptimeSeconds(): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
}

async function latency(): Promise<void> {
  const name = `bench-clock-${suffix}`;
  const dir = join(work, 'latency');
  const follower = execa(process.execPath, [logsAllBin, '--all', '--name', name, '-q', '--dir', dir], {
    reject: false,
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  const [id] = await startContainers([name], ['sh', '-c', 'while true; do cat /proc/uptime; sleep 0.1; done']);
  const path = join(dir, `${id!.slice(0, 12)}-${name}.log`);
  const delaysMs: number[] = [];
  let offset = 0;
  let pending = '';
  const deadline = Date.now() + 20_000;
  try {
    while (Date.now() < deadline && delaysMs.length < 150) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      let size;
      try {
        size = statSync(path).size;
      } catch {
        continue;
      }
      if (size <= offset) continue;
      const arrived = uptimeSeconds();
      const buffer = Buffer.alloc(size - offset);
      const handle = openSync(path, 'r');
      readSync(handle, buffer, 0, buffer.length, offset);
      closeSync(handle);
      offset = size;
      pending += buffer.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const printed = / stdout (\d+\.\d+) /.exec(line)?.[1];
        if (printed !== undefined) delaysMs.push((arrived - Number(printed)) * 1000);
      }
    }
  } finally {
    follower.kill('SIGTERM');
    await follower;
    await removeContainers([name]);
  }
  // The first lines may be a catch-up read: skip them.
  const sorted = delaysMs.slice(10).sort((a, b) => a - b);
  const at = (fraction: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
  console.log(`latency, container print -> line in its file (${sorted.length} lines, clock resolution 10 ms):`);
  console.log(
    `  median ${at(0.5).toFixed(0)} ms   p90 ${at(0.9).toFixed(0)} ms   max ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} ms`,
  );
}

try {
  const version = await dockerOk(['version', '--format', 'engine {{.Server.Version}}, client {{.Client.Version}}']);
  console.log(`monitor benchmarks: ${version}\n`);
  const only = process.argv.slice(2);
  if (only.length === 0 || only.includes('throughput')) {
    await fixedCost();
    await throughput(1, burstLines, { follow: true });
    await throughput(16, burstLines, { follow: true });
    await throughput(1, longBurstLines, { follow: false });
  }
  if (only.length === 0 || only.includes('latency')) await latency();
  if (only.length === 0 || only.includes('idle')) await idleFollowing();
} finally {
  const left = (await dockerOk(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (left.length > 0) await removeContainers(left);
  rmSync(work, { recursive: true, force: true });
}
