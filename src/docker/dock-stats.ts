import { formatCommandLine } from './command-line.js';
import { shortId } from './containers.js';
import { anyExitCode, runProgram, type CommandContext, type CommandResult } from './exec.js';
import { parseSshEndpoint, sshDestinationArgs } from './ssh-destination.js';

// A stats stream per container over one SSH connection wakes its ssh client for every sample (the
// engine sends them one by one through the second): at 200 containers a sixth of a core. The dock's
// own `docker stats` reads the same streams there and sends every container's row at once, twice a
// second. Its `{{json .}}` rounds the figures ("1.54MiB"); printf of the row it formats shows them exact.

/** The template that makes `docker stats` print its rows' exact figures. */
export const dockStatsFormat = '{{printf "%+v" .}}';

/** The figures `docker stats` shows of a container, computed as cli/command/container/stats_helpers.go does. */
export interface StatsFigures {
  readonly cpuPercent: number;
  readonly memoryUsedBytes: number;
  readonly memoryLimitBytes: number;
  readonly memoryPercent: number;
  readonly networkRxBytes: number;
  readonly networkTxBytes: number;
  readonly blockReadBytes: number;
  readonly blockWriteBytes: number;
  readonly pids: number;
}

/** One container's row of the dock's `docker stats`: its exact figures. */
export interface DockStatsRow extends StatsFigures {
  readonly id: string;
  /** False for a container whose stream ended (stopped): its figures are zeros then. */
  readonly running: boolean;
}

const rowFields: Record<keyof StatsFigures, string> = {
  cpuPercent: 'CPUPercentage',
  memoryUsedBytes: 'Memory',
  memoryLimitBytes: 'MemoryLimit',
  memoryPercent: 'MemoryPercentage',
  networkRxBytes: 'NetworkRx',
  networkTxBytes: 'NetworkTx',
  blockReadBytes: 'BlockRead',
  blockWriteBytes: 'BlockWrite',
  pids: 'PidsCurrent',
};

/**
 * A row of `docker stats --format '{{printf "%+v" .}}'` (`&{... s:{Container:web ID:... Memory:1.609728e+06 ...} ...}`,
 * after the terminal codes the CLI clears the screen with), or undefined for any other line.
 */
export function parseDockStatsRow(line: string): DockStatsRow | undefined {
  const match = / s:\{([^{}]*)\}/.exec(line);
  if (!match) return undefined;
  const values = new Map<string, string>();
  for (const field of match[1]!.split(' ')) {
    const colon = field.indexOf(':');
    if (colon > 0) values.set(field.slice(0, colon), field.slice(colon + 1));
  }
  const id = values.get('ID');
  const invalid = values.get('IsInvalid');
  if (!id || !/^[0-9a-f]{64}$/.test(id) || (invalid !== 'true' && invalid !== 'false')) return undefined;
  const figures: Partial<Record<keyof StatsFigures, number>> = {};
  for (const [key, field] of Object.entries(rowFields) as [keyof StatsFigures, string][]) {
    const value = Number(values.get(field) ?? Number.NaN);
    if (!Number.isFinite(value)) return undefined;
    figures[key] = value;
  }
  return { id, running: invalid === 'false', ...(figures as StatsFigures) };
}

/** ssh's arguments that run `docker stats` on the dock of an `ssh://` endpoint for these containers. */
export function dockStatsSshArgs(endpoint: string, ids: readonly string[]): string[] {
  // Short ids, as docker ps shows them: the echoed line stays readable at hundreds of containers.
  const remoteCommand = formatCommandLine('docker', ['stats', '--format', dockStatsFormat, ...ids.map(shortId)]);
  return [...sshDestinationArgs(parseSshEndpoint(endpoint)), remoteCommand];
}

// eslint-disable-next-line no-control-regex -- the CLI's escape sequences are what is matched
const terminalCodes = /\u001b\[[0-9;]*[A-Za-z]/g;

/** What one `docker stats` run on the dock is told. */
export interface DockStatsRunOptions {
  readonly ids: readonly string[];
  readonly onRow: (row: DockStatsRow) => void;
  /** Any other line of its output: a CLI that prints its rows otherwise cannot be read. */
  readonly onOtherLine: (line: string) => void;
  readonly signal: AbortSignal;
}

/** The line `runDockStats` runs, for the echo (its runs are quiet: one replaces another as containers join). */
export function dockStatsCommandLine(context: CommandContext, ids: readonly string[]): string {
  return formatCommandLine('ssh', dockStatsSshArgs(context.target.endpoint, ids));
}

/** Runs `docker stats` on the dock over the shared SSH connection until it ends or `signal` aborts. */
export function runDockStats(context: CommandContext, options: DockStatsRunOptions): Promise<CommandResult> {
  return runProgram(context, 'ssh', dockStatsSshArgs(context.target.endpoint, options.ids), {
    quiet: true,
    acceptExitCode: anyExitCode,
    cancelSignal: options.signal,
    onStdoutLine: (line) => {
      const row = parseDockStatsRow(line);
      if (row) options.onRow(row);
      // Blank lines and the CLI's screen clearing come between its frames.
      else if (line.replace(terminalCodes, '').trim() !== '') options.onOtherLine(line);
    },
  });
}
