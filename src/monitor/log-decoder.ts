/** Which of a container's output streams a line came from. */
export type LogStream = 'stdout' | 'stderr';

/** One complete line of a container's log. */
export interface LogLine {
  /** docker's RFC3339Nano timestamp, fixed at nine fraction digits: `2024-01-02T03:04:05.123456789Z`. */
  readonly timestamp: string;
  readonly stream: LogStream;
  readonly text: string;
}

// docker's RFC3339NanoFixed in UTC is always this long.
const timestampLength = 30;
// The daemon's log copier cuts lines longer than its 16 KiB buffer into messages of exactly this
// size, each with its own timestamp (moby daemon/logger/copier.go).
const maxMessageBytes = 16 * 1024;

interface PendingLine {
  readonly timestamp: string;
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

  constructor(private readonly tty: boolean) {}

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Buffer): LogLine[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const lines: LogLine[] = [];
    const consumed = this.tty ? this.readRaw(lines) : this.readFrames(lines);
    if (consumed > 0) this.buffered = this.buffered.subarray(consumed);
    return lines;
  }

  /**
   * The partial lines held back, as lines: call when the log is complete (a stopped container read to
   * its end), where a last line without a newline is final.
   */
  takePending(): LogLine[] {
    const lines: LogLine[] = [];
    if (this.tty && this.buffered.length > timestampLength)
      this.message('stdout', this.buffered, 0, this.buffered.length, lines, true);
    this.buffered = Buffer.alloc(0);
    for (const [stream, line] of this.pending)
      lines.push(this.finish(stream, line.timestamp, Buffer.concat(line.parts)));
    this.pending.clear();
    return lines;
  }

  /** Forgets partial input: the next read starts again from a cursor. */
  reset(): void {
    this.buffered = Buffer.alloc(0);
    this.pending.clear();
  }

  private readFrames(lines: LogLine[]): number {
    const data = this.buffered;
    let offset = 0;
    while (data.length - offset >= 8) {
      const size = data.readUInt32BE(offset + 4);
      if (data.length - offset - 8 < size) break;
      const stream: LogStream = data[offset] === 2 ? 'stderr' : 'stdout';
      this.message(stream, data, offset + 8, offset + 8 + size, lines, false);
      offset += 8 + size;
    }
    return offset;
  }

  private readRaw(lines: LogLine[]): number {
    const data = this.buffered;
    let offset = 0;
    while (data.length - offset > timestampLength) {
      const contentStart = offset + timestampLength + 1;
      const newline = data.indexOf(10, contentStart);
      const limit = contentStart + maxMessageBytes;
      if (newline !== -1 && newline <= limit) {
        this.message('stdout', data, offset, newline + 1, lines, false);
        offset = newline + 1;
      } else if (data.length >= limit) {
        this.message('stdout', data, offset, limit, lines, false);
        offset = limit;
      } else {
        break;
      }
    }
    return offset;
  }

  // One message is data[start, end): `<timestamp> <content>`, the content ending with a newline
  // unless the line goes on in the next message. Offsets, not subarrays: this runs once per line.
  private message(stream: LogStream, data: Buffer, start: number, end: number, lines: LogLine[], final: boolean): void {
    const space = data[start + timestampLength] === 32 ? start + timestampLength : data.indexOf(32, start);
    const timestampEnd = space === -1 || space >= end ? end : space;
    const timestamp = data.toString('latin1', start, timestampEnd);
    const contentStart = timestampEnd === end ? end : timestampEnd + 1;
    const complete = end > contentStart && data[end - 1] === 10;
    const bodyEnd = complete ? end - 1 : end;
    const earlier = this.pending.get(stream);
    if (earlier === undefined && (complete || final)) {
      lines.push(this.finishText(stream, timestamp, data.toString('utf8', contentStart, bodyEnd)));
      return;
    }
    // Copy: a view would keep the whole read in memory while the line waits for its rest.
    const line: PendingLine = earlier ?? { timestamp, parts: [] };
    line.parts.push(Buffer.from(data.subarray(contentStart, bodyEnd)));
    if (complete || final) {
      this.pending.delete(stream);
      lines.push(this.finish(stream, line.timestamp, Buffer.concat(line.parts)));
    } else {
      this.pending.set(stream, line);
    }
  }

  private finish(stream: LogStream, timestamp: string, body: Buffer): LogLine {
    return this.finishText(stream, timestamp, body.toString('utf8'));
  }

  private finishText(stream: LogStream, timestamp: string, text: string): LogLine {
    // A TTY turns each newline into CRLF.
    return { timestamp, stream, text: this.tty && text.endsWith('\r') ? text.slice(0, -1) : text };
  }
}
