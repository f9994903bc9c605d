import type { Arg } from './command-line.js';
import { announceContainerChange } from './container-changes.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';

/** The docker verbs that change a container's state. */
export type ContainerVerbName = 'start' | 'stop' | 'restart' | 'rm' | 'pause' | 'unpause';

/** Options some of the verbs take. */
export interface ContainerVerbOptions {
  /** rm: `-f`, removes running containers too. */
  readonly force?: boolean;
  /** stop, restart: `-t`, seconds to wait before killing. */
  readonly timeoutSeconds?: number;
}

/** `docker <verb> [options] NAME...`: one command for all the containers. */
export function containerVerbArgs(
  verb: ContainerVerbName,
  names: readonly string[],
  options: ContainerVerbOptions = {},
): Arg[] {
  const flags: string[] = [];
  if (verb === 'rm' && options.force) flags.push('-f');
  if ((verb === 'stop' || verb === 'restart') && options.timeoutSeconds !== undefined)
    flags.push('-t', String(options.timeoutSeconds));
  return [verb, ...flags, ...names];
}

/** What one docker verb call did, container by container. */
export interface ContainerVerbOutcome {
  readonly done: string[];
  readonly failures: { readonly target: string; readonly reason: string }[];
}

/**
 * Runs one docker verb on several containers. docker acts on each and reports the ones it could not
 * change on stderr, so one failure does not stop the others; they come back as failures here.
 */
export async function runContainerVerb(
  context: CommandContext,
  verb: ContainerVerbName,
  names: readonly string[],
  options: ContainerVerbOptions = {},
): Promise<ContainerVerbOutcome> {
  announceContainerChange(names);
  const result = await runDocker(context, containerVerbArgs(verb, names, options), { acceptExitCode: anyExitCode });
  if (context.dryRun) return { done: [], failures: [] };
  return parseContainerVerbOutput(names, result.stdout, result.stderr, result.exitCode);
}

/** Splits a verb's output into the containers done (docker prints each on stdout) and the failures. */
export function parseContainerVerbOutput(
  names: readonly string[],
  stdout: string,
  stderr: string,
  exitCode: number,
): ContainerVerbOutcome {
  const printed = new Set(stdout.split('\n').map((line) => line.trim()));
  const done = names.filter((name) => printed.has(name));
  const errorLines = stderr
    .split('\n')
    .map((line) => lastLine(line))
    .filter((line): line is string => line !== undefined);
  const failures = names
    .filter((name) => !printed.has(name))
    .map((name) => ({
      target: name,
      reason:
        errorLines.find((line) => line.includes(name)) ?? `docker could not change ${name} (exit code ${exitCode})`,
    }));
  return { done, failures };
}
