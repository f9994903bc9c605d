import type { Command } from 'commander';
import { resolveEngineTarget } from '../docker/engine-target.js';
import type { CommandContext } from '../docker/exec.js';
import { paint } from './terminal.js';

/** Options every command that talks to docker shares. */
export interface EngineOptions {
  readonly dock?: string;
  readonly dryRun?: boolean;
}

/** Adds `--dock NAME`: target a registered dock (a docker context) instead of the active engine. */
export function addDockOption(command: Command): Command {
  return command.option('--dock <name>', 'run against this dock (docker context) instead of the active engine');
}

/** Adds `--dry-run`: print the docker commands on stdout and run nothing. */
export function addDryRunOption(command: Command): Command {
  return command.option('--dry-run', 'print the commands it would run, run nothing');
}

/**
 * The context commands run in. Echoed commands go to stderr, except in a dry run, where they are the
 * output (stdout), so `run-image dev --dry-run > cmd.sh` works.
 */
export function createCommandContext(options: EngineOptions, env: NodeJS.ProcessEnv = process.env): CommandContext {
  const dryRun = Boolean(options.dryRun);
  return {
    cwd: process.cwd(),
    env,
    target: resolveEngineTarget({ dock: options.dock, env }),
    dryRun,
    echo: dryRun
      ? (line) => process.stdout.write(`${line}\n`)
      : (line) => process.stderr.write(`${paint.cyan(line)}\n`),
  };
}
