import { Command } from 'commander';
import { UserError } from '../errors.js';
import { closestName } from '../project/closest-name.js';
import { runCli } from './run-command.js';

/** A command of the toolkit: each is also its own bin. */
interface ToolkitCommand {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<{ createCommand(): Command }>;
}

// Loaded only when called, so `dockerutils run-image` starts as fast as `run-image`.
const toolkitCommands: readonly ToolkitCommand[] = [
  { name: 'build-image', summary: 'build a project image (or all, or clean)', load: () => import('./build-image.js') },
  { name: 'run-image', summary: 'run a container of a project image', load: () => import('./run-image.js') },
  {
    name: 'start-containers',
    summary: 'start created or stopped containers',
    load: () => import('./start-containers.js'),
  },
  { name: 'stop-containers', summary: 'stop running containers', load: () => import('./stop-containers.js') },
  { name: 'restart-containers', summary: 'restart running containers', load: () => import('./restart-containers.js') },
  {
    name: 'rm-containers',
    summary: 'remove containers (running ones with --force)',
    load: () => import('./rm-containers.js'),
  },
  { name: 'pause-containers', summary: 'pause running containers', load: () => import('./pause-containers.js') },
  { name: 'unpause-containers', summary: 'unpause paused containers', load: () => import('./unpause-containers.js') },
  {
    name: 'ls-images',
    summary: "the project's images, built or not, and their containers",
    load: () => import('./ls-images.js'),
  },
  {
    name: 'shell',
    summary: 'an interactive prompt for the project (also reads commands from a pipe)',
    load: () => import('./shell.js'),
  },
  {
    name: 'dock',
    summary: 'add, list, check, use and remove docks (remote Docker hosts over SSH)',
    load: () => import('./dock.js'),
  },
  { name: 'ls-dock', summary: 'list the docks (same as dock ls)', load: () => import('./ls-dock.js') },
  {
    name: 'transfer-image',
    summary: 'stream an image to a dock and check its id there',
    load: () => import('./transfer-image.js'),
  },
  {
    name: 'publish-image',
    summary: 'tag a project image with its publication_tag and push it',
    load: () => import('./publish-image.js'),
  },
  { name: 'ssh-dock', summary: 'open an ssh session on a dock', load: () => import('./ssh-dock.js') },
  {
    name: 'ls-containers',
    summary: "list the project's containers (or all)",
    load: () => import('./ls-containers.js'),
  },
  {
    name: 'logs-all',
    summary: 'capture the logs of every container to files, losing nothing',
    load: () => import('./logs-all.js'),
  },
  { name: 'stats-all', summary: 'record the resource usage of every container', load: () => import('./stats-all.js') },
];

/** The umbrella: `dockerutils <command> ...` runs the command's bin; `--help` lists them all. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const name = argv[2];
  const found = toolkitCommands.find((command) => command.name === name);
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
      const names = toolkitCommands.map((entry) => entry.name);
      const suggestion = closestName(command, names);
      throw new UserError(
        `unknown command "${command}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; commands: ${names.join(', ')}`,
      );
    });
  umbrella.addHelpText(
    'after',
    `\nCommands:\n${toolkitCommands.map((command) => `  ${command.name.padEnd(20)}${command.summary}`).join('\n')}\n\nRun "dockerutils <command> --help" for a command's options.`,
  );
  await runCli(umbrella, argv);
}
