/** Which of a container's output streams a line came from. */
export type LogStream = 'stdout' | 'stderr';

/** One complete line of a container's log. */
export interface LogLine {
  /** docker's RFC3339Nano timestamp, fixed at nine fraction digits: `2024-01-02T03:04:05.123456789Z`. */
  readonly timestamp: string;
  readonly stream: LogStream;
  readonly text: string;
}

/**
 * Receives each complete line as a place in bytes: the timestamp in [timestampStart, timestampEnd),
 * the content in [contentStart, contentEnd), newline (and a TTY's carriage return) left out. The bytes
 * are only valid during the call: a line is handled without copying it first.
 */
export type LineSink = (
  stream: LogStream,
  bytes: Buffer,
  timestampStart: number,
  timestampEnd: number,
  contentStart: number,
  contentEnd: number,
) => void;

// docker's RFC3339NanoFixed in UTC is always this long.
const timestampLength = 30;
// The daemon's log copier cuts lines longer than its 16 KiB buffer into messages of exactly this
// size, each with its own timestamp (moby daemon/logger/copier.go).
const maxMessageBytes = 16 * 1024;

interface PendingLine {
  readonly timestamp: Buffer;
  readonly parts: Buffer[];
}

/**
 * Turns the bytes of `GET /containers/{id}/logs?timestamps=1` into lines: demultiplexes the 8-byte
 * frame headers of a container without a TTY (raw bytes with one), and rejoins the messages a long
 * line was split into. A line keeps the timestamp of its first message.
 */
export class LogDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<LogStream, PendingLine>();
  // The message before, as a place in the bytes it came in (kept alive one chunk longer at most).
  private previousData: Buffer | undefined;
  private previousStart = 0;
  private previousEnd = 0;

  constructor(private readonly tty: boolean) {}

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer): LogLine[] {
    const lines: LogLine[] = [];
    this.pushTo(chunk, collectInto(lines));
    return lines;
  }

  /** Feeds a chunk; hands each line it completed to `sink`, in order. */
  pushTo(chunk: Buffer, sink: LineSink): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const consumed = this.tty ? this.readRaw(sink) : this.readFrames(sink);
    // What is left waits for the next chunk: copied, so that it does not keep the whole read alive.
    if (consumed > 0)
      this.buffered =
        consumed === this.buffered.length ? Buffer.alloc(0) : Buffer.from(this.buffered.subarray(consumed));
    else if (this.buffered === chunk) this.buffered = Buffer.from(chunk);
  }

  /**
   * The partial lines held back, as lines: call when the log is complete (a stopped container read to
   * its end), where a last line without a newline is final.
   */
  takePending(): LogLine[] {
    const lines: LogLine[] = [];
    this.takePendingTo(collectInto(lines));
    return lines;
  }

  /** takePending, handing the lines to `sink`. */
  takePendingTo(sink: LineSink): void {
    if (this.tty && this.buffered.length > timestampLength)
      this.message('stdout', this.buffered, 0, this.buffered.length, sink, true);
    this.buffered = Buffer.alloc(0);
    for (const [stream, line] of this.pending) this.finishPending(stream, line, sink);
    this.pending.clear();
  }

  /** Forgets partial input: the next read starts again from a cursor. */
  reset(): void {
    this.buffered = Buffer.alloc(0);
    this.pending.clear();
    this.previousData = undefined;
  }

  private readFrames(sink: LineSink): number {
    const data = this.buffered;
    let offset = 0;
    while (data.length - offset >= 8) {
      const size = data.readUInt32BE(offset + 4);
      if (data.length - offset - 8 < size) break;
      const stream: LogStream = data[offset] === 2 ? 'stderr' : 'stdout';
      this.message(stream, data, offset + 8, offset + 8 + size, sink, false);
      offset += 8 + size;
    }
    return offset;
  }

  private readRaw(sink: LineSink): number {
    const data = this.buffered;
    let offset = 0;
    while (data.length - offset > timestampLength) {
      const contentStart = offset + timestampLength + 1;
      const newline = data.indexOf(10, contentStart);
      const limit = contentStart + maxMessageBytes;
      if (newline !== -1 && newline <= limit) {
        this.message('stdout', data, offset, newline + 1, sink, false);
        offset = newline + 1;
      } else if (data.length >= limit) {
        this.message('stdout', data, offset, limit, sink, false);
        offset = limit;
      } else {
        break;
      }
    }
    return offset;
  }

  // One message is data[start, end): `<timestamp> <content>`, the content ending with a newline
  // unless the line goes on in the next message. Offsets, not subarrays: this runs once per line.
  private message(stream: LogStream, data: Buffer, start: number, end: number, sink: LineSink, final: boolean): void {
    if (this.repeatsPrevious(data, start, end)) return;
    const space = data[start + timestampLength] === 32 ? start + timestampLength : data.indexOf(32, start);
    const timestampEnd = space === -1 || space >= end ? end : space;
    const contentStart = timestampEnd === end ? end : timestampEnd + 1;
    const complete = end > contentStart && data[end - 1] === 10;
    const bodyEnd = complete ? end - 1 : end;
    const earlier = this.pending.get(stream);
    if (earlier === undefined && (complete || final)) {
      sink(stream, data, start, timestampEnd, contentStart, this.withoutCarriageReturn(data, contentStart, bodyEnd));
      return;
    }
    // Copied: a view would keep the whole read in memory while the line waits for its rest.
    const line: PendingLine = earlier ?? { timestamp: Buffer.from(data.subarray(start, timestampEnd)), parts: [] };
    line.parts.push(Buffer.from(data.subarray(contentStart, bodyEnd)));
    if (complete || final) {
      this.pending.delete(stream);
      this.finishPending(stream, line, sink);
    } else {
      this.pending.set(stream, line);
    }
  }

  // A follow can be sent the same message twice (the engine re-reading a line it was still writing):
  // a whole line identical to the one before, its timestamp to the nanosecond included, is that repeat.
  // The pieces of one long line share a timestamp and may be alike: only whole lines count.
  private repeatsPrevious(data: Buffer, start: number, end: number): boolean {
    const previous = this.previousData;
    const lastDigit = start + timestampLength - 2;
    const repeat =
      previous !== undefined &&
      data[end - 1] === 10 &&
      end - start === this.previousEnd - this.previousStart &&
      // The nanoseconds' last digits differ between almost any two lines: compared here, before a call.
      data[lastDigit] === previous[this.previousStart + timestampLength - 2] &&
      data[lastDigit - 1] === previous[this.previousStart + timestampLength - 3] &&
      data.compare(previous, this.previousStart, this.previousEnd, start, end) === 0;
    this.previousData = data;
    this.previousStart = start;
    this.previousEnd = end;
    return repeat;
  }

  private finishPending(stream: LogStream, line: PendingLine, sink: LineSink): void {
    const joined = Buffer.concat([line.timestamp, Buffer.from(' '), ...line.parts]);
    const contentStart = line.timestamp.length + 1;
    sink(
      stream,
      joined,
      0,
      line.timestamp.length,
      contentStart,
      this.withoutCarriageReturn(joined, contentStart, joined.length),
    );
  }

  // A TTY turns each newline into CRLF.
  private withoutCarriageReturn(data: Buffer, contentStart: number, contentEnd: number): number {
    return this.tty && contentEnd > contentStart && data[contentEnd - 1] === 13 ? contentEnd - 1 : contentEnd;
  }
}

/** A line handed to a sink, as text. */
export function toLogLine(
  stream: LogStream,
  bytes: Buffer,
  timestampStart: number,
  timestampEnd: number,
  contentStart: number,
  contentEnd: number,
): LogLine {
  return {
    timestamp: bytes.toString('latin1', timestampStart, timestampEnd),
    stream,
    text: bytes.toString('utf8', contentStart, contentEnd),
  };
}

/** A sink that makes LogLine objects, for whoever wants the lines as text. */
export function collectInto(lines: LogLine[]): LineSink {
  return (...line) => lines.push(toLogLine(...line));
}
