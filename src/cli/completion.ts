import { Argument, Command, Option } from 'commander';
import { completionNameKinds, completionNames, type CompletionNameKind } from '../commands/completion.js';
import type { ToolkitCommand } from './command-entry.js';
import { commandCompletions, type CommandCompletion } from './completion-spec.js';
import { createSession } from './options.js';
import { completionScript, completionShells, type CompletionShell } from './output/completion-scripts.js';

/** dockerutils completion bash|zsh|fish, over the given commands. */
export function createCompletionCommand(commands: readonly ToolkitCommand[]): Command {
  return new Command('completion')
    .description(
      'print the shell completion script for every command: bins, options, image names from the cfg, container and dock names',
    )
    .addArgument(new Argument('[shell]', 'the shell the script is for').choices(completionShells))
    .addOption(
      new Option('--list <kind>', 'print the names of one kind, one a line (what the scripts call)')
        .choices(completionNameKinds)
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  source <(dockerutils completion bash)          # in ~/.bashrc\n  source <(dockerutils completion zsh)           # in ~/.zshrc, after compinit\n  dockerutils completion fish > ~/.config/fish/completions/dockerutils.fish',
    )
    .action(async (shell: CompletionShell | undefined, options: { list?: CompletionNameKind }, command: Command) => {
      if (options.list !== undefined) {
        const names = await completionNames(createSession(), options.list);
        process.stdout.write(names.map((name) => `${name}\n`).join(''));
        return;
      }
      if (shell === undefined) command.error('error: name the shell: dockerutils completion bash|zsh|fish');
      const bins = commands.filter((entry) => entry.bin).map((entry) => entry.name);
      process.stdout.write(completionScript(shell, await allCompletions(commands), ['dockerutils', ...bins]));
    });
}

// Every bin and sub-command, loaded to read its definition; the umbrella lists the sub-commands.
async function allCompletions(commands: readonly ToolkitCommand[]): Promise<CommandCompletion[]> {
  const reachable = commands.filter((entry) => entry.bin || entry.subcommand);
  const loaded = await Promise.all(
    reachable.map(async (entry) => commandCompletions(entry.name, (await entry.load()).createCommand())),
  );
  const umbrella: CommandCompletion = {
    path: 'dockerutils',
    flags: ['-h', '--help', '-V', '--version'],
    valueFlags: [],
    positionals: [],
    variadic: false,
    subcommands: reachable.filter((entry) => entry.subcommand).map((entry) => entry.name),
  };
  return [umbrella, ...loaded.flat()];
}
