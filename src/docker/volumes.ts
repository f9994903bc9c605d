import { CommandFailedError } from '../errors.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';
import { labelFlags } from './networks.js';

const volumeTimeoutMs = 60_000;

/** `docker volume create` of a labelled named volume. */
export function createVolumeArgs(name: string, labels: Readonly<Record<string, string>>): Arg[] {
  return ['volume', 'create', ...labelFlags(labels), name];
}

/** Creates a named volume (docker leaves an existing one as it is). */
export async function createVolume(
  context: CommandContext,
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<void> {
  await runDocker(context, createVolumeArgs(name, labels), { timeoutMs: volumeTimeoutMs });
}

/** `docker volume ls` of the volumes carrying a label, names only. */
export function listVolumesArgs(label: string): Arg[] {
  return ['volume', 'ls', '-q', '--filter', `label=${label}`];
}

/** The names of the volumes that carry a label (`key=value`). Runs in a dry run too: it changes nothing. */
export async function listLabelledVolumes(context: CommandContext, label: string): Promise<string[]> {
  const result = await runDocker({ ...context, dryRun: false }, listVolumesArgs(label), {
    quiet: true,
    timeoutMs: volumeTimeoutMs,
  });
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** `docker volume rm` of several volumes. */
export function removeVolumesArgs(names: readonly string[]): Arg[] {
  return ['volume', 'rm', ...names];
}

/** What removing volumes did: those removed, and those kept with docker's reason (in use, ...). */
export interface RemovedVolumes {
  readonly removed: string[];
  readonly kept: { readonly name: string; readonly reason: string }[];
}

/** Removes volumes in one call; one that is absent counts as removed, one in use is kept and named. */
export async function removeVolumes(context: CommandContext, names: readonly string[]): Promise<RemovedVolumes> {
  if (names.length === 0) return { removed: [], kept: [] };
  const args = removeVolumesArgs(names);
  const result = await runDocker(context, args, { acceptExitCode: anyExitCode, timeoutMs: volumeTimeoutMs });
  if (context.dryRun) return { removed: [], kept: [] };
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  const kept = names
    .map((name) => ({ name, line: lines.find((line) => line.includes(name) && !/no such volume/i.test(line)) }))
    .filter((entry) => entry.line !== undefined)
    .map((entry) => ({ name: entry.name, reason: lastLine(entry.line!) ?? 'in use' }));
  const unexplained = lines.filter((line) => !names.some((name) => line.includes(name)));
  if (result.exitCode !== 0 && unexplained.length > 0)
    throw new CommandFailedError(formatCommandLine('docker', args), result.exitCode, lastLine(unexplained.join('\n')));
  return { removed: names.filter((name) => !kept.some((entry) => entry.name === name)), kept };
}
