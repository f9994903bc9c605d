import t from 'tap';
import {
  formatLogFileLine,
  formatNoteLine,
  formatTimestamp,
  LineHistory,
  lineKey,
  parseLogFileLine,
  ResumeFilter,
  sinceParameter,
  timestampNanos,
} from '../../../src/monitor/log-cursor.js';
import type { LogLine } from '../../../src/monitor/log-decoder.js';

const line = (timestamp: string, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({ timestamp, stream, text });

t.test('timestamps convert to nanoseconds and back without rounding', async (t) => {
  t.equal(timestampNanos('2024-01-02T03:04:05.123456789Z'), 1704164645123456789n);
  t.equal(timestampNanos('2024-01-02T03:04:05Z'), 1704164645000000000n);
  t.equal(timestampNanos('2024-01-02T03:04:05.5Z'), 1704164645500000000n);
  t.equal(formatTimestamp(1704164645000000007n), '2024-01-02T03:04:05.000000007Z');
  t.equal(sinceParameter(1704164645000000007n), '1704164645.000000007');
  t.throws(() => timestampNanos('2024-01-02T03:04:05'), /not an RFC3339Nano UTC/);
});

t.test('a resumed read drops exact repeats, including the inclusive boundary line', async (t) => {
  const history = new LineHistory(100n);
  history.add(line('2024-01-02T03:04:05.000000050Z', 'a'));
  history.add(line('2024-01-02T03:04:05.000000090Z', 'b'));
  t.equal(history.resumeFromNanos(), 1704164645000000090n - 100n);
  const filter = new ResumeFilter(history);
  t.same(filter.decide(line('2024-01-02T03:04:05.000000050Z', 'a')), { write: false });
  t.same(filter.decide(line('2024-01-02T03:04:05.000000080Z', 'late stderr', 'stderr')), { write: true }, 'an inverted line not seen before');
  t.same(filter.decide(line('2024-01-02T03:04:05.000000090Z', 'b')), { write: false });
  t.same(filter.decide(line('2024-01-02T03:04:05.000000095Z', 'c')), { write: true }, 'no gap: the newest came back first');
});

t.test('same time and text on the other stream is a different line', async (t) => {
  const history = new LineHistory();
  history.add(line('2024-01-02T03:04:05.000000001Z', 'x'));
  t.notOk(history.has(lineKey(line('2024-01-02T03:04:05.000000001Z', 'x', 'stderr'))));
  t.ok(history.has(lineKey(line('2024-01-02T03:04:05.000000001Z', 'x'))));
});

t.test('a newer line before the newest written one comes back marks a gap', async (t) => {
  const history = new LineHistory();
  history.add(line('2024-01-02T03:04:05.000000001Z', 'old'));
  const filter = new ResumeFilter(history);
  t.same(filter.decide(line('2024-01-02T03:09:00.000000000Z', 'after rotation')), {
    write: true,
    gap: { after: '2024-01-02T03:04:05.000000001Z', before: '2024-01-02T03:09:00.000000000Z' },
  });
  t.same(filter.decide(line('2024-01-02T03:09:01.000000000Z', 'next')), { write: true });
});

t.test('a first read (nothing written yet) writes everything and marks no gap', async (t) => {
  const filter = new ResumeFilter(new LineHistory());
  t.same(filter.decide(line('2024-01-02T03:04:05.000000001Z', 'x')), { write: true });
});

t.test('the history forgets lines older than the window, never the newest', async (t) => {
  const history = new LineHistory(10n);
  history.add(line('2024-01-02T03:04:05.000000001Z', 'a'));
  // Forgetting happens in batches of 1024 lines.
  for (let index = 0; index < 1024; index++) history.add(line('2024-01-02T03:04:05.000000100Z', 'b'));
  t.notOk(history.has(lineKey(line('2024-01-02T03:04:05.000000001Z', 'a'))));
  t.ok(history.has(lineKey(line('2024-01-02T03:04:05.000000100Z', 'b'))));
  t.equal(history.newestTimestamp, '2024-01-02T03:04:05.000000100Z');
});

t.test('log file lines and notes round-trip, and only they parse', async (t) => {
  const written = line('2024-01-02T03:04:05.000000001Z', 'hello  world ', 'stderr');
  t.equal(formatLogFileLine(written), '2024-01-02T03:04:05.000000001Z stderr hello  world \n');
  t.same(parseLogFileLine(formatLogFileLine(written).slice(0, -1)), { kind: 'line', line: written });
  t.same(parseLogFileLine(formatNoteLine('2024-01-02T03:04:05.000000001Z', 'exit', 'exited with code 3').slice(0, -1)), {
    kind: 'exit',
    timestamp: '2024-01-02T03:04:05.000000001Z',
    text: 'exited with code 3',
  });
  t.equal(parseLogFileLine('garbage'), undefined);
  t.equal(parseLogFileLine('2024-01-02T03:04:05.000000001Z exit not a note'), undefined);
});
