/** A growing run of bytes, reused from one batch to the next: lines are copied in, a batch taken out whole. */
export class ByteBuilder {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  /** Copies bytes[start, end) in. */
  append(bytes: Buffer, start = 0, end = bytes.length): void {
    const count = end - start;
    this.reserve(count);
    const buffer = this.buffer;
    let at = this.length;
    // Buffer.copy makes a view object per call: for the few bytes of a log line a loop is twice as fast.
    if (count <= shortCopyBytes) for (let index = start; index < end; index++) buffer[at++] = bytes[index]!;
    else bytes.copy(buffer, at, start, end);
    this.length += count;
  }

  /** Appends bytes another builder holds at [start, end). */
  appendFrom(other: ByteBuilder, start: number, end: number): void {
    this.append(other.buffer, start, end);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Compares the bytes at [start, end) with those at [otherStart, otherEnd), as Buffer.compare does. */
  compareWithin(start: number, end: number, otherStart: number, otherEnd: number): number {
    return this.buffer.compare(this.buffer, otherStart, otherEnd, start, end);
  }

  /** The bytes at [start, end) as text. */
  text(start: number, end: number, encoding: BufferEncoding): string {
    return this.buffer.toString(encoding, start, end);
  }

  /** Takes what was built, as a buffer of its own, and starts again empty. */
  take(): Buffer {
    const taken = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return taken;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + count));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

const shortCopyBytes = 64;
