import type { DockStatsRow, StatsFigures } from '../docker/dock-stats.js';

/** One resource sample of one container, as stats-all writes it (one JSON object a line). */
export interface StatsSample extends StatsFigures {
  /** ISO time of the sample: when the engine read it (on a dock, when the dock's `docker stats` sent it). */
  readonly time: string;
  readonly id: string;
  readonly name: string;
}

/** The parts of `GET /containers/{id}/stats` a sample is computed from. */
export interface RawStats {
  read: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

/**
 * The newest complete line in what a stream delivered since the last look (`carry` is the line cut
 * by the end of that look), and the new carry.
 */
export function newestLine(carry: string, text: string): { newest?: string; carry: string } {
  const all = carry + text;
  let end = all.lastIndexOf('\n');
  const rest = all.slice(end + 1);
  // Skip blank lines: an idle stream may send bare newlines.
  while (end !== -1) {
    const start = all.lastIndexOf('\n', end - 1) + 1;
    const line = all.slice(start, end);
    if (/\S/.test(line)) return { newest: line, carry: rest };
    end = start - 1;
  }
  return { carry: rest };
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * A sample computed the way `docker stats` computes its columns (cli/command/container/stats_helpers.go):
 * CPU from the change since the previous read, memory without the page cache. A one-shot sample has
 * no previous read of its own: `earlier`, the last sample taken of the container, stands in.
 */
export function statsSample(id: string, name: string, raw: RawStats, earlier?: RawStats): StatsSample {
  const cpu = raw.cpu_stats ?? {};
  const previous = raw.precpu_stats?.system_cpu_usage ? raw.precpu_stats : (earlier?.cpu_stats ?? {});
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (previous.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (previous.system_cpu_usage ?? 0);
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent =
    previous.system_cpu_usage && systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = raw.memory_stats ?? {};
  const cache = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
  const memoryUsedBytes = Math.max(0, (memory.usage ?? 0) - (cache < (memory.usage ?? 0) ? cache : 0));
  const memoryLimitBytes = memory.limit ?? 0;
  const networks = Object.values(raw.networks ?? {});
  const block = raw.blkio_stats?.io_service_bytes_recursive ?? [];
  const blockBytes = (op: string): number =>
    block.filter((entry) => entry.op.toLowerCase() === op).reduce((sum, entry) => sum + entry.value, 0);
  return {
    time: new Date(raw.read).toISOString(),
    id,
    name,
    cpuPercent: round2(cpuPercent),
    memoryUsedBytes,
    memoryLimitBytes,
    memoryPercent: memoryLimitBytes > 0 ? round2((memoryUsedBytes / memoryLimitBytes) * 100) : 0,
    networkRxBytes: networks.reduce((sum, network) => sum + (network.rx_bytes ?? 0), 0),
    networkTxBytes: networks.reduce((sum, network) => sum + (network.tx_bytes ?? 0), 0),
    blockReadBytes: blockBytes('read'),
    blockWriteBytes: blockBytes('write'),
    pids: raw.pids_stats?.current ?? 0,
  };
}

/** A sample from a row of the dock's `docker stats`, which computed the figures as `statsSample` does. */
export function dockStatsSample(id: string, name: string, row: DockStatsRow, atMs: number): StatsSample {
  return {
    time: new Date(atMs).toISOString(),
    id,
    name,
    cpuPercent: round2(row.cpuPercent),
    memoryUsedBytes: row.memoryUsedBytes,
    memoryLimitBytes: row.memoryLimitBytes,
    memoryPercent: round2(row.memoryPercent),
    networkRxBytes: row.networkRxBytes,
    networkTxBytes: row.networkTxBytes,
    blockReadBytes: row.blockReadBytes,
    blockWriteBytes: row.blockWriteBytes,
    pids: row.pids,
  };
}
