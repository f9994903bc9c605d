import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { decode, encode } from 'ini';
import { anyExitCode, runProgram, type CommandContext } from '../docker/exec.js';
import { CommandFailedError, UserError } from '../errors.js';

// A dock may be a machine that is started and stopped (a cloud instance): the commands that do it
// are the user's, kept beside the docker context in a small INI file, one section per dock.

/** The shell commands that start, stop and report a dock's machine (`aws ec2 start-instances ...`). */
export interface DockMachine {
  readonly start?: string;
  readonly stop?: string;
  /** Prints the machine's state (`running`, `stopped`) on its first line. */
  readonly status?: string;
}

const machineKeys = ['start', 'stop', 'status'] as const;

/** `$XDG_CONFIG_HOME/dockerutils/docks.ini` (`~/.config/...` when XDG_CONFIG_HOME is unset). */
export function dockMachinesPath(env: NodeJS.ProcessEnv): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'dockerutils', 'docks.ini');
}

/** Every dock's machine commands; an absent file is no machines. */
export function readDockMachines(env: NodeJS.ProcessEnv): Map<string, DockMachine> {
  const path = dockMachinesPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new UserError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const machines = new Map<string, DockMachine>();
  collectMachines(decode(text), [], machines);
  return machines;
}

// ini reads `[gpu.box]` as section `box` inside `gpu`: dock names may hold dots, so nesting is undone.
function collectMachines(node: Record<string, unknown>, path: readonly string[], into: Map<string, DockMachine>): void {
  const machine: Record<string, string> = {};
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object')
      collectMachines(value as Record<string, unknown>, [...path, key], into);
    // ini reads `start = true` as a boolean: the command `true` is meant.
    else if ((machineKeys as readonly string[]).includes(key) && String(value).trim() !== '')
      machine[key] = String(value);
  }
  if (path.length > 0 && Object.keys(machine).length > 0) into.set(path.join('.'), machine);
}

/** Records (or, with no commands, forgets) a dock's machine commands. */
export function saveDockMachine(env: NodeJS.ProcessEnv, name: string, machine: DockMachine | undefined): void {
  const machines = readDockMachines(env);
  const had = machines.has(name);
  if (machine === undefined || machineKeys.every((key) => machine[key] === undefined)) machines.delete(name);
  else machines.set(name, machine);
  if (!had && !machines.has(name)) return;
  const path = dockMachinesPath(env);
  const sections = Object.fromEntries(
    [...machines].map(([dock, commands]) => [
      dock,
      Object.fromEntries(machineKeys.filter((key) => commands[key] !== undefined).map((key) => [key, commands[key]])),
    ]),
  );
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Written aside and renamed: a command reading it meanwhile sees the old file or the new, never half.
    const partial = `${path}.${process.pid}`;
    writeFileSync(
      partial,
      `; dockerutils: the commands that start, stop and report each dock's machine (dock add --start/--stop/--status)\n${encode(sections, { whitespace: true })}`,
      { mode: 0o600 },
    );
    renameSync(partial, path);
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as Error).message}`, { exitCode: 1 });
  }
}

/** The machine commands of a dock that has `which`; a usage error saying how to add them otherwise. */
export function requireMachineCommand(env: NodeJS.ProcessEnv, name: string, which: 'start' | 'stop'): string {
  const command = readDockMachines(env).get(name)?.[which];
  if (command === undefined) {
    throw new UserError(
      `dock "${name}" has no ${which} command: add one under [${name}] in ${dockMachinesPath(env)} (${which} = ...), or \`dock rm ${name}\` and add it again with --${which}`,
    );
  }
  return command;
}

/** Runs a start or stop command with `sh -c` (it is the user's shell command), its output to stderr. */
export async function runMachineCommand(
  context: CommandContext,
  which: 'start' | 'stop',
  command: string,
  timeoutMs: number,
): Promise<void> {
  try {
    await runProgram(context, 'sh', ['-c', command], { stdio: 'stderr', timeoutMs });
  } catch (error) {
    if (error instanceof CommandFailedError) {
      throw new CommandFailedError(
        error.commandLine,
        error.exitCode === 124 ? 1 : error.exitCode,
        error.exitCode === 124
          ? `the ${which} command did not finish within ${timeoutMs / 1000} s`
          : `the ${which} command failed with exit code ${error.exitCode}`,
      );
    }
    throw error;
  }
}

/** The first line a status command prints, or why there is none (`unknown (exit 3)`). */
export async function machineStatus(context: CommandContext, command: string, timeoutMs: number): Promise<string> {
  try {
    const result = await runProgram({ ...context, dryRun: false }, 'sh', ['-c', command], {
      acceptExitCode: anyExitCode,
      timeoutMs,
    });
    const line = result.stdout
      .split('\n')
      .find((text) => text.trim() !== '')
      ?.trim();
    if (result.exitCode !== 0) return `unknown (exit ${result.exitCode})`;
    return line ?? 'unknown';
  } catch (error) {
    if (error instanceof CommandFailedError && error.exitCode === 124) return 'unknown (no answer)';
    throw error;
  }
}
