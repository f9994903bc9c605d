import { split } from 'shlex';
import { closestName } from '../project/closest-name.js';

/** What the words after a command name are, for Tab completion. */
export type ArgumentKind = 'image' | 'container' | 'dock' | 'command' | 'none';

/** One command of the shell, as the parser and completion see it. */
export interface ShellCommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** `run IMAGE [run-image flags]` */
  readonly usage: string;
  readonly summary: string;
  /** The fewest words (not counting `-x` flags) the command needs after its name. */
  readonly minArgs: number;
  readonly completes: ArgumentKind;
  /** The words its first argument takes, for Tab (`capture on|off`). */
  readonly choices?: readonly string[];
  /** Commands that stop or remove containers: deaths they cause are not reported as outside ones. */
  readonly changesContainers?: boolean;
  /** Commands that may change the active engine (`dock use`): the shell watches the new one after them. */
  readonly changesEngine?: boolean;
}

/** A line typed at the prompt, understood. */
export type ParsedLine =
  | { readonly kind: 'empty' }
  | { readonly kind: 'command'; readonly spec: ShellCommandSpec; readonly args: string[] }
  | { readonly kind: 'error'; readonly message: string };

/** Splits a line like a POSIX shell and finds its command; says what is wrong in one line otherwise. */
export function parseShellLine(line: string, specs: readonly ShellCommandSpec[]): ParsedLine {
  let words: string[];
  try {
    words = split(line);
  } catch (error) {
    return { kind: 'error', message: `cannot split the line into words: ${(error as Error).message}` };
  }
  const [name, ...args] = words;
  if (name === undefined || name.startsWith('#')) return { kind: 'empty' };
  const spec = findShellCommand(name, specs);
  if (!spec) {
    const suggestion = closestName(
      name,
      specs.flatMap((candidate) => [candidate.name, ...(candidate.aliases ?? [])]),
    );
    return {
      kind: 'error',
      message: `unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; "help" lists the commands`,
    };
  }
  if (args.filter((arg) => !arg.startsWith('-')).length < spec.minArgs)
    return { kind: 'error', message: `usage: ${spec.usage}` };
  return { kind: 'command', spec, args };
}

/** The command called `name` (or one of its aliases). */
export function findShellCommand(name: string, specs: readonly ShellCommandSpec[]): ShellCommandSpec | undefined {
  return specs.find((spec) => spec.name === name || spec.aliases?.includes(name));
}

/** `help`'s text: every command's usage and summary. */
export function formatShellHelp(specs: readonly ShellCommandSpec[]): string {
  const usages = specs.map((spec) => [spec.usage, ...(spec.aliases ?? [])].join(' | '));
  const width = Math.max(...usages.map((usage) => usage.length));
  return (
    specs.map((spec, index) => `  ${usages[index]!.padEnd(width)}  ${spec.summary}\n`).join('') +
    '\nCtrl-C cancels the line or the running command, Ctrl-D (or exit) leaves; "COMMAND --help" shows its flags.\n'
  );
}
