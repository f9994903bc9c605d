// The docker verbs up-containers and down-containers run one container (or one layer) at a time,
// each bounded: a stack waits on them, and a wedged engine must not hang it for ever.
import type { RunSettings } from '../project/run-settings.js';
import type { Word } from '../project/words.js';
import { CommandFailedError } from '../errors.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { announceContainerChange } from './container-changes.js';
import { containerLogsArgs } from './container-output.js';
import { createContainerArgs } from './containers.js';
import { anyExitCode, lastLine, runDocker, type CommandContext, type CommandResult } from './exec.js';
import { labelFlags } from './networks.js';

const containerCallTimeoutMs = 120_000;

/** `docker ps -a -q` of every container carrying a label (`key=value`), full ids. */
export function listLabelledContainerIdsArgs(label: string): Arg[] {
  return ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${label}`];
}

/** The ids of the containers that carry a label, any state. Runs in a dry run too: it changes nothing. */
export async function listLabelledContainerIds(
  context: CommandContext,
  label: string,
  options: { quiet?: boolean } = {},
): Promise<string[]> {
  const result = await runDocker({ ...context, dryRun: false }, listLabelledContainerIdsArgs(label), {
    quiet: options.quiet,
    timeoutMs: 60_000,
  });
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** `docker create` of a stack container: run-image's create argv, plus labels only known now. */
export function createStackContainerArgs(settings: RunSettings, extraLabels: Readonly<Record<string, string>>): Arg[] {
  return createContainerArgs({ ...settings, labels: { ...settings.labels, ...extraLabels } });
}

/** Creates a stack container (not started). */
export async function createStackContainer(
  context: CommandContext,
  settings: RunSettings,
  extraLabels: Readonly<Record<string, string>>,
): Promise<void> {
  announceContainerChange([settings.containerName]);
  await runDocker(context, createStackContainerArgs(settings, extraLabels), { timeoutMs: containerCallTimeoutMs });
}

/** `docker start` (or `docker unpause` for a paused container). */
export function startContainerArgs(name: string, paused = false): Arg[] {
  return [paused ? 'unpause' : 'start', name];
}

/** Starts a created or stopped container, or unpauses a paused one. */
export async function startContainer(context: CommandContext, name: string, paused = false): Promise<void> {
  announceContainerChange([name]);
  await runDocker(context, startContainerArgs(name, paused), { timeoutMs: containerCallTimeoutMs });
}

/** `docker stop -t SECONDS NAME...` */
export function stopContainersArgs(names: readonly string[], timeoutSeconds: number): Arg[] {
  return ['stop', '-t', String(timeoutSeconds), ...names];
}

/** Stops containers, waiting up to `timeoutSeconds` for each before docker kills it. */
export async function stopContainers(
  context: CommandContext,
  names: readonly string[],
  timeoutSeconds: number,
): Promise<void> {
  if (names.length === 0) return;
  announceContainerChange(names);
  await runDocker(context, stopContainersArgs(names, timeoutSeconds), {
    timeoutMs: containerCallTimeoutMs + timeoutSeconds * 1000,
  });
}

/** `docker rm [-f] NAME...` */
export function removeContainersArgs(names: readonly string[], force = false): Arg[] {
  return ['rm', ...(force ? ['-f'] : []), ...names];
}

/** Removes containers. */
export async function removeContainers(
  context: CommandContext,
  names: readonly string[],
  force = false,
): Promise<void> {
  if (names.length === 0) return;
  announceContainerChange(names);
  await runDocker(context, removeContainersArgs(names, force), { timeoutMs: containerCallTimeoutMs });
}

/** `docker exec NAME COMMAND...` */
export function execInContainerArgs(name: string, command: readonly Word[]): Arg[] {
  return ['exec', name, ...command];
}

/** Runs a command in a running container, its output streaming to stderr; fails with its exit code. */
export async function execInContainer(
  context: CommandContext,
  name: string,
  command: readonly Word[],
  timeoutMs: number,
): Promise<void> {
  await runDocker(context, execInContainerArgs(name, command), { stdio: 'stderr', timeoutMs });
}

/** A container's state as `docker inspect` has it: status, exit code, health. */
export interface ContainerState {
  readonly status: string;
  readonly exitCode: number;
  readonly health?: string;
}

/** `docker inspect --format '{{json .State}}' NAME` */
export function containerStateArgs(name: string): Arg[] {
  return ['inspect', '--format', '{{json .State}}', name];
}

/** A container's current state (a quiet look-up, polled while waiting for it to become healthy). */
export async function containerState(context: CommandContext, name: string): Promise<ContainerState> {
  const result = await runDocker({ ...context, dryRun: false }, containerStateArgs(name), {
    quiet: true,
    timeoutMs: 30_000,
  });
  const state = JSON.parse(result.stdout) as { Status?: string; ExitCode?: number; Health?: { Status?: string } };
  return {
    status: state.Status ?? '',
    exitCode: state.ExitCode ?? 0,
    ...(state.Health?.Status ? { health: state.Health.Status } : {}),
  };
}

/** The last lines a container wrote (stdout, then stderr), for an error message; empty when it cannot be read. */
export async function containerLogTail(context: CommandContext, name: string, lines: number): Promise<string> {
  const result: CommandResult = await runDocker(
    { ...context, dryRun: false },
    containerLogsArgs(name, { tail: lines }),
    {
      quiet: true,
      acceptExitCode: anyExitCode,
      timeoutMs: 30_000,
    },
  );
  return `${result.stdout}${result.stderr}`.trimEnd();
}

/** `docker create` of a lock: a container that is never started, whose name only one creator gets. */
export function createLockContainerArgs(name: string, labels: Readonly<Record<string, string>>, image: string): Arg[] {
  return ['create', '--name', name, ...labelFlags(labels), '--network', 'none', image, 'lock'];
}

/** Tries to take a lock: true when this call created the container, false when the name is taken. */
export async function createLockContainer(
  context: CommandContext,
  name: string,
  labels: Readonly<Record<string, string>>,
  image: string,
): Promise<boolean> {
  const result = await runDocker(context, createLockContainerArgs(name, labels, image), {
    quiet: true,
    acceptExitCode: anyExitCode,
    timeoutMs: 60_000,
  });
  if (result.exitCode === 0) return true;
  if (/already in use|Conflict/i.test(result.stderr)) return false;
  throw new CommandFailedError(
    formatCommandLine('docker', createLockContainerArgs(name, labels, image)),
    result.exitCode,
    lastLine(result.stderr),
  );
}
