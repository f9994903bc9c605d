import type { LogLine, LogStream } from './log-decoder.js';

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
export function sinceParameter(nanos: bigint): string {
  return `${nanos / 1_000_000_000n}.${(nanos % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** What makes two lines the same line: a resumed read drops lines whose key was written already. */
export function lineKey(line: LogLine): string {
  return `${line.timestamp} ${line.stream} ${line.text}`;
}

/** How far before the last written line a resumed read starts: stdout and stderr lines are stored up to ~12 ms out of time order. */
export const resumeOverlapNanos = 250_000_000n;

/**
 * The lines written most recently (within the overlap window of the newest), so a read that resumes
 * with an overlapping `since` can drop exact repeats and notice when the newest written line is gone.
 */
export class LineHistory {
  // Lines in write order from `start`; timestamps are docker's fixed-width UTC form, so string order
  // is time order. Keys are only built when a resumed read asks (`has`): building one per written
  // line cost a fifth of a capture's CPU.
  private lines: LogLine[] = [];
  private start = 0;
  private keys: Set<string> | undefined;
  private newest: string | undefined;
  private newestLine: LogLine | undefined;
  private addsSincePrune = 0;

  constructor(private readonly overlapNanos: bigint = resumeOverlapNanos) {}

  /** The timestamp of the newest line written, or undefined before the first. */
  get newestTimestamp(): string | undefined {
    return this.newest;
  }

  /** The key of the newest line written. */
  get newestKey(): string | undefined {
    return this.newestLine === undefined ? undefined : lineKey(this.newestLine);
  }

  /** Whether this exact line was written (within the window). */
  has(key: string): boolean {
    if (this.keys === undefined) {
      this.keys = new Set();
      for (let index = this.start; index < this.lines.length; index++) this.keys.add(lineKey(this.lines[index]!));
    }
    return this.keys.has(key);
  }

  /** Records a written line. */
  add(line: LogLine): void {
    this.lines.push(line);
    this.keys?.add(lineKey(line));
    if (this.newest === undefined || line.timestamp >= this.newest) {
      this.newest = line.timestamp;
      this.newestLine = line;
    }
    if (++this.addsSincePrune >= 1024) this.prune();
  }

  /** Moves the resume point to a time without a line to expect back there (a cursor ahead of its file, a `--tail` read that found nothing). */
  markFloor(timestamp: string): void {
    if (this.newest !== undefined && timestamp <= this.newest) return;
    this.newest = timestamp;
    this.newestLine = undefined;
  }

  /** Where a resumed read starts, in nanoseconds: the overlap window before the newest line. */
  resumeFromNanos(): bigint | undefined {
    return this.newest === undefined ? undefined : timestampNanos(this.newest) - this.overlapNanos;
  }

  // Forgets lines older than the window; done in batches, since parsing a timestamp per line is costly.
  // The newest line is never older than the window, so it is always kept.
  private prune(): void {
    this.addsSincePrune = 0;
    if (this.newest === undefined) return;
    const oldest = formatTimestamp(timestampNanos(this.newest) - this.overlapNanos);
    const before = this.start;
    while (this.start < this.lines.length && this.lines[this.start]!.timestamp < oldest) this.start++;
    if (this.start === before) return;
    this.keys = undefined;
    // Drop the forgotten head only once it is most of the array: copying the window on every prune
    // is quadratic in a burst.
    if (this.start > this.lines.length / 2) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
  }
}

/** What to do with one line of a resumed read. */
export interface ResumeDecision {
  readonly write: boolean;
  /** Set when docker no longer has lines that were never captured (its log rotation dropped them). */
  readonly gap?: { readonly after: string; readonly before: string };
}

/**
 * Decides, line by line, what a read starting at the overlap window adds: exact repeats are dropped,
 * and when the newest written line does not come back before a newer one, lines were lost in between.
 */
export class ResumeFilter {
  private awaitingNewest: boolean;
  // The newest line when the read started: only that one must come back before anything newer.
  private readonly newestKey: string | undefined;

  constructor(private readonly history: LineHistory) {
    this.newestKey = history.newestKey;
    this.awaitingNewest = this.newestKey !== undefined;
  }

  /** Decides for the next line of the read. */
  decide(line: LogLine): ResumeDecision {
    const newest = this.history.newestTimestamp;
    if (newest === undefined || (line.timestamp > newest && !this.awaitingNewest)) return writeLine;
    const key = lineKey(line);
    if (this.history.has(key)) {
      if (key === this.newestKey) this.awaitingNewest = false;
      return skipLine;
    }
    if (this.awaitingNewest && line.timestamp > newest) {
      this.awaitingNewest = false;
      return { write: true, gap: { after: newest, before: line.timestamp } };
    }
    return writeLine;
  }
}

// Shared answers: one decision object per line of a burst is garbage for nothing.
const writeLine: ResumeDecision = Object.freeze({ write: true });
const skipLine: ResumeDecision = Object.freeze({ write: false });

/** One line of a container's log file: `<timestamp> <stream> <text>`. */
export function formatLogFileLine(line: LogLine): string {
  return `${line.timestamp} ${line.stream} ${line.text}\n`;
}

/** The kinds of note logs-all writes into a log file between lines. */
export type NoteKind = 'start' | 'exit' | 'gap' | 'removed';

/** A note line (banner or gap marker): `<timestamp> <kind> --- <text>`, never mistaken for container output. */
export function formatNoteLine(timestamp: string, kind: NoteKind, text: string): string {
  return `${timestamp} ${kind} --- ${text}\n`;
}

/** A parsed line of a log file: container output, or one of our notes. */
export type LogFileEntry = { readonly kind: 'line'; readonly line: LogLine } | { readonly kind: NoteKind; readonly timestamp: string; readonly text: string };

/** Parses one line of a log file (without its newline); undefined for anything else. */
export function parseLogFileLine(text: string): LogFileEntry | undefined {
  const first = text.indexOf(' ');
  const second = first === -1 ? -1 : text.indexOf(' ', first + 1);
  if (second === -1) return undefined;
  const timestamp = text.slice(0, first);
  const field = text.slice(first + 1, second);
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(timestamp)) return undefined;
  if (field === 'stdout' || field === 'stderr') return { kind: 'line', line: { timestamp, stream: field as LogStream, text: text.slice(second + 1) } };
  if (['start', 'exit', 'gap', 'removed'].includes(field) && text.startsWith('--- ', second + 1)) {
    return { kind: field as NoteKind, timestamp, text: text.slice(second + 5) };
  }
  return undefined;
}
