// Reading logs-all's files back in tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogFileLine, type LogFileEntry } from '../../src/monitor/log-cursor.js';

/** The entries of the one log file of the container named `name` in `dir` (an unparsable line shows as a gap note). */
export function entriesOf(dir: string, name: string): LogFileEntry[] {
  const file = existsSync(dir) ? readdirSync(dir).find((entry) => entry.endsWith(`-${name}.log`)) : undefined;
  if (!file) return [];
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => parseLogFileLine(line) ?? { kind: 'gap', timestamp: '', text: `UNPARSABLE ${line}` });
}

/** The numbers printed by each run (split at start banners) of a container. */
export function runsOf(dir: string, name: string): number[][] {
  const runs: number[][] = [];
  for (const entry of entriesOf(dir, name)) {
    if (entry.kind === 'start') runs.push([]);
    else if (entry.kind === 'line') {
      if (runs.length === 0) runs.push([]);
      runs.at(-1)!.push(Number(entry.line.text));
    }
  }
  return runs;
}
