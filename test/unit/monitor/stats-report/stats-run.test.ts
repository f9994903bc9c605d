import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../../src/errors.js';
import { formatNoteLine } from '../../../../src/monitor/log-cursor.js';
import { describeSkipped, loadStatsRun, type StatsRunRequest } from '../../../../src/monitor/stats-report/stats-run.js';
import type { StatsSample } from '../../../../src/monitor/stats-sample.js';

const startMs = Date.UTC(2024, 0, 2, 3, 4, 0);

function samples(id: string, name: string, count: number, fromSecond = 0): string {
  let text = '';
  for (let index = 0; index < count; index++) {
    const sample: StatsSample = {
      time: new Date(startMs + (fromSecond + index) * 1000).toISOString(),
      id,
      name,
      cpuPercent: index,
      memoryUsedBytes: 1048576,
      memoryLimitBytes: 536870912,
      memoryPercent: 0.2,
      networkRxBytes: 100 * index,
      networkTxBytes: 0,
      blockReadBytes: 0,
      blockWriteBytes: 0,
      pids: 1,
    };
    text += `${JSON.stringify(sample)}\n`;
  }
  return text;
}

const idOf = (letter: string): string => letter.repeat(64);
const statsFile = (dir: string, letter: string, name: string, text: string): void =>
  writeFileSync(join(dir, `${letter.repeat(12)}-${name}.stats.jsonl`), text);

const request = (dir: string, more: Partial<StatsRunRequest> = {}): StatsRunRequest => ({
  dir,
  dirGiven: true,
  window: {},
  namePatterns: [],
  withMarks: true,
  ...more,
});

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

t.test('a folder: each stats file a container, banners from the log file beside it', async (t) => {
  const dir = t.testdir();
  statsFile(dir, 'a', 'ann_web_1', samples(idOf('a'), 'ann_web_1', 10));
  statsFile(dir, 'b', 'ann_web_2', samples(idOf('b'), 'ann_web_2', 5));
  writeFileSync(
    join(dir, 'aaaaaaaaaaaa-ann_web_1.log'),
    formatNoteLine('2024-01-02T03:03:59.500000000Z', 'start', 'ann_web_1 (aaaaaaaaaaaa) started') +
      '2024-01-02T03:04:01.000000000Z stdout hello\n' +
      formatNoteLine('2024-01-02T03:04:09.700000000Z', 'exit', 'ann_web_1 exited with code 2, not OOM-killed') +
      formatNoteLine('2023-01-01T00:00:00.000000000Z', 'start', 'a year before: not this run'),
  );
  writeFileSync(join(dir, 'all.log'), 'ann_web_1 2024-01-02T03:04:01.000000000Z stdout hello\n');
  writeFileSync(join(dir, 'aaaaaaaaaaaa-ann_web_1.cursor.json'), '{}');
  const run = await loadStatsRun(request(dir));
  t.same(
    run.containers.map((container) => [container.label, container.samples.timesMs.length]),
    [
      ['ann_web_1', 10],
      ['ann_web_2', 5],
    ],
  );
  t.equal(run.samples, 15);
  t.same(
    run.containers[0]!.marks.map((mark) => mark.label),
    ['start', 'exit 2'],
  );
  t.same(run.containers[1]!.marks, []);
  t.equal(describeSkipped(run.skipped), undefined);
  const withoutMarks = await loadStatsRun(request(dir, { withMarks: false }));
  t.same(withoutMarks.containers[0]!.marks, []);
});

t.test('bad files are skipped and said in one line; the rest is reported', async (t) => {
  const dir = t.testdir();
  statsFile(dir, 'a', 'web', samples(idOf('a'), 'web', 4) + '{"time":"2024-01-02T03:0');
  statsFile(dir, 'b', 'other', 'time,cpu\n1,2\n');
  statsFile(dir, 'c', 'empty', '');
  statsFile(dir, 'd', 'mixed', samples(idOf('d'), 'mixed', 2) + 'garbage\n');
  const run = await loadStatsRun(request(dir));
  t.same(
    run.containers.map((container) => container.label),
    ['mixed', 'web'],
  );
  t.same(run.skipped.truncatedFiles, ['aaaaaaaaaaaa-web.stats.jsonl']);
  t.same(run.skipped.foreignFiles, ['bbbbbbbbbbbb-other.stats.jsonl']);
  t.same(run.skipped.emptyFiles, ['cccccccccccc-empty.stats.jsonl']);
  t.same(run.skipped.otherLines, [{ file: 'dddddddddddd-mixed.stats.jsonl', lines: 1 }]);
  const line = describeSkipped(run.skipped)!;
  t.notMatch(line, /\n/, 'one line');
  t.match(line, 'a cut last line (stats-all stopped mid-write) in aaaaaaaaaaaa-web.stats.jsonl');
  t.match(line, '1 line that are not samples in dddddddddddd-mixed.stats.jsonl');
  t.match(line, 'files not written by stats-all: bbbbbbbbbbbb-other.stats.jsonl');
  t.match(line, 'empty files: cccccccccccc-empty.stats.jsonl');
});

t.test('nothing to report is an error with exit code 1, saying why', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'x' });
  let error = await rejection(loadStatsRun(request(dir)));
  t.equal(error.exitCode, 1);
  t.match(error.message, /^nothing to report: no \*\.stats\.jsonl file in .* \(run stats-all first\)$/);

  statsFile(dir, 'b', 'other', 'not a sample\n');
  error = await rejection(loadStatsRun(request(dir)));
  t.equal(error.exitCode, 1);
  t.match(error.message, 'nothing to report: no samples in');
  t.match(error.message, 'files not written by stats-all: bbbbbbbbbbbb-other.stats.jsonl');

  statsFile(dir, 'a', 'web', samples(idOf('a'), 'web', 3));
  error = await rejection(loadStatsRun(request(dir, { window: { sinceMs: startMs + 3_600_000 } })));
  t.equal(error.exitCode, 1);
  t.match(error.message, 'the 3 samples in');
  t.match(error.message, 'are all outside the time since 2024-01-02T04:04:00.000Z');

  error = await rejection(loadStatsRun(request(dir, { namePatterns: ['db*'] })));
  t.match(error.message, 'nothing to report: no stats file in');
  t.match(error.message, 'for --name db*');
});

t.test('a folder that is not there: bad input when named, nothing to report by default', async (t) => {
  const missing = join(t.testdir(), 'nope');
  t.equal((await rejection(loadStatsRun(request(missing)))).exitCode, 2);
  const byDefault = await rejection(loadStatsRun(request(missing, { dirGiven: false })));
  t.equal(byDefault.exitCode, 1);
  t.match(byDefault.message, 'stats-all writes its files there');
});

t.test('--name keeps the matching containers only', async (t) => {
  const dir = t.testdir();
  statsFile(dir, 'a', 'ann_web_1', samples(idOf('a'), 'ann_web_1', 2));
  statsFile(dir, 'b', 'ann_db_1', samples(idOf('b'), 'ann_db_1', 2));
  const run = await loadStatsRun(request(dir, { namePatterns: ['*web*'] }));
  t.same(
    run.containers.map((container) => container.name),
    ['ann_web_1'],
  );
});

t.test('dock sub-folders: read with the folder, the dock in the label; --dock reads one', async (t) => {
  const dir = t.testdir();
  statsFile(dir, 'a', 'web_1', samples(idOf('a'), 'web_1', 2));
  for (const dock of ['east', 'west']) {
    mkdirSync(join(dir, dock));
    statsFile(join(dir, dock), 'b', 'web_1', samples(idOf('b'), 'web_1', 3));
  }
  mkdirSync(join(dir, 'not-a-dock'));
  const all = await loadStatsRun(request(dir));
  t.same(all.docks, ['east', 'west']);
  t.same(
    all.containers.map((container) => [container.label, container.dock]),
    [
      ['web_1', undefined],
      ['web_1 @ east', 'east'],
      ['web_1 @ west', 'west'],
    ],
  );
  const east = await loadStatsRun(request(dir, { dock: 'east' }));
  t.equal(east.dir, join(dir, 'east'));
  t.same(
    east.containers.map((container) => container.label),
    ['web_1 @ east'],
  );
  const error = await rejection(loadStatsRun(request(dir, { dock: 'north' })));
  t.equal(error.exitCode, 2);
  t.match(error.message, 'docks with stats in');
  t.match(error.message, 'east, west');
});

t.test('two containers of one name (one after the other) are told apart by short id', async (t) => {
  const dir = t.testdir();
  statsFile(dir, 'a', 'web', samples(idOf('a'), 'web', 2));
  statsFile(dir, 'b', 'web', samples(idOf('b'), 'web', 2, 10));
  const run = await loadStatsRun(request(dir));
  t.same(
    run.containers.map((container) => container.label),
    ['web (aaaaaaaaaaaa)', 'web (bbbbbbbbbbbb)'],
  );
});
