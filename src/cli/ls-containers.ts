import { Command } from 'commander';
import { isSeveralDocks } from '../commands/each-dock.js';
import { listScopeContainers, listScopeContainersOnDocks } from '../commands/ls-containers.js';
import {
  addDocksOption,
  addScopeOptions,
  addServiceOption,
  createSession,
  reportDockFailures,
  type ScopeOptions,
} from './options.js';
import { formatContainerTable } from './output/tables.js';

interface LsContainersOptions extends ScopeOptions {
  dock: string[];
  includeStopped?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** ls-containers */
export function createCommand(): Command {
  const command = new Command('ls-containers')
    .description("list this project's containers (by the dockerutils.project label), or every container with --all")
    .option('-a, --include-stopped', 'include stopped containers (docker ps -a)')
    .option('--json', 'print a JSON array with stable field names')
    .option('-q, --quiet', 'print only short container ids')
    .addHelpText(
      'after',
      '\nExamples:\n  ls-containers\n  ls-containers -a --image dev\n  ls-containers --service myproject_web   # its tasks on every node, with the dock each runs on\n  ls-containers --all --json | jq -r ".[].name"',
    )
    .action(async (options: LsContainersOptions) => {
      const session = createSession({ dock: options.dock.at(-1) });
      const { containers, failures } = isSeveralDocks(options.dock)
        ? await listScopeContainersOnDocks(session, options.dock, options)
        : { containers: await listScopeContainers(session, options), failures: [] };
      if (options.json) process.stdout.write(`${JSON.stringify(containers, null, 2)}\n`);
      else if (options.quiet) process.stdout.write(containers.map((container) => `${container.shortId}\n`).join(''));
      else process.stdout.write(formatContainerTable(containers));
      reportDockFailures(failures);
    });
  addScopeOptions(command);
  addServiceOption(command);
  addDocksOption(command);
  return command;
}
