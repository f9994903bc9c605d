import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { chunkLevel, createChunkedGzip, gzipChunkBytes } from '../../../src/docker/chunked-gzip.js';

t.test('chunked gzip output is one gunzip-able stream with the same bytes, in order', async (t) => {
  const input = Buffer.concat([
    randomBytes(gzipChunkBytes + 123),
    Buffer.alloc(3 * gzipChunkBytes, 'layer text '),
    randomBytes(5000),
  ]);
  const pieces = Array.from({ length: Math.ceil(input.length / 65536) }, (_, index) =>
    input.subarray(index * 65536, (index + 1) * 65536),
  );
  const output = await buffer(Readable.from(pieces).pipe(createChunkedGzip()));
  t.ok(gunzipSync(output).equals(input));
  t.ok(output.length < input.length * 0.5, 'the compressible part shrank');
});

t.test('incompressible chunks are stored, compressible ones deflated', async (t) => {
  t.equal(chunkLevel(randomBytes(gzipChunkBytes)), 0);
  t.equal(chunkLevel(Buffer.alloc(gzipChunkBytes, 'abc')), 1);
});

t.test('an empty input is an empty stream', async (t) => {
  const output = await buffer(Readable.from([]).pipe(createChunkedGzip()));
  t.equal(gunzipSync(output).length, 0);
});
