import type { Arg } from './command-line.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';
import { CommandFailedError } from '../errors.js';
import { formatCommandLine } from './command-line.js';

const networkTimeoutMs = 60_000;

/** `docker network create` of a labelled network (bridge, the engine's default driver). */
export function createNetworkArgs(name: string, labels: Readonly<Record<string, string>>): Arg[] {
  return ['network', 'create', ...labelFlags(labels), name];
}

/** Creates a network. */
export async function createNetwork(
  context: CommandContext,
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  await runDocker(context, createNetworkArgs(name, labels), { timeoutMs: networkTimeoutMs });
}

/** `docker network rm` */
export function removeNetworkArgs(name: string): Arg[] {
  return ['network', 'rm', name];
}

/**
 * Removes a network unless containers are still on it (another user's, one started by hand):
 * resolves with false then, and with false when it is gone already.
 */
export async function removeNetworkIfUnused(context: CommandContext, name: string): Promise<boolean> {
  const args = removeNetworkArgs(name);
  const result = await runDocker(context, args, { acceptExitCode: anyExitCode, timeoutMs: networkTimeoutMs });
  if (result.exitCode === 0) return !context.dryRun;
  if (/active endpoints|not found|no such network/i.test(result.stderr)) return false;
  throw new CommandFailedError(formatCommandLine('docker', args), result.exitCode, lastLine(result.stderr));
}

/** `--label key=value` for each label. */
export function labelFlags(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
}
