// docker's three ways of writing a time: RFC3339Nano text (log lines, inspect), the Engine API's
// `seconds.nanoseconds` (since, until), and events' timeNano.

/** Nanoseconds since the epoch of docker's RFC3339Nano `...Z` timestamp (any fraction length). */
export function timestampNanos(timestamp: string): bigint {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(timestamp);
  if (!match) throw new Error(`not an RFC3339Nano UTC timestamp: ${timestamp}`);
  const seconds = BigInt(Date.parse(`${match[1]}Z`) / 1000);
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** docker's fixed-width RFC3339Nano form of a time in nanoseconds. */
export function formatTimestamp(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** docker's fixed-width form of any RFC3339Nano UTC timestamp (inspect trims trailing zeros; log lines do not), so string order is time order. */
export function fixedWidthTimestamp(timestamp: string): string {
  return formatTimestamp(timestampNanos(timestamp));
}

/** The Engine API's `since` for a time: `seconds.nanoseconds`, exactly what the CLI sends for an RFC3339Nano value. */
export function apiTime(nanos: bigint): string {
  return `${nanos / 1_000_000_000n}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** The exact time of an event line: JSON numbers lose the last digits of timeNano, the text keeps them. */
export function eventTimeNanos(line: string): bigint | undefined {
  const digits = /"timeNano":(\d+)/.exec(line)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}
