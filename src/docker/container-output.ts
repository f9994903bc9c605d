import type { Arg } from './command-line.js';
import { anyExitCode, runDocker, type CommandContext } from './exec.js';

/** `docker logs`: the last lines of a container, or following it with `follow`. */
export function containerLogsArgs(name: string, options: { follow?: boolean; tail?: number } = {}): Arg[] {
  return ['logs', ...(options.follow ? ['-f'] : []), '--tail', String(options.tail ?? 50), name];
}

// docker logs -f ends with the SIGINT of the user's Ctrl-C: that is how following stops, not a failure.
const interruptedExitCode = 130;

/** Shows a container's recent output on the terminal, following it until Ctrl-C with `follow`. */
export async function showContainerLogs(
  context: CommandContext,
  name: string,
  options: { follow?: boolean; tail?: number },
): Promise<void> {
  await runDocker(context, containerLogsArgs(name, options), {
    stdio: 'inherit',
    acceptExitCode: (exitCode) => Boolean(options.follow) && exitCode === interruptedExitCode,
  });
}

/** `docker stats --no-stream` for some containers: one snapshot of their CPU, memory and I/O. */
export function containerStatsArgs(names: readonly string[]): Arg[] {
  return ['stats', '--no-stream', ...names];
}

/** Shows docker's own one-snapshot stats table of some containers. */
export async function showContainerStats(context: CommandContext, names: readonly string[]): Promise<void> {
  await runDocker(context, containerStatsArgs(names), { stdio: 'inherit' });
}

/**
 * `docker attach` with explicit detach keys. Without a terminal to read keys from, it only shows the
 * output (`--no-stdin`), and Ctrl-C stops the watching instead of reaching the container (`--sig-proxy=false`).
 */
export function attachContainerArgs(name: string, options: { detachKeys: string; withInput: boolean }): Arg[] {
  const outputOnly = options.withInput ? [] : ['--no-stdin', '--sig-proxy=false'];
  return ['attach', '--detach-keys', options.detachKeys, ...outputOnly, name];
}

/**
 * Attaches this terminal to a running container until the detach keys are typed or the container
 * ends; resolves with docker attach's exit code (the container's, when it ended).
 */
export async function attachContainer(
  context: CommandContext,
  name: string,
  options: { detachKeys: string; withInput: boolean },
): Promise<number> {
  const result = await runDocker(context, attachContainerArgs(name, options), {
    stdio: 'inherit',
    acceptExitCode: anyExitCode,
  });
  return result.exitCode;
}
