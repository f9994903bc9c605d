import type { Command } from 'commander';
import type { ShellCommandSpec } from '../shell/shell-line.js';

/** How a command appears in `dockerutils shell`: its own spec, and words added after the user's. */
export interface ShellEntry extends ShellCommandSpec {
  /** `create` is `run-image --create-only`, `ps` is `ls-containers -a`. */
  readonly extraArgs?: readonly string[];
}

/** A command of the toolkit; src/cli/<name>.ts wires it. */
export interface ToolkitCommand {
  readonly name: string;
  readonly summary: string;
  /** Its own bin (package.json `bin`, dist/bin/<name>.js). */
  readonly bin: boolean;
  /** A `dockerutils <name>` sub-command. */
  readonly subcommand: boolean;
  readonly load: () => Promise<{ createCommand(): Command }>;
  /** Its commands in the shell, if any. */
  readonly shell?: readonly ShellEntry[];
}
