/** Why a response could not be decoded. */
export class HttpProtocolError extends Error {
  override readonly name = 'HttpProtocolError';
}

type BodyFraming = { kind: 'chunked' } | { kind: 'length'; remaining: number } | { kind: 'until-close' };

const crlfLength = 2;
const headerEnd = Buffer.from('\r\n\r\n');
// A chunk-size line is a few hex digits, perhaps with extensions; anything longer is not HTTP.
const maxChunkSizeLineBytes = 1024;
const maxHeaderBytes = 64 * 1024;

/**
 * Decodes one HTTP/1.1 response fed as bytes in whatever pieces the connection delivers: the status,
 * the headers, then the body with its chunked or Content-Length framing taken off. A whole read's
 * worth of body comes back as one Buffer, however many chunks the engine cut it into (it flushes one
 * per log message).
 */
export class HttpResponseDecoder {
  statusCode: number | undefined;
  /** Header names in lower case. */
  readonly headers = new Map<string, string>();
  /** The whole body has arrived (final chunk, or Content-Length reached). */
  complete = false;
  private framing: BodyFraming | undefined;
  /** Bytes of a header section or chunk-size line cut by the end of a read. */
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes left of the current chunk's data, then 2 for its CRLF; undefined between chunks. */
  private chunkRemaining: number | undefined;
  private chunkDataRemaining = 0;
  private inTrailers = false;

  /** True when the connection closing now ends the body rather than cutting it: it was complete, or its end is the close. */
  get completeAtClose(): boolean {
    return this.complete || this.framing?.kind === 'until-close';
  }

  /** True once the status line and headers have been read. */
  get headersComplete(): boolean {
    return this.framing !== undefined;
  }

  /**
   * Feeds bytes; returns the body bytes among them, copied (the input may be a reused read buffer).
   * Throws HttpProtocolError on input that is not an HTTP/1.1 response.
   */
  push(input: Buffer): Buffer {
    let bytes = this.carry.length > 0 ? Buffer.concat([this.carry, input]) : input;
    this.carry = Buffer.alloc(0);
    if (this.framing === undefined) {
      const end = bytes.indexOf(headerEnd);
      if (end === -1) {
        if (bytes.length > maxHeaderBytes) throw new HttpProtocolError('response headers too large');
        this.carry = Buffer.from(bytes);
        return Buffer.alloc(0);
      }
      this.readHead(bytes.toString('latin1', 0, end));
      bytes = bytes.subarray(end + headerEnd.length);
    }
    if (this.complete) return Buffer.alloc(0);
    const framing = this.framing!;
    if (framing.kind === 'until-close') return Buffer.from(bytes);
    if (framing.kind === 'length') {
      const body = Buffer.from(bytes.subarray(0, framing.remaining));
      framing.remaining -= body.length;
      this.complete = framing.remaining === 0;
      return body;
    }
    return this.readChunked(bytes);
  }

  private readHead(head: string): void {
    const [statusLine = '', ...headerLines] = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!status) throw new HttpProtocolError(`not an HTTP response: ${JSON.stringify(statusLine.slice(0, 80))}`);
    this.statusCode = Number(status[1]);
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) this.headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = this.headers.get('content-length');
    if (/chunked/i.test(this.headers.get('transfer-encoding') ?? '')) this.framing = { kind: 'chunked' };
    else if (length !== undefined) this.framing = { kind: 'length', remaining: Number(length) };
    else this.framing = { kind: 'until-close' };
    // 204 and 304 have no body whatever the headers say.
    this.complete =
      this.statusCode === 204 ||
      this.statusCode === 304 ||
      (this.framing.kind === 'length' && this.framing.remaining === 0);
  }

  private readChunked(bytes: Buffer): Buffer {
    // The body is never longer than the bytes it came in.
    const body = Buffer.allocUnsafe(bytes.length);
    let bodyLength = 0;
    let offset = 0;
    while (offset < bytes.length && !this.complete) {
      if (this.chunkRemaining !== undefined) {
        if (this.chunkDataRemaining > 0) {
          const take = Math.min(this.chunkDataRemaining, bytes.length - offset);
          // Most chunks are one short log message: a plain loop beats a native copy call there.
          if (take < 64) for (let index = 0; index < take; index++) body[bodyLength + index] = bytes[offset + index]!;
          else bytes.copy(body, bodyLength, offset, offset + take);
          bodyLength += take;
          offset += take;
          this.chunkDataRemaining -= take;
          this.chunkRemaining -= take;
          continue;
        }
        // The CRLF after the chunk's data, possibly cut between reads.
        const take = Math.min(this.chunkRemaining, bytes.length - offset);
        offset += take;
        this.chunkRemaining -= take;
        if (this.chunkRemaining === 0) this.chunkRemaining = undefined;
        continue;
      }
      // The engine sends a chunk per log message: the size line is read from the bytes, not a string.
      const lineEnd = bytes.indexOf(10, offset);
      if (lineEnd === -1) {
        if (bytes.length - offset > maxChunkSizeLineBytes) throw new HttpProtocolError('chunk size line too long');
        this.carry = Buffer.from(bytes.subarray(offset));
        break;
      }
      const lineStart = offset;
      offset = lineEnd + 1;
      if (this.inTrailers) {
        // Trailer fields end with an empty line, and with them the response.
        if (lineEnd - lineStart <= 1) this.complete = true;
        continue;
      }
      const size = hexPrefixValue(bytes, lineStart, lineEnd);
      if (size === undefined)
        throw new HttpProtocolError(
          `bad chunk size line: ${JSON.stringify(bytes.toString('latin1', lineStart, Math.min(lineEnd, lineStart + 40)))}`,
        );
      if (size === 0) this.inTrailers = true;
      else {
        this.chunkDataRemaining = size;
        this.chunkRemaining = size + crlfLength;
      }
    }
    return body.subarray(0, bodyLength);
  }
}

/** The hexadecimal number at the start of bytes[start, end) (a chunk-size line), or undefined. */
function hexPrefixValue(bytes: Buffer, start: number, end: number): number | undefined {
  let value = 0;
  let index = start;
  for (; index < end; index++) {
    const byte = bytes[index]!;
    const digit =
      byte >= 48 && byte <= 57
        ? byte - 48
        : byte >= 97 && byte <= 102
          ? byte - 87
          : byte >= 65 && byte <= 70
            ? byte - 55
            : -1;
    if (digit === -1) break;
    value = value * 16 + digit;
  }
  return index === start || index - start > 12 ? undefined : value;
}
