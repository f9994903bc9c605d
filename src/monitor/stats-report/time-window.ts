import { UserError } from '../../errors.js';
import { parseSinceOption } from '../capture-options.js';
import type { TimeWindow } from './stats-file.js';

/**
 * `--since` and `--until` in the forms logs-all takes (a duration before now, unix seconds, RFC3339
 * with a zone), as a window in milliseconds.
 */
export function parseTimeWindow(since: string | undefined, until: string | undefined, nowMs: number): TimeWindow {
  const parse = (option: string, value: string): number => {
    try {
      return Number(parseSinceOption(value, nowMs) / 1_000_000n);
    } catch (error) {
      if (error instanceof UserError) throw new UserError(error.message.replace(/^--since /, `${option} `));
      throw error;
    }
  };
  const window: TimeWindow = {
    ...(since === undefined ? {} : { sinceMs: parse('--since', since) }),
    ...(until === undefined ? {} : { untilMs: parse('--until', until) }),
  };
  if (window.sinceMs !== undefined && window.untilMs !== undefined && window.untilMs < window.sinceMs) {
    throw new UserError(`--until ${until} is before --since ${since}`);
  }
  return window;
}
