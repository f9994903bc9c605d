import t from 'tap';
import { LogDecoder } from '../../../src/monitor/log-decoder.js';

const ts1 = '2024-01-02T03:04:05.000000001Z';
const ts2 = '2024-01-02T03:04:05.000000002Z';
const ts3 = '2024-01-02T03:04:05.000000003Z';

function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

t.test('frames are demultiplexed into stdout and stderr lines, across any chunking', async (t) => {
  const bytes = Buffer.concat([frame(1, `${ts1} one\n`), frame(2, `${ts2} two\n`), frame(1, `${ts3} three\n`)]);
  const expected = [
    { timestamp: ts1, stream: 'stdout', text: 'one' },
    { timestamp: ts2, stream: 'stderr', text: 'two' },
    { timestamp: ts3, stream: 'stdout', text: 'three' },
  ];
  t.same(new LogDecoder(false).push(bytes), expected);
  const decoder = new LogDecoder(false);
  const lines = [];
  for (let index = 0; index < bytes.length; index++) lines.push(...decoder.push(bytes.subarray(index, index + 1)));
  t.same(lines, expected, 'one byte at a time');
});

t.test('a line split into 16 KiB messages is rejoined under its first timestamp, per stream', async (t) => {
  const decoder = new LogDecoder(false);
  const first = 'a'.repeat(16384);
  t.same(decoder.push(Buffer.concat([frame(1, `${ts1} ${first}`), frame(2, `${ts2} err\n`)])), [
    { timestamp: ts2, stream: 'stderr', text: 'err' },
  ]);
  t.same(decoder.push(frame(1, `${ts3} bbb\n`)), [{ timestamp: ts1, stream: 'stdout', text: `${first}bbb` }]);
});

t.test('a multi-byte character cut between messages survives', async (t) => {
  const euro = Buffer.from('€');
  const decoder = new LogDecoder(false);
  t.same(decoder.push(frame(1, Buffer.concat([Buffer.from(`${ts1} x`), euro.subarray(0, 1)]))), []);
  t.same(decoder.push(frame(1, Buffer.concat([Buffer.from(`${ts2} `), euro.subarray(1), Buffer.from('y\n')]))), [
    { timestamp: ts1, stream: 'stdout', text: 'x€y' },
  ]);
});

t.test('a last line without a newline is held back until the log is complete', async (t) => {
  const decoder = new LogDecoder(false);
  t.same(decoder.push(frame(1, `${ts1} no newline`)), []);
  t.same(decoder.takePending(), [{ timestamp: ts1, stream: 'stdout', text: 'no newline' }]);
  t.same(decoder.takePending(), []);
});

t.test('a TTY log is raw: CRLF lines, stdout only, 16 KiB messages rejoined', async (t) => {
  const long = 'z'.repeat(16384);
  const bytes = Buffer.from(`${ts1} one\r\n${ts2} ${long}${ts3} tail\r\n${ts3} last`);
  const decoder = new LogDecoder(true);
  const lines = [];
  for (let index = 0; index < bytes.length; index += 1000)
    lines.push(...decoder.push(bytes.subarray(index, index + 1000)));
  t.same(lines, [
    { timestamp: ts1, stream: 'stdout', text: 'one' },
    { timestamp: ts2, stream: 'stdout', text: `${long}tail` },
  ]);
  t.same(decoder.takePending(), [{ timestamp: ts3, stream: 'stdout', text: 'last' }]);
});

t.test('reset forgets partial input', async (t) => {
  const decoder = new LogDecoder(false);
  decoder.push(Buffer.concat([frame(1, `${ts1} partial`), frame(1, `${ts2} `).subarray(0, 5)]));
  decoder.reset();
  t.same(decoder.push(frame(1, `${ts3} fresh\n`)), [{ timestamp: ts3, stream: 'stdout', text: 'fresh' }]);
});

t.test(
  'a message sent twice in a row, timestamp included, is one line; the same text at another time is two',
  async (t) => {
    const repeated = frame(1, `${ts2} 95\n`);
    const bytes = Buffer.concat([frame(1, `${ts1} 94\n`), repeated, repeated, frame(1, `${ts3} 95\n`)]);
    const expected = [
      { timestamp: ts1, stream: 'stdout', text: '94' },
      { timestamp: ts2, stream: 'stdout', text: '95' },
      { timestamp: ts3, stream: 'stdout', text: '95' },
    ];
    t.same(new LogDecoder(false).push(bytes), expected);
    const decoder = new LogDecoder(false);
    const split = bytes.length - repeated.length - 3;
    t.same(
      [...decoder.push(bytes.subarray(0, split)), ...decoder.push(bytes.subarray(split))],
      expected,
      'across chunks',
    );
  },
);

t.test('the pieces of a long line, alike and under one timestamp, are all kept', async (t) => {
  const piece = `${ts1} ${'x'.repeat(16 * 1024)}`;
  const bytes = Buffer.concat([frame(1, piece), frame(1, piece), frame(1, `${ts1} xx\n`)]);
  t.same(new LogDecoder(false).push(bytes), [{ timestamp: ts1, stream: 'stdout', text: 'x'.repeat(32 * 1024 + 2) }]);
});
