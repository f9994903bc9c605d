import { UserError } from '../errors.js';
import { timestampNanos } from '../docker/timestamps.js';

/** Whether a container name matches any of `--name` glob patterns (`*`, `?`); no patterns match all. */
export function matchesNamePatterns(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((pattern) => globRegExp(pattern).test(name));
}

function globRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`);
}

const durationUnitsNanos: Record<string, bigint> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
};

/**
 * `--since` as docker takes it, to nanoseconds: a duration before now (`10m`, `1h30m`), unix seconds,
 * or an RFC3339 time with a zone. A time without a zone is refused: docker would read it as local time.
 */
export function parseSinceOption(value: string, nowMs: number): bigint {
  const text = value.trim();
  if (/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(text)) {
    let nanos = 0n;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
      nanos += (BigInt(Math.round(Number(amount) * 1e6)) * durationUnitsNanos[unit!]!) / 1_000_000n;
    }
    return BigInt(nowMs) * 1_000_000n - nanos;
  }
  if (/^\d+(\.\d{1,9})?$/.test(text)) {
    const [seconds, fraction = ''] = text.split('.');
    return BigInt(seconds!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  }
  const zoned = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (zoned) {
    const seconds = Date.parse(`${zoned[1]}${zoned[3]}`) / 1000;
    return timestampNanos(`${new Date(seconds * 1000).toISOString().slice(0, 19)}${zoned[2] ?? ''}Z`);
  }
  throw new UserError(
    `--since ${value}: give a duration (10m, 1h30m), unix seconds, or an RFC3339 time with a zone (2024-01-02T03:04:05Z)`,
  );
}

/** `--tail`: a line count, or `all`. */
export function parseTailOption(value: string): number | undefined {
  if (value === 'all') return undefined;
  if (!/^\d+$/.test(value)) throw new UserError(`--tail ${value}: give a number of lines or "all"`);
  return Number(value);
}
