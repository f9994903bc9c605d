import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
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
    ['a', 'b'].map((letter) =>
      dockerOk([
        'run',
        '-d',
        '--network',
        'none',
        '--label',
        `${testLabel}=${suffix}`,
        '--name',
        `${letter}-${suffix}`,
        'busybox',
        'sleep',
        '120',
      ]),
    ),
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
  await dockerOk([
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    `${testLabel}=${suffix}`,
    '--name',
    `stays-${suffix}`,
    'busybox',
    'sleep',
    '120',
  ]);
  await dockerOk([
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    `${testLabel}=${suffix}`,
    '--name',
    `stops-${suffix}`,
    'busybox',
    'sleep',
    '3',
  ]);
  const child = execa(
    process.execPath,
    [join(repoRoot, 'bin', 'stats-all.js'), '--all', '--name', `*-${suffix}`, '--dir', dir],
    { reject: false, timeout: 90_000, killSignal: 'SIGKILL' },
  );
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await dockerOk([
    'run',
    '-d',
    '--network',
    'none',
    '--label',
    `${testLabel}=${suffix}`,
    '--name',
    `late-${suffix}`,
    'busybox',
    'sleep',
    '120',
  ]);
  // dockerd samples each container about once a second, more slowly under load: wait (bounded) for
  // the samples the assertions need rather than for a fixed time.
  const samplesOf = (name: string): number => {
    const file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}-${suffix}.stats.jsonl`));
    return file ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).length : 0;
  };
  const enough = { stays: 6, late: 2 };
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline && (samplesOf('stays') < enough.stays || samplesOf('late') < enough.late)) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill('SIGTERM');
  const result = await child;
  t.equal(result.exitCode, 0, String(result.stderr));
  t.match(String(result.stderr), `stops-${suffix} left`);
  const lines = String(result.stdout).trim().split('\n');
  const staysLines = lines.filter((line) => line.includes(` stays-${suffix} `));
  const stopsLines = lines.filter((line) => line.includes(` stops-${suffix} `));
  t.ok(staysLines.length >= enough.stays, `the running container keeps being sampled (${staysLines.length})`);
  t.ok(stopsLines.length >= 1 && stopsLines.length <= 4, `the stopped container left (${stopsLines.length})`);
  const lateLines = lines.filter((line) => line.includes(` late-${suffix} `));
  t.ok(lateLines.length >= enough.late, `a container started later joins from docker events (${lateLines.length})`);
  t.match(String(result.stderr), 'docker events --filter type=container', 'the events follow is echoed');
  t.notOk(
    lines.some((line) => line.startsWith('0001-')),
    'no empty samples of a stopped container',
  );
});
