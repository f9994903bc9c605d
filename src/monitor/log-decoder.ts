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
    if (this.tty && this.buffered.length > timestampLength) this.message('stdout', this.buffered, lines, true);
    this.buffered = Buffer.alloc(0);
    for (const [stream, line] of this.pending) lines.push(this.finish(stream, line.timestamp, Buffer.concat(line.parts)));
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
      this.message(stream, data.subarray(offset + 8, offset + 8 + size), lines, false);
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
        this.message('stdout', data.subarray(offset, newline + 1), lines, false);
        offset = newline + 1;
      } else if (data.length >= limit) {
        this.message('stdout', data.subarray(offset, limit), lines, false);
        offset = limit;
      } else {
        break;
      }
    }
    return offset;
  }

  private message(stream: LogStream, payload: Buffer, lines: LogLine[], final: boolean): void {
    const space = payload.indexOf(32);
    const timestamp = payload.toString('latin1', 0, space === -1 ? payload.length : space);
    const content = space === -1 ? Buffer.alloc(0) : payload.subarray(space + 1);
    const complete = content.length > 0 && content[content.length - 1] === 10;
    const body = complete ? content.subarray(0, content.length - 1) : content;
    const earlier = this.pending.get(stream);
    if (earlier === undefined && (complete || final)) {
      lines.push(this.finish(stream, timestamp, body));
      return;
    }
    // Copy: the chunk's memory is reused once this call returns.
    const line: PendingLine = earlier ?? { timestamp, parts: [] };
    line.parts.push(Buffer.from(body));
    if (complete || final) {
      this.pending.delete(stream);
      lines.push(this.finish(stream, line.timestamp, Buffer.concat(line.parts)));
    } else {
      this.pending.set(stream, line);
    }
  }

  private finish(stream: LogStream, timestamp: string, body: Buffer): LogLine {
    let text = body.toString('utf8');
    // A TTY turns each newline into CRLF.
    if (this.tty && text.endsWith('\r')) text = text.slice(0, -1);
    return { timestamp, stream, text };
  }
}
