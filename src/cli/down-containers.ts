import { Command } from 'commander';
import { downContainers } from '../commands/down-containers.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';

interface DownContainersOptions extends EngineOptions {
  volumes?: boolean;
}

/** down-containers [IMAGE...] */
export function createCommand(): Command {
  const command = new Command('down-containers')
    .description(
      "stop and remove the project's stack (or the named images' containers), dependents first; the network when unused; volumes with --volumes",
    )
    .argument('[images...]', 'images whose containers to remove (default: the whole stack)')
    .option('--volumes', "also remove the project's named volumes (kept otherwise)")
    .addHelpText('after', '\nExamples:\n  down-containers\n  down-containers web\n  down-containers --volumes')
    .action(async (images: string[], options: DownContainersOptions) => {
      const session = createSession(options);
      const takedowns = await downContainers(session, { images, volumes: options.volumes });
      for (const takedown of takedowns) {
        const where = takedown.named ? ` @${takedown.engine}` : '';
        process.stdout.write(takedown.removed.map((name) => `${name}${where}\n`).join(''));
        for (const { name, reason } of takedown.volumesKept)
          process.stderr.write(paint.yellow(`volume ${name}${where} kept: ${reason}\n`));
      }
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
