import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLogFileLine, formatNoteLine, parseLogFileLine } from '../../../../src/monitor/log-cursor.js';
import { markOfEntry, readLogMarks } from '../../../../src/monitor/stats-report/log-marks.js';

const mark = (line: string): ReturnType<typeof markOfEntry> => markOfEntry(parseLogFileLine(line.trimEnd())!);

t.test("logs-all's banners become marks: start, exit with its code and OOM, restart, removed", async (t) => {
  t.match(mark(formatNoteLine('2024-01-02T03:04:05.000000000Z', 'start', 'web (ced4a1b2c3d4) started at x')), {
    kind: 'start',
    label: 'start',
    timeMs: Date.parse('2024-01-02T03:04:05Z'),
  });
  t.match(mark(formatNoteLine('2024-01-02T03:04:06.5Z', 'exit', 'web exited with code 0, not OOM-killed')), {
    kind: 'exit',
    exitCode: 0,
    oomKilled: false,
    label: 'exit 0',
  });
  t.match(mark(formatNoteLine('2024-01-02T03:04:07Z', 'exit', 'web exited with code 137, OOM-killed')), {
    kind: 'exit',
    exitCode: 137,
    oomKilled: true,
    label: 'exit 137 OOM',
  });
  t.match(mark(formatNoteLine('2024-01-02T03:04:08Z', 'exit', 'web exited with code 3, then restarted')), {
    kind: 'restart',
    exitCode: 3,
    label: 'restart (exit 3)',
  });
  t.match(mark(formatNoteLine('2024-01-02T03:04:08Z', 'exit', 'web exited with an unknown code, then restarted')), {
    kind: 'restart',
    exitCode: undefined,
    label: 'restart (exit ?)',
  });
  t.match(mark(formatNoteLine('2024-01-02T03:04:09Z', 'removed', 'web was removed')), { kind: 'removed' });
});

t.test('container output and gap notes are not marks', async (t) => {
  t.equal(
    mark(formatLogFileLine({ timestamp: '2024-01-02T03:04:05Z', stream: 'stdout', text: 'x exit --- y' })),
    undefined,
  );
  t.equal(mark(formatNoteLine('2024-01-02T03:04:05Z', 'gap', 'lines after a are missing')), undefined);
});

t.test('a log file is scanned in chunks for its banners only, long output lines skipped unread', async (t) => {
  const dir = t.testdir();
  const path = join(dir, 'ced4a1b2c3d4-web.log');
  const output = (index: number, text: string): string =>
    formatLogFileLine({
      timestamp: `2024-01-02T03:04:${String(index % 60).padStart(2, '0')}.000000000Z`,
      stream: 'stdout',
      text,
    });
  let text = formatNoteLine('2024-01-02T03:04:00.000000000Z', 'start', 'web (ced4a1b2c3d4) started at x');
  for (let index = 0; index < 500; index++) text += output(index, `line ${index} --- looks like a note`);
  text += output(1, 'x'.repeat(50_000) + ' start --- not a note');
  text += formatNoteLine('2024-01-02T03:05:00.000000000Z', 'exit', 'web exited with code 1, then restarted');
  text += formatNoteLine('2024-01-02T03:05:01.000000000Z', 'start', 'web (ced4a1b2c3d4) started at y');
  for (let index = 0; index < 500; index++) text += output(index, 'more');
  text += formatNoteLine('2024-01-02T03:06:00.000000000Z', 'exit', 'web exited with code 137, OOM-killed').trimEnd();
  writeFileSync(path, text);
  for (const chunkBytes of [64, 1000, 4097, 1024 * 1024]) {
    const marks = await readLogMarks(path, chunkBytes);
    t.same(
      marks.map((entry) => entry.label),
      ['start', 'restart (exit 1)', 'start', 'exit 137 OOM'],
      `chunks of ${chunkBytes} bytes`,
    );
  }
});
