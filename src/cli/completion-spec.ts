import type { Argument, Command, Option } from 'commander';
import { completionMark, type CompletionToken } from './completion-marks.js';

/** What a shell needs to complete one command (`build-image`) or sub-command (`dock add`). */
export interface CommandCompletion {
  /** The command's words: `build-image`, `dock add`. */
  readonly path: string;
  /** Every flag it takes, short and long. */
  readonly flags: readonly string[];
  /** The flags that take a value, each with what completes the value (nothing: any text). */
  readonly valueFlags: readonly { readonly flag: string; readonly tokens: readonly CompletionToken[] }[];
  /** What completes each positional argument, in order. */
  readonly positionals: readonly (readonly CompletionToken[])[];
  /** The last positional takes any number of words. */
  readonly variadic: boolean;
  readonly subcommands: readonly string[];
}

// Names whose meaning is the same in every command.
const tokensByArgumentName: Readonly<Record<string, readonly CompletionToken[]>> = {
  image: ['@images'],
  images: ['@images'],
  container: ['@containers'],
  containers: ['@containers'],
  dock: ['@docks'],
};
const tokensByFlag: Readonly<Record<string, readonly CompletionToken[]>> = {
  '--dock': ['@docks'],
  '--image': ['@images'],
};

/**
 * The completion of a command and its sub-commands, read from commander's own definitions: flags,
 * the values some of them take, the positional arguments. `-V, --version` is added where runCli adds it.
 */
export function commandCompletions(path: string, command: Command, topLevel = true): CommandCompletion[] {
  const options = command.options.filter((option) => !option.hidden);
  const flags = [
    ...options.flatMap((option) => [option.short, option.long].filter((flag) => flag !== undefined)),
    '-h',
    '--help',
    ...(topLevel ? ['-V', '--version'] : []),
  ];
  const valueFlags = options
    .filter((option) => option.required || option.optional)
    .flatMap((option) => {
      const tokens = optionTokens(option);
      return [option.short, option.long].filter((flag) => flag !== undefined).map((flag) => ({ flag, tokens }));
    });
  const argumentsOf = command.registeredArguments;
  const own: CommandCompletion = {
    path,
    flags,
    valueFlags,
    positionals: argumentsOf.map(argumentTokens),
    variadic: argumentsOf.at(-1)?.variadic ?? false,
    subcommands: command.commands.map((sub) => sub.name()),
  };
  return [own, ...command.commands.flatMap((sub) => commandCompletions(`${path} ${sub.name()}`, sub, false))];
}

function argumentTokens(argument: Argument): readonly CompletionToken[] {
  return completionMark(argument) ?? argument.argChoices ?? tokensByArgumentName[argument.name()] ?? [];
}

function optionTokens(option: Option): readonly CompletionToken[] {
  return completionMark(option) ?? option.argChoices ?? tokensByFlag[option.long ?? ''] ?? [];
}
