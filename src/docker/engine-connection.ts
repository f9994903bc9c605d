import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { HttpResponseDecoder } from './http-response-decoder.js';

// Each Engine API request gets a connection of its own, read straight into one decoder: no
// per-chunk stream machinery (the engine flushes a chunk per log message), and a paused unix socket
// really stops reading, so hundreds of idle streams wake the process only when it asks.

/** An API call that failed with an HTTP status (404: no such container). */
export class EngineApiError extends Error {
  override readonly name = 'EngineApiError';

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A connection cut before its response was complete, coded like node's own (ECONNRESET). */
function connectionCut(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/** A byte connection to the engine: a unix socket, or the pipes of `docker system dial-stdio`. */
export type EngineConnection = Socket | Duplex;

// One read buffer serves every socket: reads are handled synchronously and the decoder copies out
// what it keeps.
const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);
const maxQueuedBodyBytes = 1024 * 1024;
const smallReadBytes = 8 * 1024;
const coalesceReadsMs = 1;

/** Connects to a unix socket in the mode where pause() stops reading at once (net's `onread`). */
export async function connectUnixSocket(path: string, onBytes: (bytes: Buffer) => void): Promise<Socket> {
  const net = await import('node:net');
  return net.connect({
    path,
    onread: {
      buffer: sharedReadBuffer,
      callback: (length: number, buffer: Uint8Array) => {
        onBytes(Buffer.from(buffer.buffer, buffer.byteOffset, length));
        // Keep reading: pausing is the reader's decision (pause()).
        return true;
      },
    },
  });
}

/**
 * The response to one request: its body as it arrives. Read it whole (`text`), as batches of bytes
 * (async iteration, with backpressure), as lines, or by sampling (`pause`, `resume`, `takeBody`).
 */
export class EngineResponse {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private pausedByReader = false;
  private pausedByBackpressure = false;
  private settleFinished: (error?: Error) => void = () => {};
  /** Settles when the body has ended (resolves) or the connection failed (rejects). */
  readonly finished = new Promise<void>((resolve, reject) => {
    this.settleFinished = (error) => (error ? reject(error) : resolve());
  });

  constructor(private readonly connection: EngineConnection) {
    // Rejections are seen by whoever reads; an unread one must not crash the process.
    this.finished.catch(() => {});
  }

  /** @internal Body bytes from the connection. */
  deliver(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queuedBytes > maxQueuedBodyBytes && !this.pausedByBackpressure) {
      this.pausedByBackpressure = true;
      this.connection.pause();
    }
    this.wakeReader();
  }

  /** Stops reading the connection (the engine's writes wait in the socket) until resume(). */
  pause(): void {
    this.pausedByReader = true;
    this.connection.pause();
  }

  resume(): void {
    this.pausedByReader = false;
    if (!this.pausedByBackpressure) this.connection.resume();
  }

  /** The body bytes received since the last call. */
  takeBody(): Buffer {
    const body = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.pausedByBackpressure) {
      this.pausedByBackpressure = false;
      if (!this.pausedByReader) this.connection.resume();
    }
    return body;
  }

  /** Closes the connection; the response ends there (without error). */
  destroy(): void {
    this.connection.destroy();
  }

  /** The body, as batches of bytes in order; throws if the connection is cut before the end. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.queue.length > 0) {
        const body = this.takeBody();
        yield body;
        // During a burst the engine writes each log message with a syscall of its own: a reader
        // that takes them one by one spends more than the engine does. A short read is followed by
        // a short wait, and the next read gets a socket's worth at once.
        if (body.length < smallReadBytes && !this.ended) await this.waitForMore();
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The whole body as text. */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const bytes of this) parts.push(bytes);
    return Buffer.concat(parts).toString('utf8');
  }

  /** The body's lines without their newline, as they arrive; ends with the body, or when `signal` aborts. */
  async *lines(signal: AbortSignal): AsyncGenerator<string> {
    const stop = (): void => this.destroy();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    let buffered = '';
    try {
      for await (const bytes of this) {
        buffered += bytes.toString('utf8');
        let newline;
        while ((newline = buffered.indexOf('\n')) !== -1) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          yield line;
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async waitForMore(): Promise<void> {
    this.connection.pause();
    await new Promise((resolve) => setTimeout(resolve, coalesceReadsMs));
    if (!this.pausedByReader && !this.pausedByBackpressure) this.connection.resume();
  }

  /** @internal The body is complete, or (with an error) the connection was lost. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wakeReader();
    this.settleFinished(error);
  }

  private wakeReader(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Sends one request on a fresh connection and resolves with the response once its headers are in.
 * A status of 400 or more rejects with EngineApiError and the engine's message.
 * `openConnection` hands incoming bytes to its argument (sockets in onread mode and plain streams
 * deliver them differently).
 */
export function requestOnConnection(
  method: 'GET' | 'POST',
  path: string,
  openConnection: (onBytes: (bytes: Buffer) => void) => Promise<EngineConnection>,
  jsonBody?: string,
  signal?: AbortSignal,
): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const decoder = new HttpResponseDecoder();
    let response: EngineResponse | undefined;
    let errorBody: Buffer[] | undefined;
    let connection: EngineConnection | undefined;
    let done = false;

    // An abort before the headers rejects with the signal's reason; after them it ends the body.
    const abort = (): void => fail(signal!.reason as Error);
    const fail = (error: Error): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', abort);
      if (response) response.end(error);
      else reject(error);
      connection?.destroy();
    };
    const finish = (): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', abort);
      if (errorBody)
        reject(
          new EngineApiError(
            decoder.statusCode!,
            apiErrorMessage(Buffer.concat(errorBody).toString('utf8')) ??
              `${method} ${path}: HTTP ${decoder.statusCode}`,
          ),
        );
      else response!.end();
      connection?.destroy();
    };
    const onBytes = (bytes: Buffer): void => {
      if (done) return;
      let body: Buffer;
      try {
        body = decoder.push(bytes);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (!decoder.headersComplete) return;
      if (response === undefined && errorBody === undefined) {
        if (decoder.statusCode! >= 400) errorBody = [];
        else {
          response = new EngineResponse(connection!);
          resolve(response);
        }
      }
      if (errorBody) errorBody.push(body);
      else response!.deliver(body);
      if (decoder.complete) finish();
    };

    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    openConnection(onBytes).then((opened) => {
      connection = opened;
      if (done) {
        opened.destroy();
        return;
      }
      opened.on('error', (error: Error) => fail(error));
      opened.on('end', () => {
        if (decoder.completeAtClose) finish();
        else fail(connectionCut(decoder.headersComplete ? 'the engine closed the stream' : 'socket hang up'));
      });
      // destroy() by a reader ends the response quietly.
      opened.on('close', () => {
        if (!done && response) finish();
        else fail(connectionCut('socket hang up'));
      });
      opened.write(requestHead(method, path, jsonBody) + (jsonBody ?? ''));
    }, reject);
  });
}

/** The request line and headers; a JSON body is announced with its length in bytes. */
export function requestHead(method: 'GET' | 'POST', path: string, jsonBody?: string): string {
  const body =
    jsonBody !== undefined
      ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(jsonBody)}\r\n`
      : method === 'POST'
        ? 'Content-Length: 0\r\n'
        : '';
  return `${method} ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dockerutils\r\nConnection: close\r\n${body}\r\n`;
}

function apiErrorMessage(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return body.trim() || undefined;
  }
}
