import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandSession } from '../commands/session.js';
import { ExitCode } from '../errors.js';
import { paint } from './output/terminal.js';

/** Options every command that talks to docker shares. */
export interface EngineOptions {
  readonly dock?: string;
  readonly dryRun?: boolean;
}

/** Adds `--dock NAME`: target a registered dock (a docker context) instead of the active engine. */
export function addDockOption(command: Command): Command {
  return command.option('--dock <name>', 'run against this dock (docker context) instead of the active engine');
}

/** Adds `--dock NAME`, repeatable: several docks at once, `all` for every dock. */
export function addDocksOption(command: Command): Command {
  return command.addOption(
    repeatableOption(
      '--dock <name>',
      'run against this dock (docker context); repeat it for several, or `all` for every dock',
    ),
  );
}

/** Adds `--dry-run`: print the docker commands on stdout and run nothing. */
export function addDryRunOption(command: Command): Command {
  return command.option('--dry-run', 'print the commands it would run, run nothing');
}

/** The scope flags of ls-containers, logs-all, stats-all, as commander parses them. */
export interface ScopeOptions {
  readonly all?: boolean;
  readonly image?: string;
  readonly service?: string;
}

/** Adds `--all` and `--image NAME`. */
export function addScopeOptions(command: Command): Command {
  return command
    .option('--all', "every container on the engine, not only this project's (the default outside a project)")
    .option('--image <name>', 'only containers of this project image (its docker/ sub-folder)');
}

/** Adds `--service NAME`: the task containers of a swarm service. */
export function addServiceOption(command: Command): Command {
  return command.option(
    '--service <name>',
    'the task containers of this swarm service (deploy-image names it <project>_<image>)',
  );
}

/** A repeatable option: each use adds its value to the list. */
export function repeatableOption(flags: string, description: string): Option {
  return new Option(flags, description)
    .argParser((value: string, previous: string[]) => [...previous, value])
    .default([]);
}

/** commander's parser for a whole number (0 or more); anything else is a usage error naming the option. */
export function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** commander's parser for a number of seconds above zero (fractions allowed). */
export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0))
    throw new InvalidArgumentError('expected a number of seconds above 0');
  return seconds;
}

/** Tells each dock that failed on stderr; then exit code 1, once the others' output is printed. */
export function reportDockFailures(failures: readonly { dock: string; failure: string }[]): void {
  for (const { dock, failure } of failures) process.stderr.write(`${paint.red('error:')} dock ${dock}: ${failure}\n`);
  if (failures.length > 0) throw new ExitCode(1);
}

/**
 * The session a command runs in. Echoed commands go to stderr, except in a dry run, where they are
 * the output (stdout), so `run-image dev --dry-run > cmd.sh` works.
 */
export function createSession(options: EngineOptions = {}, env: NodeJS.ProcessEnv = process.env): CommandSession {
  const dryRun = Boolean(options.dryRun);
  return {
    cwd: process.cwd(),
    env,
    dock: options.dock,
    dryRun,
    echo: dryRun
      ? (line) => process.stdout.write(`${line}\n`)
      : (line) => process.stderr.write(`${paint.cyan(line)}\n`),
  };
}
