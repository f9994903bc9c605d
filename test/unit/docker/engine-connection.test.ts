import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dialFailureReason,
  EngineApiError,
  engineJson,
  engineRequest,
  isEngineUnreachable,
} from '../../../src/docker/engine-api.js';
import { EngineUnreachableError } from '../../../src/docker/engine-target.js';
import type { CommandContext } from '../../../src/docker/exec.js';

// A folder for sockets: a unix socket path must stay under 108 bytes, which t.testdir()'s long
// names do not.
function socketDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'engine-connection-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A unix socket that answers like the engine with canned bytes: the HTTP reading is tested here,
// the real engine in test/integration.
async function cannedEngine(t: Test, answer: (socket: Socket, request: string) => void): Promise<CommandContext> {
  const path = join(socketDir(t), 'engine.sock');
  const server = createServer((socket) => socket.once('data', (bytes) => answer(socket, bytes.toString('latin1'))));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { target: { endpoint: `unix://${path}` } } as CommandContext;
}

const chunk = (text: string): string => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

t.test('a request goes out as HTTP/1.1 and a JSON answer is parsed', async (t) => {
  let seen = '';
  const context = await cannedEngine(t, (socket, request) => {
    seen = request;
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"Id":"ab"}');
  });
  t.same(await engineJson(context, 'GET', '/containers/ab/json'), { Id: 'ab' });
  t.match(seen, /^GET \/containers\/ab\/json HTTP\/1\.1\r\nHost: docker\r\n/);
});

t.test('a JSON body goes with its type and length; an empty answer is undefined', async (t) => {
  let seen = '';
  const context = await cannedEngine(t, (socket, request) => {
    seen = request;
    socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  });
  t.equal(await engineJson(context, 'POST', '/swarm/join', { JoinToken: 'token' }), undefined);
  t.match(seen, /^POST \/swarm\/join HTTP\/1\.1\r\n/);
  t.match(seen, 'Content-Type: application/json\r\nContent-Length: 21\r\n\r\n{"JoinToken":"token"}');
});

t.test("an error status rejects with the engine's message", async (t) => {
  const context = await cannedEngine(t, (socket) =>
    socket.end(
      'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n{"message":"No such container: gone12345"}',
    ),
  );
  const error = await engineRequest(context, 'GET', '/containers/gone12345/json').catch((caught: unknown) => caught);
  t.ok(error instanceof EngineApiError);
  t.equal((error as EngineApiError).statusCode, 404);
  t.equal((error as EngineApiError).message, 'No such container: gone12345');
});

t.test('a stream cut before its end fails as a lost engine, after what arrived', async (t) => {
  const context = await cannedEngine(t, (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk('first\n')}${chunk('second\n')}`);
    setTimeout(() => socket.destroy(), 50);
  });
  const response = await engineRequest(context, 'GET', '/events');
  const lines: string[] = [];
  const error = await (async () => {
    for await (const line of response.lines(new AbortController().signal)) lines.push(line);
  })().catch((caught: unknown) => caught);
  t.same(lines, ['first', 'second']);
  t.ok(isEngineUnreachable(error), `unreachable: ${String(error)}`);
});

t.test('a socket that is not there is a lost engine; destroy() ends a stream quietly', async (t) => {
  const endpoint = `unix://${join(socketDir(t), 'none.sock')}`;
  const missing = { target: { endpoint, remote: false } } as CommandContext;
  const error = await engineRequest(missing, 'GET', '/_ping').catch((caught: unknown) => caught);
  t.ok(isEngineUnreachable(error));
  t.ok(error instanceof EngineUnreachableError, 'a user-facing error, not a bug');
  t.equal(
    (error as Error).message,
    `cannot reach the Docker engine at ${endpoint} (no socket there): start it with \`dockerutils ensure-engine\` (or start Docker)`,
  );
  const context = await cannedEngine(t, (socket) =>
    socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk('{"n":1}\n')}`),
  );
  const response = await engineRequest(context, 'GET', '/containers/x/stats');
  response.destroy();
  await t.resolves(response.finished, 'the response ends without error');
});

t.test('a paused stream stops reading until resumed; takeBody returns what came since the last call', async (t) => {
  let server: Socket | undefined;
  const context = await cannedEngine(t, (socket) => {
    server = socket;
    socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunk('{"n":1}\n')}`);
  });
  const response = await engineRequest(context, 'GET', '/containers/x/stats');
  // Polls what the response read until it is `expected`, bounded.
  const readUntil = async (expected: string): Promise<string> => {
    let body = '';
    const deadline = Date.now() + 5_000;
    while (body.length < expected.length && Date.now() < deadline) {
      body += response.takeBody().toString();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return body;
  };
  t.equal(await readUntil('{"n":1}\n'), '{"n":1}\n');
  response.pause();
  await new Promise<void>((resolve) => server!.write(chunk('{"n":2}\n') + chunk('{"n":3}\n'), () => resolve()));
  // Nothing to wait for in a reader that must not read: the bytes sit on its socket for a while.
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(response.takeBody().length, 0, 'nothing is read while paused');
  response.resume();
  t.equal(await readUntil('{"n":2}\n{"n":3}\n'), '{"n":2}\n{"n":3}\n');
  response.destroy();
  await response.finished;
});

t.test("the reason of a failed dial-stdio is ssh's own words where the CLI quotes them", async (t) => {
  const cli =
    'error while Copy (stream to stdout): command [ssh -o ConnectTimeout=30 -T -l root -p 2 -- 10.0.0.9 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 10.0.0.9 port 2: Connection refused\n';
  t.equal(dialFailureReason(cli), 'ssh: connect to host 10.0.0.9 port 2: Connection refused');
  t.equal(dialFailureReason('\nerror during connect: no such host\n'), 'error during connect: no such host');
  t.equal(dialFailureReason(''), undefined);
});
