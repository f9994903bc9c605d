import type { Command } from 'commander';

/** The scope flags of ls-containers, logs-all and stats-all, as commander parses them. */
export interface ScopeOptions {
  readonly all?: boolean;
  readonly image?: string;
}

/** Adds `--all` and `--image NAME`. */
export function addScopeOptions(command: Command): Command {
  return command
    .option('--all', "every container on the engine, not only this project's (the default outside a project)")
    .option('--image <name>', 'only containers of this project image (its docker/ sub-folder)');
}
