import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseSampleLine,
  parseStatsText,
  readStatsFile,
  readStockLine,
  sampleFields,
  scanNumber,
} from '../../../../src/monitor/stats-report/stats-file.js';
import type { StatsSample } from '../../../../src/monitor/stats-sample.js';

const id = 'ced4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e';

function sample(second: number, overrides: Partial<StatsSample> = {}): StatsSample {
  return {
    time: new Date(Date.UTC(2024, 0, 2, 3, 4, second, 617)).toISOString(),
    id,
    name: 'ann_web_1',
    cpuPercent: 0.5 + second,
    memoryUsedBytes: 602112 + second,
    memoryLimitBytes: 25276063744,
    memoryPercent: 0,
    networkRxBytes: 1000 * second,
    networkTxBytes: 10 * second,
    blockReadBytes: 4096,
    blockWriteBytes: 0,
    pids: 1,
    ...overrides,
  };
}
const line = (value: StatsSample): string => `${JSON.stringify(value)}\n`;

t.test('samples become columns in time order, with the id and name of the file', async (t) => {
  const parsed = parseStatsText(line(sample(0)) + line(sample(1)) + line(sample(2)));
  t.equal(parsed.sampleLines, 3);
  t.equal(parsed.otherLines, 0);
  t.notOk(parsed.truncatedLastLine);
  const samples = parsed.samples!;
  t.equal(samples.id, id);
  t.equal(samples.name, 'ann_web_1');
  t.same(
    [...samples.timesMs],
    [0, 1, 2].map((second) => Date.UTC(2024, 0, 2, 3, 4, second, 617)),
  );
  t.same([...samples.columns.cpuPercent], [0.5, 1.5, 2.5]);
  t.same([...samples.columns.memoryLimitBytes], [25276063744, 25276063744, 25276063744]);
  t.same([...samples.columns.networkRxBytes], [0, 1000, 2000]);
});

t.test("the byte reader of stats-all's own lines reads what JSON.parse reads", async (t) => {
  const lines = [
    sample(3),
    sample(59, { cpuPercent: 123.45, memoryPercent: 99.99, pids: 4194304 }),
    sample(7, { cpuPercent: 0, networkRxBytes: 9007199254740991, blockWriteBytes: 1e21 }),
    sample(8, { cpuPercent: 0.000001, memoryPercent: 12.000000000000002 }),
  ].map((value) => JSON.stringify(value));
  for (const text of lines) {
    const bytes = Buffer.from(text);
    const values = new Array<number>(sampleFields.length).fill(-1);
    const timeMs = readStockLine(bytes, 0, bytes.length, values);
    const expected = parseSampleLine(text)!;
    t.equal(timeMs, expected.timeMs, text);
    t.same(values, expected.values, text);
  }
});

t.test('lines in another key order or with more fields are read by JSON.parse', async (t) => {
  const reordered = { ...sample(1), time: undefined, extra: 'x' };
  const text = `${JSON.stringify({ ...reordered, time: sample(1).time })}\n${JSON.stringify({ image: 'web', ...sample(2) })}\n`;
  const bytes = Buffer.from(text.split('\n')[0]!);
  t.ok(Number.isNaN(readStockLine(bytes, 0, bytes.length, [])), 'not a stock line');
  const parsed = parseStatsText(text);
  t.equal(parsed.sampleLines, 2);
  t.same([...parsed.samples!.columns.cpuPercent], [1.5, 2.5]);
});

t.test('names with escapes are read by JSON.parse, right', async (t) => {
  for (const name of ['say "hi"', 'back\\', 'tab\there']) {
    const text = JSON.stringify(sample(1, { name }));
    const bytes = Buffer.from(text);
    const values: number[] = [];
    const timeMs = readStockLine(bytes, 0, bytes.length, values);
    const parsed = parseStatsText(`${text}\n`);
    t.equal(parsed.samples!.name, name);
    t.equal(parsed.sampleLines, 1);
    if (!Number.isNaN(timeMs)) t.same(values, parseSampleLine(text)!.values, 'a stock read, when taken, is right');
  }
});

t.test('numbers: integers, decimals, negatives and exponents', async (t) => {
  const at = (text: string): number => scanNumber(Buffer.from(text), 0, text.length);
  t.equal(at('0'), 0);
  t.equal(at('42,'), 42);
  t.equal(at('-3.25}'), -3.25);
  t.equal(at('0.1'), 0.1);
  t.equal(at('1e+21'), 1e21);
  t.equal(at('2.5E-3'), 0.0025);
  t.equal(at('12345678901234567890'), Number('12345678901234567890'));
  t.ok(Number.isNaN(at('x')));
  t.ok(Number.isNaN(at('1.')));
  t.ok(Number.isNaN(at('-')));
});

t.test('a truncated last line (stats-all killed mid-write) is reported, the samples before it kept', async (t) => {
  const whole = line(sample(0)) + line(sample(1));
  const cut = line(sample(2)).slice(0, 80);
  const parsed = parseStatsText(whole + cut);
  t.equal(parsed.sampleLines, 2);
  t.ok(parsed.truncatedLastLine);
  t.equal(parsed.otherLines, 0, 'the cut line is not counted as a foreign line');
  t.equal(parsed.samples!.timesMs.length, 2);
});

t.test('a complete last line without its newline is a sample', async (t) => {
  const parsed = parseStatsText(line(sample(0)) + JSON.stringify(sample(1)));
  t.equal(parsed.sampleLines, 2);
  t.notOk(parsed.truncatedLastLine);
});

t.test('a file of another format has no samples, only other lines; blank lines are nothing', async (t) => {
  const csv = parseStatsText('time,cpu\n2024-01-02T03:04:05Z,0.5\n');
  t.equal(csv.sampleLines, 0);
  t.equal(csv.otherLines, 2);
  t.equal(csv.samples, undefined);
  const json = parseStatsText('{"level":"info","msg":"hello"}\n[1,2]\nnull\n\n   \n');
  t.equal(json.sampleLines, 0);
  t.equal(json.otherLines, 3);
  const mixed = parseStatsText(`${line(sample(0))}not json\n${line(sample(1))}{"time":"x","id":"a","name":"b"}\n`);
  t.equal(mixed.sampleLines, 2);
  t.equal(mixed.otherLines, 2);
});

t.test('a sample with a field that is not a number is not a sample', async (t) => {
  const broken = { ...sample(0), pids: '3' };
  t.equal(parseSampleLine(JSON.stringify(broken)), undefined);
  t.equal(parseSampleLine(JSON.stringify({ ...sample(0), time: 'yesterday' })), undefined);
});

t.test('samples outside the time window are counted and left out', async (t) => {
  const text = [0, 1, 2, 3].map((second) => line(sample(second))).join('');
  const parsed = parseStatsText(text, {
    sinceMs: Date.UTC(2024, 0, 2, 3, 4, 1),
    untilMs: Date.UTC(2024, 0, 2, 3, 4, 2, 617),
  });
  t.equal(parsed.sampleLines, 4);
  t.equal(parsed.outsideWindow, 2);
  t.same([...parsed.samples!.columns.cpuPercent], [1.5, 2.5]);
});

t.test('samples out of time order are sorted', async (t) => {
  const parsed = parseStatsText(line(sample(2)) + line(sample(0)) + line(sample(1)));
  t.same([...parsed.samples!.columns.cpuPercent], [0.5, 1.5, 2.5]);
});

t.test('times across minutes, hours and days are read right', async (t) => {
  const times = [
    '2024-01-02T03:59:59.999Z',
    '2024-01-02T04:00:00.000Z',
    '2024-12-31T23:59:59.500Z',
    '2025-01-01T00:00:00.001Z',
  ];
  const parsed = parseStatsText(times.map((time) => line({ ...sample(0), time })).join(''));
  t.same(
    [...parsed.samples!.timesMs],
    times.map((time) => Date.parse(time)),
  );
});

t.test('a file is read in chunks: lines cut by a chunk boundary are whole again', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'x.stats.jsonl');
  const count = 30_000;
  let text = '';
  for (let index = 0; index < count; index++) text += line(sample(index % 60, { pids: index }));
  writeFileSync(path, `${text}{"time":"2024-01-02T03:`);
  t.ok(text.length > 4 * 1024 * 1024, 'larger than one chunk');
  const parsed = await readStatsFile(path);
  t.equal(parsed.sampleLines, count);
  t.equal(parsed.otherLines, 0);
  t.ok(parsed.truncatedLastLine);
  t.same(
    [...parsed.samples!.columns.pids].sort((a, b) => a - b),
    Array.from({ length: count }, (_, index) => index),
  );
});
