import { formatBytes, formatSize } from '../../byte-units.js';
import type { DockStatus } from '../../commands/dock.js';
import type { SwarmNodeRow } from '../../commands/dock-swarm.js';
import type { ContainerRecord } from '../../commands/ls-containers.js';
import type { EngineImageRow, ProjectImageRow } from '../../commands/ls-images.js';
import type { StatsSample } from '../../monitor/stats-sample.js';

/** Left-aligned columns two spaces apart, trailing spaces trimmed; one line per row, each ending in a newline. */
export function formatTable(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd() + '\n';
  return [headings, ...rows].map(line).join('');
}

/** The container table of ls-containers and the shell's `ps`; a DOCK column when they come from several docks. */
export function formatContainerTable(containers: readonly (ContainerRecord & { dock?: string })[]): string {
  const docked = containers.some((container) => container.dock !== undefined);
  // A NODE column only when swarm tasks are listed: it says which dock each runs on.
  const nodes = containers.some((container) => container.node !== null);
  return formatTable(
    [
      ...(docked ? ['DOCK'] : []),
      'NAME',
      'IMAGE',
      'STATE',
      'STATUS',
      'PORTS',
      'RUNNING FOR',
      'ID',
      ...(nodes ? ['NODE'] : []),
    ],
    containers.map((container) => [
      ...(docked ? [container.dock ?? ''] : []),
      container.name,
      container.image,
      container.state,
      container.status,
      container.ports,
      container.runningFor,
      container.shortId,
      ...(nodes ? [container.node ?? '-'] : []),
    ]),
  );
}

/** ls-images' table: one line per image, `not built` where the engine has none; a DOCK column for several docks. */
export function formatImageTable(rows: readonly (ProjectImageRow & { dock?: string })[]): string {
  const docked = rows.some((row) => row.dock !== undefined);
  return formatTable(
    [...(docked ? ['DOCK'] : []), 'IMAGE', 'REFERENCE', 'VERSION', 'SIZE', 'CREATED', 'CONTAINERS'],
    rows.map((row) => [
      ...(docked ? [row.dock ?? ''] : []),
      row.kind === 'synthetic' ? `${row.image} (synthetic)` : row.image,
      row.reference,
      row.version ?? '-',
      row.sizeBytes === undefined ? 'not built' : formatSize(row.sizeBytes),
      row.created === undefined ? '-' : formatCreated(row.created),
      row.containers.length === 0 ? '-' : row.containers.join(', '),
    ]),
  );
}

/** `ls-images --all`: a row per name of every image of the engine, as docker image ls, plus its containers. */
export function formatEngineImageTable(rows: readonly EngineImageRow[]): string {
  return formatTable(
    ['REFERENCE', 'IMAGE', 'ID', 'SIZE', 'CREATED', 'CONTAINERS'],
    rows.map((row) => [
      row.reference ?? '<none>',
      row.image ?? '-',
      row.id.replace(/^sha256:/, '').slice(0, 12),
      formatSize(row.sizeBytes),
      formatCreated(row.created),
      row.containers.length === 0 ? '-' : row.containers.join(', '),
    ]),
  );
}

/** docker's creation time as `YYYY-MM-DD HH:MM` (UTC). */
export function formatCreated(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** The `dock ls` table: the active dock starred; a MACHINE column when some dock has a status command. */
export function formatDockTable(docks: readonly DockStatus[]): string {
  const machines = docks.some((dock) => dock.machine !== null);
  return formatTable(
    ['', 'NAME', 'ENDPOINT', 'STATE', 'VERSION', 'RUNNING', ...(machines ? ['MACHINE'] : [])],
    docks.map((dock) => [
      dock.active ? '*' : '',
      dock.name,
      dock.endpoint,
      dock.state,
      dock.version ?? '-',
      dock.runningContainers === null ? '-' : String(dock.runningContainers),
      ...(machines ? [dock.machine ?? '-'] : []),
    ]),
  );
}

/** The order of the live stats table. */
export type StatsOrder = 'cpu' | 'memory' | 'name';

/** stats-all's live table, in `docker stats` columns. */
export function formatStatsTable(samples: readonly StatsSample[], order: StatsOrder): string {
  const rows = [...samples].sort((a, b) =>
    order === 'name'
      ? a.name.localeCompare(b.name)
      : order === 'memory'
        ? b.memoryUsedBytes - a.memoryUsedBytes
        : b.cpuPercent - a.cpuPercent,
  );
  return formatTable(
    ['NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
    rows.map((sample) => [
      sample.name,
      `${sample.cpuPercent.toFixed(2)}%`,
      `${formatBytes(sample.memoryUsedBytes)} / ${formatBytes(sample.memoryLimitBytes)}`,
      `${sample.memoryPercent.toFixed(2)}%`,
      `${formatBytes(sample.networkRxBytes)} / ${formatBytes(sample.networkTxBytes)}`,
      `${formatBytes(sample.blockReadBytes)} / ${formatBytes(sample.blockWriteBytes)}`,
      String(sample.pids),
    ]),
  );
}

/** The plain-text line of a sample: what stats-all prints when not on a terminal. */
export function formatStatsLine(sample: StatsSample): string {
  return `${sample.time} ${sample.name} cpu ${sample.cpuPercent.toFixed(2)}% mem ${formatBytes(sample.memoryUsedBytes)} / ${formatBytes(sample.memoryLimitBytes)} (${sample.memoryPercent.toFixed(2)}%) net ${formatBytes(sample.networkRxBytes)} / ${formatBytes(sample.networkTxBytes)} block ${formatBytes(sample.blockReadBytes)} / ${formatBytes(sample.blockWriteBytes)} pids ${sample.pids}`;
}

/** `dock swarm ls`: one line per node, managers first. */
export function formatSwarmTable(nodes: readonly SwarmNodeRow[]): string {
  return formatTable(
    ['DOCK', 'ROLE', 'AVAILABILITY', 'STATE', 'ENGINE', 'ADDRESS', 'HOSTNAME', 'ID'],
    nodes.map((node) => [
      node.dock ?? '-',
      node.leader ? 'manager (leader)' : node.role,
      node.availability,
      node.state,
      node.engineVersion,
      node.address,
      node.hostname,
      node.id.slice(0, 12),
    ]),
  );
}
