import t from 'tap';
import { HttpProtocolError, HttpResponseDecoder } from '../../../src/docker/http-response-decoder.js';

/** Feeds a response in pieces of `size` bytes and collects the body. */
function decodeInPieces(response: string, size: number): { decoder: HttpResponseDecoder; body: string } {
  const decoder = new HttpResponseDecoder();
  const bytes = Buffer.from(response, 'latin1');
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    parts.push(decoder.push(bytes.subarray(offset, offset + size)));
  return { decoder, body: Buffer.concat(parts).toString('latin1') };
}

const chunked =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5\r\nhello\r\n' +
  '1;ext=1\r\n \r\n' +
  'A\r\n0123456789\r\n' +
  '0\r\nX-Trailer: 1\r\n\r\n';

t.test('a chunked body is decoded the same however the bytes are cut', async (t) => {
  for (const size of [1, 2, 3, 7, 16, 1000]) {
    const { decoder, body } = decodeInPieces(chunked, size);
    t.equal(body, 'hello 0123456789', `pieces of ${size}`);
    t.equal(decoder.statusCode, 200);
    t.equal(decoder.headers.get('content-type'), 'application/json');
    t.ok(decoder.complete, 'complete after the last chunk and the trailers');
  }
});

t.test('many one-message chunks in one read come back as one body', async (t) => {
  const messages = Array.from({ length: 500 }, (_, index) => `2024-01-02T03:04:05.000000000Z line ${index}\n`);
  const response =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
    messages.map((message) => `${message.length.toString(16)}\r\n${message}\r\n`).join('');
  const { decoder, body } = decodeInPieces(response, 64 * 1024);
  t.equal(body, messages.join(''));
  t.notOk(decoder.complete, 'a followed log has no end yet');
});

t.test('Content-Length and read-until-close bodies', async (t) => {
  const sized = decodeInPieces(
    'HTTP/1.1 404 Not Found\r\nContent-Length: 29\r\n\r\n{"message":"No such thing"}\n\nextra',
    4,
  );
  t.equal(sized.decoder.statusCode, 404);
  t.equal(sized.body, '{"message":"No such thing"}\n\n', 'bytes past Content-Length are not body');
  t.ok(sized.decoder.complete);
  const open = decodeInPieces('HTTP/1.0 200 OK\r\n\r\nraw bytes until the connection closes', 5);
  t.equal(open.body, 'raw bytes until the connection closes');
  t.notOk(open.decoder.complete, 'ends only with the connection');
  t.ok(decodeInPieces('HTTP/1.1 204 No Content\r\n\r\n', 100).decoder.complete, '204 has no body');
});

t.test('what is not an HTTP response is refused', async (t) => {
  t.throws(() => new HttpResponseDecoder().push(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n\r\n')), HttpProtocolError);
  t.throws(
    () => new HttpResponseDecoder().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')),
    /bad chunk size line/,
  );
});
