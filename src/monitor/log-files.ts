import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { shortId } from '../docker/containers.js';
import { timestampNanos } from '../docker/timestamps.js';
import { parseLogFileLine, resumeOverlapNanos } from './log-cursor.js';
import type { LogLine } from './log-decoder.js';

/** `<short id>-<name>`: two containers that share a name over time never share a file. */
export function containerFileStem(id: string, name: string): string {
  return `${shortId(id)}-${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
}

/** The log file of a container in a folder. */
export function containerLogPath(dir: string, id: string, name: string): string {
  return join(dir, `${containerFileStem(id, name)}.log`);
}

/** The cursor file kept next to a container's log file. */
export function containerCursorPath(dir: string, id: string, name: string): string {
  return join(dir, `${containerFileStem(id, name)}.cursor.json`);
}

/** What is kept on disk per container so that a new logs-all resumes where the last one stopped. */
export interface CursorRecord {
  readonly id: string;
  readonly name: string;
  /** The timestamp of the newest line written to the log file. */
  readonly lastTimestamp?: string;
  /** The StartedAt of the last run whose start banner was written. */
  readonly bannerStartedAt?: string;
  /** The FinishedAt of the last run whose exit banner was written. */
  readonly bannerFinishedAt?: string;
  /** Where the capture began (`--since`, or the oldest line of a `--tail` read): no read starts before it. */
  readonly startTimestamp?: string;
}

/** Reads a cursor file; undefined when there is none (or it is unreadable). */
export async function readCursor(path: string): Promise<CursorRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CursorRecord;
  } catch {
    return undefined;
  }
}

/** Writes a cursor file atomically (a half-written cursor would be worse than an old one). */
export async function writeCursor(path: string, cursor: CursorRecord): Promise<void> {
  const temporary = `${path}.tmp`;
  try {
    // Synchronous, as the log's appends: a few hundred bytes, twice a second at most per container.
    writeFileSync(temporary, `${JSON.stringify(cursor)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    throw new FileWriteError(path, error);
  }
}

/** What the end of a log file says: its lines within the resume window of the newest, and the last banners. */
export interface LogFileTail {
  readonly lines: readonly LogLine[];
  readonly bannerStartedAt?: string;
  readonly bannerFinishedAt?: string;
}

const tailChunkBytes = 256 * 1024;

/**
 * Reads the lines last written back from the end of a log file: the file, not the cursor, is the
 * truth after a SIGKILL (the cursor is saved after the lines it covers, and may lag).
 */
export async function readLogFileTail(path: string): Promise<LogFileTail> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { lines: [] };
  }
  try {
    const size = (await handle.stat()).size;
    let start = size;
    let text = '';
    let bannerStartedAt: string | undefined;
    let bannerFinishedAt: string | undefined;
    // Read whole chunks backwards until a line older than the window is among them.
    for (;;) {
      const from = Math.max(0, start - tailChunkBytes);
      const buffer = Buffer.alloc(start - from);
      await handle.read(buffer, 0, buffer.length, from);
      text = buffer.toString('utf8') + text;
      start = from;
      const lines = text.split('\n');
      const complete = start === 0 ? lines : lines.slice(1);
      const entries = complete.map(parseLogFileLine).filter((entry) => entry !== undefined);
      const newest = entries.filter((entry) => entry.kind === 'line').at(-1);
      const oldest = entries.find((entry) => entry.kind === 'line');
      const windowReached =
        newest &&
        oldest &&
        timestampNanos(newest.line.timestamp) - resumeOverlapNanos > timestampNanos(oldest.line.timestamp);
      if (start === 0 || windowReached || size - start > 64 * tailChunkBytes) {
        const lines: LogLine[] = [];
        for (const entry of entries) {
          if (entry.kind === 'line') lines.push(entry.line);
          else if (entry.kind === 'start') bannerStartedAt = entry.timestamp;
          else if (entry.kind === 'exit') bannerFinishedAt = entry.timestamp;
        }
        return { lines, bannerStartedAt, bannerFinishedAt };
      }
    }
  } finally {
    await handle.close();
  }
}

/** A file of logs-all or stats-all that could not be written (a full disk, a quota, a read-only folder). */
export class FileWriteError extends UserError {
  /** The reason in a few words: `no space left on device`. */
  readonly reason: string;

  constructor(
    readonly path: string,
    readonly cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = (code !== undefined && writeFailureReasons[code]) || (cause as Error).message || String(cause);
    super(`cannot write ${path} (${reason})`, { exitCode: 1 });
    this.reason = reason;
  }
}

const writeFailureReasons: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EIO: 'input/output error',
};

/**
 * An append-only file whose writes land whole or not at all: one that fails (a full disk) is cut off
 * again, so no line or record is ever left torn. Each write is one synchronous write on a descriptor
 * kept open: logs-all writes a few lines every 25 ms per followed container and stats-all a record a
 * second, and a thread-pool round trip per write would cost several times the write itself.
 */
export class AppendFile {
  private descriptor: number | undefined;
  private size = 0;

  constructor(readonly path: string) {}

  /** Appends bytes or text; throws a FileWriteError, the file unchanged, when they cannot be written. */
  append(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let offset = 0;
    try {
      if (this.descriptor === undefined) {
        this.descriptor = openSync(this.path, 'a');
        this.size = fstatSync(this.descriptor).size;
      }
      while (offset < bytes.length) offset += writeSync(this.descriptor, bytes, offset, bytes.length - offset);
      this.size += bytes.length;
    } catch (error) {
      // The part written is cut off again; if even that fails, the next line starts on a line of its own.
      if (offset > 0 && this.descriptor !== undefined) {
        try {
          ftruncateSync(this.descriptor, this.size);
        } catch {
          // Left as it is.
        }
      }
      throw new FileWriteError(this.path, error);
    }
  }

  close(): void {
    if (this.descriptor !== undefined) closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}

/** Creates the folder of logs-all's or stats-all's files, as a FileWriteError when it cannot be. */
export function ensureFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new FileWriteError(dir, error);
  }
}
