import type { ToolkitCommand } from './command-entry.js';

const lifecycle = (
  verb: 'start' | 'stop' | 'restart' | 'rm' | 'pause' | 'unpause',
  summary: string,
  load: ToolkitCommand['load'],
): ToolkitCommand => ({
  name: `${verb}-containers`,
  summary,
  bin: true,
  subcommand: true,
  load,
  shell: [
    {
      name: verb,
      usage: `${verb} [CONTAINER...] [${verb}-containers flags]`,
      summary: `${summary} (default: the project's)`,
      minArgs: 0,
      completes: 'container',
      changesContainers: true,
    },
  ],
});

/**
 * Every command, in help order: the bins, the `dockerutils` sub-commands and the shell's commands
 * all follow from this list (a unit test holds package.json's `bin` to it). Loaded only when
 * called, so `dockerutils run-image` starts as fast as `run-image`.
 */
export const toolkitCommands: readonly ToolkitCommand[] = [
  {
    name: 'build-image',
    summary: 'build a project image (or all, or clean)',
    bin: true,
    subcommand: true,
    load: () => import('./build-image.js'),
    shell: [
      {
        name: 'build',
        usage: 'build IMAGE [build-image flags]',
        summary: 'build an image (build-image)',
        minArgs: 1,
        completes: 'image',
      },
    ],
  },
  {
    name: 'run-image',
    summary: 'run a container of a project image',
    bin: true,
    subcommand: true,
    load: () => import('./run-image.js'),
    shell: [
      {
        name: 'run',
        usage: 'run IMAGE [run-image flags]',
        summary: 'run a container (run-image)',
        minArgs: 1,
        completes: 'image',
        changesContainers: true,
      },
      {
        name: 'create',
        usage: 'create IMAGE [run-image flags]',
        summary: 'create a container without starting it',
        minArgs: 1,
        completes: 'image',
        changesContainers: true,
        extraArgs: ['--create-only'],
      },
    ],
  },
  {
    name: 'rm-images',
    summary: "remove some of the project's images (refuses images containers use, unless --force)",
    bin: true,
    subcommand: true,
    load: () => import('./rm-images.js'),
  },
  {
    name: 'run-notebook',
    summary: "run the project's notebook image and print the URL to open",
    bin: true,
    subcommand: true,
    load: () => import('./run-notebook.js'),
  },
  lifecycle('start', 'start created or stopped containers', () => import('./start-containers.js')),
  lifecycle('stop', 'stop running containers', () => import('./stop-containers.js')),
  lifecycle('restart', 'restart running containers', () => import('./restart-containers.js')),
  lifecycle('rm', 'remove containers (running ones with --force)', () => import('./rm-containers.js')),
  lifecycle('pause', 'pause running containers', () => import('./pause-containers.js')),
  lifecycle('unpause', 'unpause paused containers', () => import('./unpause-containers.js')),
  {
    name: 'ls-images',
    summary: "the project's images, built or not, and their containers",
    bin: true,
    subcommand: true,
    load: () => import('./ls-images.js'),
    shell: [
      {
        name: 'images',
        usage: 'images [--all] [ls-images flags]',
        summary: "the project's images (ls-images); --all: every image of the engine",
        minArgs: 0,
        completes: 'none',
      },
    ],
  },
  {
    name: 'ls-containers',
    summary: "list the project's containers (or all)",
    bin: true,
    subcommand: true,
    load: () => import('./ls-containers.js'),
    shell: [
      {
        name: 'ps',
        aliases: ['ls'],
        usage: 'ps [--all] [ls-containers flags]',
        summary: "the project's containers, any state (ls-containers -a); --all: every container of the engine",
        minArgs: 0,
        completes: 'none',
        extraArgs: ['-a'],
      },
    ],
  },
  {
    name: 'up-containers',
    summary: "bring the project's stack up to date: dependencies first, out-of-date containers recreated",
    bin: true,
    subcommand: true,
    load: () => import('./up-containers.js'),
    shell: [
      {
        name: 'up',
        usage: 'up [IMAGE...] [up-containers flags]',
        summary: 'bring the stack (or IMAGE and its dependencies) up to date (up-containers)',
        minArgs: 0,
        completes: 'image',
        changesContainers: true,
      },
      {
        name: 'diff',
        usage: 'diff [IMAGE...]',
        summary: 'what up would do to each container, and why (up-containers --diff)',
        minArgs: 0,
        completes: 'image',
        extraArgs: ['--diff'],
      },
    ],
  },
  {
    name: 'down-containers',
    summary: "stop and remove the project's stack, dependents first",
    bin: true,
    subcommand: true,
    load: () => import('./down-containers.js'),
    shell: [
      {
        name: 'down',
        usage: 'down [IMAGE...] [down-containers flags]',
        summary: 'stop and remove the stack (down-containers)',
        minArgs: 0,
        completes: 'image',
        changesContainers: true,
      },
    ],
  },
  {
    name: 'attach-container',
    summary: 'attach the terminal to a running container (docker attach); the detach keys leave it running',
    bin: true,
    subcommand: true,
    load: () => import('./attach-container.js'),
    shell: [
      {
        name: 'attach',
        usage: 'attach CONTAINER [--detach-keys KEYS]',
        summary: 'attach to a running container; the detach keys (printed first) come back here',
        minArgs: 1,
        completes: 'container',
      },
    ],
  },
  {
    name: 'logs-all',
    summary: 'capture the logs of every container to files, losing nothing',
    bin: true,
    subcommand: true,
    load: () => import('./logs-all.js'),
  },
  {
    name: 'stats-all',
    summary: 'record the resource usage of every container',
    bin: true,
    subcommand: true,
    load: () => import('./stats-all.js'),
  },
  {
    name: 'container-logs',
    summary: "a container's recent output",
    bin: false,
    subcommand: false,
    load: () => import('./container-logs.js'),
    shell: [
      {
        name: 'logs',
        usage: 'logs CONTAINER [-f] [-n LINES] [--dock NAME]',
        summary: 'recent output of a container; -f follows until Ctrl-C',
        minArgs: 1,
        completes: 'container',
      },
    ],
  },
  {
    name: 'stats-snapshot',
    summary: "one snapshot of the project's running containers",
    bin: false,
    subcommand: false,
    load: () => import('./stats-snapshot.js'),
    shell: [
      {
        name: 'stats',
        usage: 'stats [--dock NAME...]',
        summary: "CPU, memory and I/O of the project's running containers",
        minArgs: 0,
        completes: 'none',
      },
    ],
  },
  {
    name: 'dock',
    summary: 'add, list, check, use and remove docks (remote Docker hosts over SSH)',
    bin: true,
    subcommand: true,
    load: () => import('./dock.js'),
    shell: [
      {
        name: 'dock',
        usage: 'dock use NAME | dock ls | dock add NAME ADDRESS | dock rm NAME | dock env NAME',
        summary: 'the docks; `dock use NAME` makes one the active engine',
        minArgs: 1,
        completes: 'dock',
        changesEngine: true,
      },
    ],
  },
  {
    name: 'ls-dock',
    summary: 'list the docks (same as dock ls)',
    bin: true,
    subcommand: true,
    load: () => import('./ls-dock.js'),
  },
  {
    name: 'transfer-image',
    summary: 'stream an image to a dock and check its id there',
    bin: true,
    subcommand: true,
    load: () => import('./transfer-image.js'),
  },
  {
    name: 'publish-image',
    summary: 'tag a project image with its publication_tag and push it',
    bin: true,
    subcommand: true,
    load: () => import('./publish-image.js'),
  },
  {
    name: 'deploy-image',
    summary: 'run a project image as a swarm service across the docks, updated in place when it changes',
    bin: true,
    subcommand: true,
    load: () => import('./deploy-image.js'),
  },
  {
    name: 'undeploy-image',
    summary: "remove a project image's swarm service",
    bin: true,
    subcommand: true,
    load: () => import('./undeploy-image.js'),
  },
  {
    name: 'ssh-dock',
    summary: 'open an ssh session on a dock',
    bin: true,
    subcommand: true,
    load: () => import('./ssh-dock.js'),
  },
  {
    name: 'config',
    summary: "each image's settings as the commands use them, and the docker commands they would run",
    bin: false,
    subcommand: true,
    load: () => import('./config.js'),
    shell: [
      {
        name: 'config',
        usage: 'config [IMAGE] [--json]',
        summary: "an image's settings and its docker commands (dockerutils config)",
        minArgs: 0,
        completes: 'image',
      },
    ],
  },
  {
    name: 'start-dock',
    summary: "start a dock's machine and wait until its engine answers",
    bin: true,
    subcommand: true,
    load: () => import('./start-dock.js'),
  },
  {
    name: 'stop-dock',
    summary: "stop a dock's machine",
    bin: true,
    subcommand: true,
    load: () => import('./stop-dock.js'),
  },
  {
    name: 'shell',
    summary: 'an interactive prompt for the project (also reads commands from a pipe)',
    bin: false,
    subcommand: true,
    // The shell runs the other commands of this list: it is handed the list rather than importing it.
    load: async () => {
      const { createShellCommand } = await import('./shell.js');
      return { createCommand: () => createShellCommand(toolkitCommands) };
    },
  },
  {
    name: 'completion',
    summary: 'print the completion script for bash, zsh or fish (every command, image, container and dock names)',
    bin: false,
    subcommand: true,
    // The script covers the other commands of this list: it is handed the list, as the shell is.
    load: async () => {
      const { createCompletionCommand } = await import('./completion.js');
      return { createCommand: () => createCompletionCommand(toolkitCommands) };
    },
  },
  {
    name: 'ensure-engine',
    summary: 'make sure a Docker engine answers (Debian, as root: installs and starts it)',
    bin: false,
    subcommand: true,
    load: () => import('./ensure-engine.js'),
  },
];

/** The commands that are `dockerutils` sub-commands. */
export function subcommands(): ToolkitCommand[] {
  return toolkitCommands.filter((command) => command.subcommand);
}
