import { Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import { deflateRawSync, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Input is cut into chunks of this size; each becomes one gzip member. */
export const gzipChunkBytes = 1 << 20;
const sampleBytes = 64 << 10;
// Chunks compressed at once on libuv's thread pool (4 threads by default).
const chunksInFlight = 4;

/**
 * The compression level for a chunk: 1 (fastest), or 0 (stored) when a sample of it does not shrink,
 * which is what already-compressed layer content (archives, media, random data) does; compressing
 * it would cost CPU time and gain nothing.
 */
export function chunkLevel(chunk: Buffer): 0 | 1 {
  const sample = chunk.subarray(0, sampleBytes);
  return deflateRawSync(sample, { level: 1 }).length > sample.length * 0.95 ? 0 : 1;
}

/**
 * A gzip stream compressed in parallel chunks, as pigz does: the output is a series of gzip members,
 * which `gunzip` reads as one stream. Order is kept; at most `chunksInFlight` chunks are buffered.
 */
export function createChunkedGzip(): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let members = 0;
  const inFlight: Promise<Buffer>[] = [];
  const enqueue = (): void => {
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    members += 1;
    const compressed = gzipAsync(chunk, { level: chunkLevel(chunk) });
    // Awaited in order below; a failure before its turn must not be an unhandled rejection meanwhile.
    compressed.catch(() => undefined);
    inFlight.push(compressed);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= gzipChunkBytes) enqueue();
      void (async () => {
        while (inFlight.length >= chunksInFlight) this.push(await inFlight.shift()!);
      })().then(() => callback(), callback);
    },
    flush(callback: TransformCallback) {
      // An empty input still makes a valid (empty) gzip stream.
      if (pendingBytes > 0 || members === 0) enqueue();
      void (async () => {
        while (inFlight.length > 0) this.push(await inFlight.shift()!);
      })().then(() => callback(), callback);
    },
  });
}
