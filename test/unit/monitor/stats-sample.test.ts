import t from 'tap';
import { formatBytes } from '../../../src/byte-units.js';
import { newestLine, statsSample } from '../../../src/monitor/stats-sample.js';

t.test('a sample is computed like docker stats computes its columns', async (t) => {
  const sample = statsSample('abc', 'web', {
    read: '2024-01-02T03:04:05.123456789Z',
    cpu_stats: { cpu_usage: { total_usage: 3_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
    memory_stats: { usage: 10 * 1048576, limit: 100 * 1048576, stats: { total_inactive_file: 2 * 1048576 } },
    networks: { eth0: { rx_bytes: 100, tx_bytes: 50 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { op: 'Read', value: 4096 },
        { op: 'Write', value: 512 },
        { op: 'read', value: 4 },
      ],
    },
    pids_stats: { current: 3 },
  });
  t.same(sample, {
    time: '2024-01-02T03:04:05.123Z',
    id: 'abc',
    name: 'web',
    cpuPercent: 40,
    memoryUsedBytes: 8 * 1048576,
    memoryLimitBytes: 100 * 1048576,
    memoryPercent: 8,
    networkRxBytes: 101,
    networkTxBytes: 52,
    blockReadBytes: 4100,
    blockWriteBytes: 512,
    pids: 3,
  });
});

t.test('the first sample (no previous read) has 0 % CPU, and missing parts are zero', async (t) => {
  const sample = statsSample('abc', 'idle', {
    read: '2024-01-02T03:04:05Z',
    cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 9 },
    precpu_stats: {},
  });
  t.equal(sample.cpuPercent, 0);
  t.equal(sample.memoryPercent, 0);
  t.equal(sample.pids, 0);
});

t.test('bytes are shown in binary units', async (t) => {
  t.equal(formatBytes(512), '512B');
  t.equal(formatBytes(1536 * 1024), '1.5MiB');
  t.equal(formatBytes(2 * 1024 ** 3), '2.0GiB');
});

t.test('a one-shot sample (no previous read of its own) measures CPU against the earlier sample given', async (t) => {
  const earlier = {
    read: '2024-01-02T03:04:00Z',
    cpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000, online_cpus: 2 },
  };
  const oneShot = {
    read: '2024-01-02T03:04:05Z',
    cpu_stats: { cpu_usage: { total_usage: 2_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: {}, system_cpu_usage: 0 },
  };
  t.equal(statsSample('abc', 'web', oneShot, earlier).cpuPercent, 20);
  t.equal(
    statsSample('abc', 'web', oneShot).cpuPercent,
    0,
    'the first poll has no CPU figure, like the first streamed sample',
  );
  const streamed = {
    ...oneShot,
    precpu_stats: { cpu_usage: { total_usage: 1_500_000 }, system_cpu_usage: 15_000_000 },
  };
  t.equal(
    statsSample('abc', 'web', streamed, earlier).cpuPercent,
    20,
    "the engine's own previous read wins when there is one",
  );
});

t.test('newestLine takes the newest complete sample and carries a cut one', async (t) => {
  t.same(newestLine('', '{"a":1}\n{"a":2}\n{"a":'), { newest: '{"a":2}', carry: '{"a":' });
  t.same(newestLine('{"a":', '3}\n'), { newest: '{"a":3}', carry: '' });
  t.same(newestLine('', '{"a":4}\n\n  \n'), { newest: '{"a":4}', carry: '' }, 'blank lines are not samples');
  t.same(newestLine('', '{"a":'), { carry: '{"a":' });
  t.same(newestLine('', ''), { carry: '' });
});
