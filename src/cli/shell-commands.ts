import { Command, InvalidArgumentError } from 'commander';
import { containerLogsArgs, containerStatsArgs, useContextArgs } from '../docker/container-output.js';
import { listContainers } from '../docker/containers.js';
import { runDocker } from '../docker/exec.js';
import { UserError } from '../errors.js';
import { findContainer } from '../lifecycle/container-verbs.js';
import { closestName } from '../project/closest-name.js';
import { loadProject } from '../project/project.js';
import { compareContainerNames, formatContainerTable } from '../monitor/container-table.js';
import { formatShellHelp, type ShellCommandSpec } from '../shell/shell-line.js';
import { createCommandContext } from './common-options.js';

/** A shell command: its spec, and the commander command that runs it (the separate command's own, where there is one). */
export interface ShellCommandEntry extends ShellCommandSpec {
  readonly load: () => Promise<Command>;
  /** Arguments added after the user's: `create` is `run-image --create-only`. */
  readonly extraArgs?: readonly string[];
}

/** What the shell's own commands need from the shell around them. */
export interface ShellHooks {
  /** `dock use` changed the active engine. */
  readonly onDockChange: () => void;
}

const lifecycleVerb = (
  verb: 'start' | 'stop' | 'restart' | 'rm' | 'pause' | 'unpause',
  summary: string,
): ShellCommandEntry => ({
  name: verb,
  usage: `${verb} [CONTAINER...] [${verb}-containers flags]`,
  summary: `${summary} (default: the project's)`,
  minArgs: 0,
  completes: 'container',
  changesContainers: true,
  load: async () => (await import('./container-verb-command.js')).createContainerVerbCommand(verb),
});

/** Every command of `dockerutils shell`, in `help` order. */
export function shellCommandEntries(hooks: ShellHooks): ShellCommandEntry[] {
  return [
    {
      name: 'images',
      usage: 'images [--json]',
      summary: "the project's images (ls-images)",
      minArgs: 0,
      completes: 'none',
      load: async () => (await import('./ls-images.js')).createCommand(),
    },
    {
      name: 'ps',
      aliases: ['ls'],
      usage: 'ps',
      summary: "the project's containers, any state",
      minArgs: 0,
      completes: 'none',
      load: async () => createPsCommand(),
    },
    {
      name: 'build',
      usage: 'build IMAGE [build-image flags]',
      summary: 'build an image (build-image)',
      minArgs: 1,
      completes: 'image',
      load: async () => (await import('./build-image.js')).createCommand(),
    },
    {
      name: 'run',
      usage: 'run IMAGE [run-image flags]',
      summary: 'run a container (run-image)',
      minArgs: 1,
      completes: 'image',
      changesContainers: true,
      load: async () => (await import('./run-image.js')).createCommand(),
    },
    {
      name: 'create',
      usage: 'create IMAGE [run-image flags]',
      summary: 'create a container without starting it',
      minArgs: 1,
      completes: 'image',
      changesContainers: true,
      extraArgs: ['--create-only'],
      load: async () => (await import('./run-image.js')).createCommand(),
    },
    lifecycleVerb('start', 'start containers'),
    lifecycleVerb('stop', 'stop containers'),
    lifecycleVerb('restart', 'restart containers'),
    lifecycleVerb('rm', 'remove containers'),
    lifecycleVerb('pause', 'pause containers'),
    lifecycleVerb('unpause', 'unpause containers'),
    {
      name: 'logs',
      usage: 'logs CONTAINER [-f] [-n LINES]',
      summary: 'recent output of a container; -f follows until Ctrl-C',
      minArgs: 1,
      completes: 'container',
      load: async () => createLogsCommand(),
    },
    {
      name: 'stats',
      usage: 'stats',
      summary: "CPU, memory and I/O of the project's running containers",
      minArgs: 0,
      completes: 'none',
      load: async () => createStatsCommand(),
    },
    {
      name: 'dock',
      usage: 'dock use NAME',
      summary: 'make a dock (docker context) the active engine',
      minArgs: 2,
      completes: 'dock',
      load: async () => createDockCommand(hooks),
    },
    {
      name: 'help',
      usage: 'help [COMMAND]',
      summary: "this list, or one command's flags",
      minArgs: 0,
      completes: 'command',
      load: async () => createHelpCommand(hooks),
    },
    {
      name: 'exit',
      aliases: ['quit'],
      usage: 'exit',
      summary: 'leave the shell (Ctrl-D too)',
      minArgs: 0,
      completes: 'none',
      load: async () => new Command('exit'),
    },
  ];
}

function createPsCommand(): Command {
  return new Command('ps').description("list the project's containers").action(async () => {
    const context = createCommandContext({});
    const project = loadProject(context.cwd, context.env);
    const containers = await listContainers(context, { project: project.name, includeStopped: true });
    process.stdout.write(formatContainerTable(containers.sort(compareContainerNames)));
  });
}

const lineCount = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a number of lines');
  return Number(value);
};

// docker logs -f ends with the SIGINT of the user's Ctrl-C: that is how following stops, not a failure.
const interruptedExitCode = 130;

function createLogsCommand(): Command {
  return new Command('logs')
    .description('show the recent output of a container; -f follows it until Ctrl-C')
    .argument('<container>', 'a container name or id prefix')
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .option('-n, --tail <lines>', 'how many recent lines', lineCount, 50)
    .action(async (target: string, options: { follow?: boolean; tail: number }) => {
      const context = createCommandContext({});
      const containers = await listContainers(context, { includeStopped: true }, { quiet: true });
      const found = findContainer(target, containers);
      if ('problem' in found) {
        const suggestion = closestName(
          target,
          containers.map((container) => container.name),
        );
        throw new UserError(`${found.problem}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, { exitCode: 1 });
      }
      await runDocker(
        context,
        containerLogsArgs(found.container.name, { follow: options.follow, tail: options.tail }),
        {
          stdio: 'inherit',
          acceptExitCode: (exitCode) => Boolean(options.follow) && exitCode === interruptedExitCode,
        },
      );
    });
}

function createStatsCommand(): Command {
  return new Command('stats')
    .description("one snapshot of the project's running containers' resources")
    .action(async () => {
      const context = createCommandContext({});
      const project = loadProject(context.cwd, context.env);
      const running = await listContainers(context, { project: project.name, includeStopped: false }, { quiet: true });
      if (running.length === 0) {
        process.stderr.write(`no running containers of project ${project.name}\n`);
        return;
      }
      await runDocker(context, containerStatsArgs(running.map((container) => container.name).sort()), {
        stdio: 'inherit',
      });
    });
}

function createDockCommand(hooks: ShellHooks): Command {
  return new Command('dock')
    .description('make a dock (docker context) the active engine for this shell and every later command')
    .argument('<verb>', 'use')
    .argument('<name>', 'the dock (docker context) name')
    .action(async (verb: string, name: string) => {
      if (verb !== 'use') throw new UserError(`unknown dock verb "${verb}": the shell knows "dock use NAME"`);
      await runDocker(createCommandContext({}), useContextArgs(name), { stdio: 'inherit' });
      hooks.onDockChange();
    });
}

function createHelpCommand(hooks: ShellHooks): Command {
  return new Command('help').argument('[command]', 'a command whose flags to show').action(async (name?: string) => {
    const entries = shellCommandEntries(hooks);
    const entry = entries.find((candidate) => candidate.name === name || candidate.aliases?.includes(name ?? ''));
    if (name !== undefined && !entry) throw new UserError(`no command "${name}"; "help" lists them`);
    if (!entry) {
      process.stdout.write(formatShellHelp(entries));
      return;
    }
    const command = await entry.load();
    process.stdout.write(`usage: ${entry.usage}\n\n${command.name(entry.name).helpInformation()}`);
  });
}
