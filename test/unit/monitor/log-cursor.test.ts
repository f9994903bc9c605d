import t from 'tap';
import { apiTime, formatTimestamp, timestampNanos } from '../../../src/docker/timestamps.js';
import { formatLogFileLine, formatNoteLine, LineHistory, parseLogFileLine } from '../../../src/monitor/log-cursor.js';
import type { LogLine } from '../../../src/monitor/log-decoder.js';

const line = (timestamp: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({
  timestamp,
  stream,
  text,
});

t.test('timestamps convert to nanoseconds and back without rounding', async (t) => {
  t.equal(timestampNanos('2024-01-02T03:04:05.123456789Z'), 1704164645123456789n);
  t.equal(timestampNanos('2024-01-02T03:04:05Z'), 1704164645000000000n);
  t.equal(timestampNanos('2024-01-02T03:04:05.5Z'), 1704164645500000000n);
  t.equal(formatTimestamp(1704164645000000007n), '2024-01-02T03:04:05.000000007Z');
  t.equal(apiTime(1704164645000000007n), '1704164645.000000007');
  t.throws(() => timestampNanos('2024-01-02T03:04:05'), /not an RFC3339Nano UTC/);
});

t.test('a resumed read drops exact repeats, including the inclusive boundary line', async (t) => {
  const history = new LineHistory(100n);
  history.recall([line('2024-01-02T03:04:05.000000050Z', 'a'), line('2024-01-02T03:04:05.000000090Z', 'b')]);
  t.equal(history.resumeFromNanos(), 1704164645000000090n - 100n);
  const filter = history.resumeFilter();
  t.same(filter.decide(line('2024-01-02T03:04:05.000000050Z', 'a')), { write: false });
  t.same(
    filter.decide(line('2024-01-02T03:04:05.000000080Z', 'late stderr', 'stderr')),
    { write: true },
    'an inverted line not seen before',
  );
  t.same(filter.decide(line('2024-01-02T03:04:05.000000090Z', 'b')), { write: false });
  t.same(
    filter.decide(line('2024-01-02T03:04:05.000000095Z', 'c')),
    { write: true },
    'no gap: the newest came back first',
  );
});

t.test('same time and text on the other stream is a different line', async (t) => {
  const history = new LineHistory();
  history.recall([line('2024-01-02T03:04:05.000000001Z', 'x')]);
  const filter = history.resumeFilter();
  t.same(filter.decide(line('2024-01-02T03:04:05.000000001Z', 'x', 'stderr')), { write: true });
  t.same(filter.decide(line('2024-01-02T03:04:05.000000001Z', 'x')), { write: false });
});

t.test('a newer line before the newest written one comes back marks a gap', async (t) => {
  const history = new LineHistory();
  history.recall([line('2024-01-02T03:04:05.000000001Z', 'old')]);
  const filter = history.resumeFilter();
  t.same(filter.decide(line('2024-01-02T03:09:00.000000000Z', 'after rotation')), {
    write: true,
    gap: { after: '2024-01-02T03:04:05.000000001Z', before: '2024-01-02T03:09:00.000000000Z' },
  });
  t.same(filter.decide(line('2024-01-02T03:09:01.000000000Z', 'next')), { write: true });
});

t.test('a first read (nothing written yet) writes everything and marks no gap', async (t) => {
  const history = new LineHistory();
  t.notOk(history.needsRecall);
  t.same(history.resumeFilter().decide(line('2024-01-02T03:04:05.000000001Z', 'x')), { write: true });
});

t.test('written lines move the resume point and call for a recall of the file before the next read', async (t) => {
  const history = new LineHistory(10n);
  history.recall([line('2024-01-02T03:04:05.000000001Z', 'a')]);
  t.notOk(history.needsRecall);
  history.add(line('2024-01-02T03:04:05.000000100Z', 'b'));
  history.add(line('2024-01-02T03:04:05.000000099Z', 'inverted', 'stderr'));
  t.ok(history.needsRecall, 'the recalled lines no longer end where the file ends');
  t.equal(history.newestTimestamp, '2024-01-02T03:04:05.000000100Z', 'an inverted line does not move the newest back');
  t.equal(history.resumeFromNanos(), 1704164645000000100n - 10n);
});

t.test('a read judges its lines against what was written when it started', async (t) => {
  const history = new LineHistory();
  history.recall([line('2024-01-02T03:04:05.000000010Z', 'a')]);
  const filter = history.resumeFilter();
  // Lines this read writes, and a later recall, do not change what it takes for a repeat.
  history.add(line('2024-01-02T03:04:05.000000020Z', 'b'));
  history.recall([]);
  t.same(
    filter.decide(line('2024-01-02T03:04:05.000000010Z', 'a')),
    { write: false },
    'written before the read: a repeat',
  );
  t.same(
    filter.decide(line('2024-01-02T03:04:05.000000015Z', 'c', 'stderr')),
    { write: true },
    'an older stderr line stored late is new',
  );
});

t.test('a file cut under logs-all (its newest line gone) marks no gap on the next read', async (t) => {
  const history = new LineHistory();
  history.recall([]);
  history.add(line('2024-01-02T03:04:05.000000010Z', 'a'));
  history.add(line('2024-01-02T03:04:05.000000020Z', 'b'));
  history.recall([]);
  const filter = history.resumeFilter();
  t.same(
    filter.decide(line('2024-01-02T03:04:05.000000020Z', 'b')),
    { write: true },
    'no longer in the file: written again',
  );
  t.same(filter.decide(line('2024-01-02T03:04:05.000000030Z', 'c')), { write: true }, 'and no gap marker');
});

t.test('a floor ahead of the file expects no line back and marks no gap', async (t) => {
  const history = new LineHistory();
  history.recall([line('2024-01-02T03:04:05.000000010Z', 'a')]);
  history.markFloor('2024-01-02T03:04:06.000000000Z');
  t.equal(history.newestTimestamp, '2024-01-02T03:04:06.000000000Z');
  const filter = history.resumeFilter();
  t.same(filter.decide(line('2024-01-02T03:04:05.000000010Z', 'a')), { write: false }, 'still a repeat of the file');
  t.same(filter.decide(line('2024-01-02T03:04:07.000000000Z', 'later')), { write: true });
});

t.test('log file lines and notes round-trip, and only they parse', async (t) => {
  const written = line('2024-01-02T03:04:05.000000001Z', 'hello  world ', 'stderr');
  t.equal(formatLogFileLine(written), '2024-01-02T03:04:05.000000001Z stderr hello  world \n');
  t.same(parseLogFileLine(formatLogFileLine(written).slice(0, -1)), { kind: 'line', line: written });
  t.same(
    parseLogFileLine(formatNoteLine('2024-01-02T03:04:05.000000001Z', 'exit', 'exited with code 3').slice(0, -1)),
    {
      kind: 'exit',
      timestamp: '2024-01-02T03:04:05.000000001Z',
      text: 'exited with code 3',
    },
  );
  t.equal(parseLogFileLine('garbage'), undefined);
  t.equal(parseLogFileLine('2024-01-02T03:04:05.000000001Z exit not a note'), undefined);
});

t.test('a resumed read never starts before where --since or --tail began the capture', async (t) => {
  const history = new LineHistory(250_000_000n);
  const tailed = '2024-01-02T03:04:05.100000000Z';
  history.add(line(tailed, '8'));
  history.add(line('2024-01-02T03:04:05.100000200Z', '10'));
  t.equal(
    formatTimestamp(history.resumeFromNanos()!),
    '2024-01-02T03:04:04.850000200Z',
    'without a start, the overlap window before the newest line',
  );
  history.markStart(tailed);
  t.equal(history.startTimestamp, tailed);
  t.equal(formatTimestamp(history.resumeFromNanos()!), tailed, 'with one, the lines the --tail read left out stay out');
  history.markStart('2024-01-02T03:04:00Z');
  t.equal(history.startTimestamp, tailed, 'the start only moves forward');
  history.add(line('2024-01-02T03:04:06Z', '11'));
  t.equal(
    formatTimestamp(history.resumeFromNanos()!),
    '2024-01-02T03:04:05.750000000Z',
    'once well past it, the window',
  );
});

t.test('passes: only lines newer than the newest written, once it came back; per stream after that', async (t) => {
  const history = new LineHistory(100n);
  history.recall([line('2024-01-02T03:04:05.000000090Z', 'b')]);
  const filter = history.resumeFilter();
  const bytes = (timestamp: string): Buffer => Buffer.from(`${timestamp} x`);
  const passes = (stream: 'stdout' | 'stderr', timestamp: string): boolean =>
    filter.passes(stream, bytes(timestamp), 0, timestamp.length);
  t.notOk(passes('stdout', '2024-01-02T03:04:05.000000095Z'), 'not before the newest came back: decide tells');
  filter.decide(line('2024-01-02T03:04:05.000000090Z', 'b'));
  t.notOk(passes('stdout', '2024-01-02T03:04:05.000000090Z'), 'the newest itself');
  t.ok(passes('stdout', '2024-01-02T03:04:05.000000096Z'));
  t.notOk(passes('stderr', '2024-01-02T03:04:05.000000080Z'), "another stream's older line still goes to decide");
  t.ok(passes('stdout', '2024-01-02T03:04:05.000000097Z'), 'the same stream goes on passing');
});
