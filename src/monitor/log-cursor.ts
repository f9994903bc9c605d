import { timestampNanos } from '../docker/timestamps.js';
import type { LogLine, LogStream } from './log-decoder.js';

/** What makes two lines the same line: a resumed read drops lines whose key was written already. */
function lineKey(line: LogLine): string {
  return `${line.timestamp} ${line.stream} ${line.text}`;
}

/** How far before the last written line a resumed read starts: stdout and stderr lines are stored up to ~12 ms out of time order. */
export const resumeOverlapNanos = 250_000_000n;

/**
 * What was written last, for a read that resumes with an overlapping `since`: the newest line is
 * kept in memory, and the lines before it are read back from the end of the file when a resumed read
 * needs them (`recall`). Holding every line of the window in memory instead cost a burst a third of
 * its CPU (most of it in the garbage collector).
 */
export class LineHistory {
  private newest: string | undefined;
  private newestLine: LogLine | undefined;
  // Keys of the lines recalled from the file; undefined once a newer line was written.
  private recalled: ReadonlySet<string> | undefined;
  private start: string | undefined;

  constructor(private readonly overlapNanos: bigint = resumeOverlapNanos) {}

  /** The timestamp of the newest line written, or undefined before the first. */
  get newestTimestamp(): string | undefined {
    return this.newest;
  }

  /** Whether the lines at the end of the file must be recalled before the next resumed read. */
  get needsRecall(): boolean {
    return this.newest !== undefined && this.recalled === undefined;
  }

  /** Records a written line. */
  add(line: LogLine): void {
    if (this.newest === undefined || line.timestamp >= this.newest) {
      this.newest = line.timestamp;
      this.newestLine = line;
    }
    this.recalled = undefined;
  }

  /** Takes the lines read back from the end of the file as the ones written last. */
  recall(lines: readonly LogLine[]): void {
    const newestWritten = this.newestLine && lineKey(this.newestLine);
    for (const line of lines) this.add(line);
    this.recalled = new Set(lines.map(lineKey));
    // A file cut or rotated under us: what it no longer holds is not expected back, nor missed.
    if (newestWritten !== undefined && !this.recalled.has(newestWritten)) this.newestLine = undefined;
  }

  /** Moves the resume point to a time without a line to expect back there (a cursor ahead of its file, a `--tail` read that found nothing). */
  markFloor(timestamp: string): void {
    if (this.newest !== undefined && timestamp <= this.newest) return;
    this.newest = timestamp;
    this.newestLine = undefined;
  }

  /** Where the capture began, when it did not begin with the log's first line (`--since`, `--tail`). */
  get startTimestamp(): string | undefined {
    return this.start;
  }

  /**
   * Marks where the capture began: lines before it were left out on purpose (`--since`, `--tail`), and
   * the overlap window of a resumed read must not bring them in.
   */
  markStart(timestamp: string): void {
    if (this.start === undefined || timestamp > this.start) this.start = timestamp;
  }

  /** Where a resumed read starts, in nanoseconds: the overlap window before the newest line, not before the start. */
  resumeFromNanos(): bigint | undefined {
    if (this.newest === undefined) return undefined;
    const overlapStart = timestampNanos(this.newest) - this.overlapNanos;
    const start = this.start === undefined ? undefined : timestampNanos(this.start);
    return start !== undefined && start > overlapStart ? start : overlapStart;
  }

  /** The filter for a read that resumes now (after `recall`, when `needsRecall` said so). */
  resumeFilter(): ResumeFilter {
    return new ResumeFilter(this.newest, this.newestLine && lineKey(this.newestLine), this.recalled ?? new Set());
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
 * Only lines up to the newest written when the read started can be repeats.
 */
export class ResumeFilter {
  private awaitingNewest: boolean;
  private readonly newestBytes: Buffer | undefined;
  private readonly streamsPassed = { stdout: false, stderr: false };

  constructor(
    private readonly newest: string | undefined,
    private readonly newestKey: string | undefined,
    private readonly written: ReadonlySet<string>,
  ) {
    this.awaitingNewest = newestKey !== undefined;
    this.newestBytes = newest === undefined ? undefined : Buffer.from(newest, 'latin1');
  }

  /**
   * Whether a line is surely written, from its timestamp's bytes alone: newer than everything written
   * when the read began, once the newest written line came back. Most lines of a read are; only the
   * few at the resume boundary need `decide`. A stream's own lines come in time order, so once one of
   * its lines passed, the rest of that stream do without a comparison.
   */
  passes(stream: LogStream, bytes: Buffer, timestampStart: number, timestampEnd: number): boolean {
    const newest = this.newestBytes;
    if (newest === undefined || this.streamsPassed[stream]) return true;
    const passed =
      !this.awaitingNewest &&
      timestampEnd - timestampStart === newest.length &&
      bytes.compare(newest, 0, newest.length, timestampStart, timestampEnd) > 0;
    if (passed) this.streamsPassed[stream] = true;
    return passed;
  }

  /** Decides for the next line of the read. */
  decide(line: LogLine): ResumeDecision {
    const newest = this.newest;
    if (newest === undefined || (line.timestamp > newest && !this.awaitingNewest)) return writeLine;
    const key = lineKey(line);
    if (this.written.has(key)) {
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
export type LogFileEntry =
  | { readonly kind: 'line'; readonly line: LogLine }
  | { readonly kind: NoteKind; readonly timestamp: string; readonly text: string };

/** Parses one line of a log file (without its newline); undefined for anything else. */
export function parseLogFileLine(text: string): LogFileEntry | undefined {
  const first = text.indexOf(' ');
  const second = first === -1 ? -1 : text.indexOf(' ', first + 1);
  if (second === -1) return undefined;
  const timestamp = text.slice(0, first);
  const field = text.slice(first + 1, second);
  if (!/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(timestamp)) return undefined;
  if (field === 'stdout' || field === 'stderr')
    return { kind: 'line', line: { timestamp, stream: field as LogStream, text: text.slice(second + 1) } };
  if (['start', 'exit', 'gap', 'removed'].includes(field) && text.startsWith('--- ', second + 1)) {
    return { kind: field as NoteKind, timestamp, text: text.slice(second + 5) };
  }
  return undefined;
}
