/** A growing run of bytes, reused from one batch to the next: lines are copied in, a batch taken out whole. */
export class ByteBuilder {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  /** Copies bytes[start, end) in. */
  append(bytes: Buffer, start = 0, end = bytes.length): void {
    const count = end - start;
    this.reserve(count);
    bytes.copy(this.buffer, this.length, start, end);
    this.length += count;
  }

  /** Appends the bytes this builder already holds at [start, end): one line of it, again. */
  appendOwn(start: number, end: number): void {
    this.append(this.buffer, start, end);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
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
