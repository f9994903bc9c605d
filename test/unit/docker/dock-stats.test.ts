import t from 'tap';
import { dockStatsSshArgs, parseDockStatsRow } from '../../../src/docker/dock-stats.js';

const id = 'f6746e0e57d2b1f0cbd2a4f6f3f0e7a5c1e4f1c3b5a79e2d8c6b4a2f0e1d3c5b';

// Lines as the docker CLI prints them with --format '{{printf "%+v" .}}': 28.2 (a row ends with an
// erase-line code, a frame with erase-below) and 20.10 (each frame starts by clearing the screen).
const cli28 = `\u001b[H&{HeaderContext:{Header:<nil>} s:{Container:web Name:/web ID:${id} CPUPercentage:0.00011430070012720079 Memory:1.609728e+06 MemoryLimit:2.5276063744e+10 MemoryPercentage:0.0063685865659446885 NetworkRx:1234 NetworkTx:648 BlockRead:8.192e+06 BlockWrite:0 PidsCurrent:3 IsInvalid:false} os:linux trunc:true} \u001b[K`;
const cli2010 = `\u001b[2J\u001b[H&{HeaderContext:{Header:<nil>} s:{Container:web Name:/web ID:${id} CPUPercentage:0 Memory:516096 MemoryLimit:2.5276063744e+10 MemoryPercentage:0.0020418369142723427 NetworkRx:0 NetworkTx:0 BlockRead:0 BlockWrite:0 PidsCurrent:1 IsInvalid:false} os:linux trunc:true}`;
const stopped = `&{HeaderContext:{Header:<nil>} s:{Container:web Name:/web ID:${id} CPUPercentage:0 Memory:0 MemoryLimit:0 MemoryPercentage:0 NetworkRx:0 NetworkTx:0 BlockRead:0 BlockWrite:0 PidsCurrent:0 IsInvalid:true} os:linux trunc:true}`;

t.test('a row of either CLI gives its exact figures', async (t) => {
  t.same(parseDockStatsRow(cli28), {
    id,
    running: true,
    cpuPercent: 0.00011430070012720079,
    memoryUsedBytes: 1609728,
    memoryLimitBytes: 25276063744,
    memoryPercent: 0.0063685865659446885,
    networkRxBytes: 1234,
    networkTxBytes: 648,
    blockReadBytes: 8192000,
    blockWriteBytes: 0,
    pids: 3,
  });
  t.equal(parseDockStatsRow(cli2010)?.memoryUsedBytes, 516096);
  t.equal(parseDockStatsRow(cli2010)?.running, true);
});

t.test("a stopped container's row says so; anything else is no row", async (t) => {
  t.equal(parseDockStatsRow(stopped)?.running, false);
  for (const line of [
    '',
    ' \u001b[K',
    '\u001b[J',
    'Error response from daemon: No such container: 0123456789ab',
    // The rounded figures of {{json .}}: not exact, not read.
    '{"BlockIO":"0B / 0B","CPUPerc":"0.00%","Container":"web","ID":"f6746e0e57d2","MemUsage":"1.5MiB / 23.5GiB"}',
    cli28.replace('Memory:1.609728e+06', 'Memory:1.6MiB'),
    cli28.replace(` PidsCurrent:3`, ''),
    cli28.replace(id, 'web'),
  ]) {
    t.equal(parseDockStatsRow(line), undefined, JSON.stringify(line.slice(0, 60)));
  }
});

t.test('docker stats runs on the dock, the containers named by their short ids', async (t) => {
  t.same(dockStatsSshArgs('ssh://me@dock.example:2222', [id, `${'a'.repeat(64)}`]), [
    '-l',
    'me',
    '-p',
    '2222',
    '--',
    'dock.example',
    `docker stats --format '{{printf "%+v" .}}' f6746e0e57d2 aaaaaaaaaaaa`,
  ]);
});
