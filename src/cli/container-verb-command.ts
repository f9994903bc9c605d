import { Command } from 'commander';
import { changeContainers, changeContainersOnDocks } from '../commands/change-containers.js';
import { isSeveralDocks } from '../commands/each-dock.js';
import { ExitCode } from '../errors.js';
import { containerVerbs, type ContainerVerb } from '../lifecycle/container-verbs.js';
import {
  addDocksOption,
  addDryRunOption,
  addScopeOptions,
  createSession,
  reportDockFailures,
  wholeNumber,
} from './options.js';
import { paint } from './output/terminal.js';

interface ContainerVerbCommandOptions {
  dock: string[];
  dryRun?: boolean;
  image?: string;
  all?: boolean;
  force?: boolean;
  time?: number;
}

/**
 * One lifecycle command (start-containers, stop-containers, ...): the six share this wiring and
 * differ only by their verb's spec. Changed containers are printed on stdout, one a line.
 */
export function createContainerVerbCommand(verb: ContainerVerb): Command {
  const spec = containerVerbs[verb];
  const command = new Command(spec.commandName)
    .description(`${spec.summary}: the named ones, or this project's (docker ${verb}, one command for all)`)
    .argument('[containers...]', "container names or id prefixes (default: this project's containers)");
  addScopeOptions(command);
  if (verb === 'rm') command.option('-f, --force', 'remove running containers too (docker rm -f)');
  if (verb === 'stop' || verb === 'restart') {
    command.option('-t, --time <seconds>', 'seconds to wait for a container to stop before killing it', wholeNumber);
  }
  command
    .addHelpText(
      'after',
      `\nExamples:\n  ${spec.commandName}                 # this project's containers\n  ${spec.commandName} web db\n  ${spec.commandName} --image hello --dry-run`,
    )
    .action(async (targets: string[], options: ContainerVerbCommandOptions) => {
      const session = createSession({ dock: options.dock.at(-1), dryRun: options.dryRun });
      const request = {
        verb,
        targets,
        image: options.image,
        all: options.all,
        force: options.force,
        timeoutSeconds: options.time,
      };
      const several = isSeveralDocks(options.dock);
      const { results, failures } = several
        ? await changeContainersOnDocks(session, options.dock, request)
        : { results: [{ dock: '', result: await changeContainers(session, request) }], failures: [] };
      let failed = false;
      for (const { dock, result } of results) {
        const where = several ? `${dock}/` : '';
        if (!session.dryRun) for (const name of result.done) process.stdout.write(`${where}${name}\n`);
        for (const failure of result.failures)
          process.stderr.write(`${paint.red('error:')} ${where}${failure.reason}\n`);
        failed ||= result.failures.length > 0;
        if (result.done.length === 0 && result.failures.length === 0) {
          const whose =
            result.scope?.project === undefined
              ? 'on this engine'
              : `of project ${result.scope.project}${result.scope.image ? ` (image ${result.scope.image})` : ''}`;
          process.stderr.write(paint.dim(`${several ? `dock ${dock}: ` : ''}no containers ${whose} to ${verb}\n`));
        }
      }
      reportDockFailures(failures);
      if (failed) throw new ExitCode(1);
    });
  addDocksOption(command);
  addDryRunOption(command);
  return command;
}
