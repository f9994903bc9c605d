import t from 'tap';
import { UserError } from '../../../../src/errors.js';
import { parseTimeWindow } from '../../../../src/monitor/stats-report/time-window.js';

const nowMs = Date.UTC(2024, 0, 2, 12, 0, 0);

t.test("--since and --until take logs-all's forms", async (t) => {
  t.same(parseTimeWindow('1h30m', '10m', nowMs), { sinceMs: nowMs - 5_400_000, untilMs: nowMs - 600_000 });
  t.same(parseTimeWindow('1704196800', undefined, nowMs), { sinceMs: 1704196800_000 });
  t.same(parseTimeWindow(undefined, '2024-01-02T13:00:00+02:00', nowMs), { untilMs: Date.UTC(2024, 0, 2, 11) });
  t.same(parseTimeWindow(undefined, undefined, nowMs), {});
});

t.test('a bad time names its option; an end before the start is refused', async (t) => {
  t.throws(
    () => parseTimeWindow(undefined, '2024-01-02T13:00:00', nowMs),
    new UserError(
      '--until 2024-01-02T13:00:00: give a duration (10m, 1h30m), unix seconds, or an RFC3339 time with a zone (2024-01-02T03:04:05Z)',
    ),
  );
  t.throws(() => parseTimeWindow('yesterday', undefined, nowMs), { message: /^--since yesterday: / });
  t.throws(() => parseTimeWindow('10m', '1h', nowMs), { message: '--until 1h is before --since 10m', exitCode: 2 });
});
