import { closeSync, createWriteStream, openSync, writeSync, type WriteStream } from 'node:fs';
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  await writeFile(temporary, `${JSON.stringify(cursor)}\n`);
  await rename(temporary, path);
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

/** An append-only file written in order, with backpressure. */
export class AppendFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Appends bytes; resolves once the stream can take more. */
  async write(bytes: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(bytes)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  /** Resolves once everything written so far is in the file. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => this.stream.write('', (error) => (error ? reject(error) : resolve())));
  }

  /** Flushes and closes. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}

/**
 * An append-only file for small records (a stats sample a second per container): written with one
 * synchronous write on a descriptor kept open. Hundreds of these would each cost a thread-pool round
 * trip per record through a WriteStream, several times the write itself.
 */
export class RecordFile {
  private descriptor: number | undefined;

  constructor(readonly path: string) {}

  /** Appends text; throws when the file cannot be opened or written. */
  append(text: string): void {
    this.descriptor ??= openSync(this.path, 'a');
    writeSync(this.descriptor, text);
  }

  close(): void {
    if (this.descriptor !== undefined) closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}
