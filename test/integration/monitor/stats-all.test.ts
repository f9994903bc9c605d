import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { waitFor } from '../../helpers/wait.js';
import {
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';

t.before(requireEngine);

const numericFields = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryLimitBytes',
  'memoryPercent',
  'networkRxBytes',
  'networkTxBytes',
  'blockReadBytes',
  'blockWriteBytes',
  'pids',
];

t.test('stats-all --once --json samples each running container into its jsonl file with numbers', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const ids = await Promise.all(
    ['a', 'b'].map((letter) => dockerOk(testContainerArgs(suffix, `${letter}-${suffix}`, ['sleep', '120']))),
  );
  const result = await runBin('stats-all', ['--all', '--name', `*-${suffix}`, '--once', '--json', '--dir', dir]);
  t.equal(result.exitCode, 0, result.stderr);
  const samples = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  t.same(samples.map((sample) => sample.id).sort(), [...ids].sort());
  for (const sample of samples) {
    for (const field of numericFields) t.type(sample[field], 'number', field);
    t.ok((sample.memoryLimitBytes as number) > 0);
    t.ok((sample.pids as number) >= 1);
    t.match(sample.time, /^\d{4}-\d\d-\d\dT/);
  }
  for (const id of ids) {
    const file = readdirSync(dir).find((name) => name.startsWith(id.slice(0, 12)) && name.endsWith('.stats.jsonl'));
    t.ok(file, 'a jsonl file per container');
    t.equal(readFileSync(join(dir, file!), 'utf8').trim().split('\n').length, 1);
  }
});

t.test('streaming: a container that starts later joins, one that stops leaves, and the stream goes on', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const startSleeper = (name: string): Promise<string> =>
    dockerOk(testContainerArgs(suffix, `${name}-${suffix}`, ['sleep', '300']));
  await startSleeper('stays');
  await startSleeper('stops');
  // Every wait below is bounded by waitFor; together they stay within the child's limit.
  const child = execa(
    process.execPath,
    [join(repoRoot, 'bin', 'stats-all.js'), '--all', '--name', `*-${suffix}`, '--dir', dir],
    { reject: false, timeout: 150_000, killSignal: 'SIGKILL' },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  // dockerd samples each container about once a second, more slowly under load: wait (bounded) for
  // the samples the assertions need rather than for a fixed time.
  const samplesOf = (name: string): number => {
    const file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}-${suffix}.stats.jsonl`));
    return file ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).length : 0;
  };
  await waitFor('the first samples of both containers', () => samplesOf('stays') >= 1 && samplesOf('stops') >= 1);
  await dockerOk(['kill', `stops-${suffix}`]);
  await waitFor('the stopped container leaving', () => stderr.includes(`stops-${suffix} left`), 30_000);
  const stopsSamples = samplesOf('stops');
  await startSleeper('late');
  const enough = { stays: 6, late: 2 };
  await waitFor(
    'samples of the running and the late container',
    () => samplesOf('stays') >= enough.stays && samplesOf('late') >= enough.late,
  );
  t.equal(samplesOf('stops'), stopsSamples, 'no sample of the stopped container after it left');
  child.kill('SIGTERM');
  const result = await child;
  t.equal(result.exitCode, 0, stderr);
  const lines = String(result.stdout).trim().split('\n');
  const staysLines = lines.filter((line) => line.includes(` stays-${suffix} `));
  const stopsLines = lines.filter((line) => line.includes(` stops-${suffix} `));
  t.ok(staysLines.length >= enough.stays, `the running container keeps being sampled (${staysLines.length})`);
  t.equal(stopsLines.length, stopsSamples, 'each sample of the stopped one was printed, and no more');
  const lateLines = lines.filter((line) => line.includes(` late-${suffix} `));
  t.ok(lateLines.length >= enough.late, `a container started later joins from docker events (${lateLines.length})`);
  t.match(stderr, 'docker events --filter type=container', 'the events follow is echoed');
  t.notOk(
    lines.some((line) => line.startsWith('0001-')),
    'no empty samples of a stopped container',
  );
});

t.test('--interval above 2 polls one sample per container per interval, with CPU over the interval', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  // A busy loop: its CPU share is well above zero over any interval.
  await dockerOk(testContainerArgs(suffix, `busy-${suffix}`, ['sh', '-c', 'while :; do :; done']));
  const child = execa(
    process.execPath,
    [
      join(repoRoot, 'bin', 'stats-all.js'),
      '--all',
      '--name',
      `busy-${suffix}`,
      '--interval',
      '3',
      '--json',
      '--dir',
      dir,
    ],
    { reject: false, timeout: 90_000, killSignal: 'SIGKILL' },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  const samples = (): { time: string; cpuPercent: number }[] =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { time: string; cpuPercent: number });
  await waitFor('three polls', () => samples().length >= 3, 60_000);
  child.kill('SIGTERM');
  const result = await child;
  t.equal(result.exitCode, 0, String(result.stderr));
  t.notMatch(String(result.stderr), /docker stats(?! --no-stream)/, 'no stream is opened');
  const [first, second, third] = samples();
  t.equal(first?.cpuPercent, 0, "a container's first poll has 0 % (nothing to compare with yet)");
  t.ok((second?.cpuPercent ?? 0) > 1, `later polls measure the interval (${second?.cpuPercent} %)`);
  const gapMs = Date.parse(third!.time) - Date.parse(second!.time);
  t.ok(gapMs >= 2_500, `one poll per interval, not per second (${gapMs} ms apart)`);
});

t.test('no container in scope: no docker stats line, which would show the whole engine', async (t) => {
  const dir = t.testdir();
  const result = await runBin('stats-all', ['--all', '--name', `nothing-${uniqueSuffix()}-*`, '--once', '--dir', dir]);
  t.equal(result.exitCode, 0, result.stderr);
  t.match(result.stderr, /docker ps /, 'the listing is echoed');
  t.notMatch(result.stderr, /docker stats/);
});
