import { Command } from 'commander';
import { UserError } from '../errors.js';
import { closestName } from '../project/closest-name.js';
import { subcommands } from './commands.js';
import { runCli } from './run-command.js';

/** The umbrella: `dockerutils <command> ...` runs the command's bin; `--help` lists them all. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const commands = subcommands();
  const name = argv[2];
  const found = commands.find((command) => command.name === name);
  if (found) {
    const command = (await found.load()).createCommand();
    command.name(`dockerutils ${found.name}`);
    await runCli(command, [argv[0]!, argv[1]!, ...argv.slice(3)]);
    return;
  }
  const umbrella = new Command('dockerutils')
    .description(
      "Build, run and watch a project's Docker images by the conventions of docker/dockerutils.cfg.\nEach command is also its own bin (build-image dev = dockerutils build-image dev).",
    )
    .argument('[command]', 'the command to run')
    .allowExcessArguments()
    .action((command?: string) => {
      if (command === undefined) return umbrella.help();
      const names = commands.map((entry) => entry.name);
      const suggestion = closestName(command, names);
      throw new UserError(
        `unknown command "${command}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; commands: ${names.join(', ')}`,
      );
    });
  umbrella.addHelpText(
    'after',
    `\nCommands:\n${commands.map((command) => `  ${command.name.padEnd(20)}${command.summary}`).join('\n')}\n\nRun "dockerutils <command> --help" for a command's options.`,
  );
  await runCli(umbrella, argv);
}
