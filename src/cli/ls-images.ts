import { Command } from 'commander';
import { isSeveralDocks } from '../commands/each-dock.js';
import { listProjectImages, listProjectImagesOnDocks } from '../commands/ls-images.js';
import { addDocksOption, createSession, reportDockFailures } from './options.js';
import { formatImageTable } from './output/tables.js';

interface LsImagesOptions {
  dock: string[];
  json?: boolean;
}

/** ls-images */
export function createCommand(): Command {
  const command = new Command('ls-images')
    .description("list the project's images, built or not, with size, creation time and the containers using them")
    .option('--json', 'print a JSON array instead of the table')
    .addHelpText(
      'after',
      "\nExamples:\n  ls-images\n  ls-images --json | jq -r '.[] | select(.built | not) | .image'   # images to build",
    )
    .action(async (options: LsImagesOptions) => {
      const session = createSession({ dock: options.dock.at(-1) });
      const { rows, failures } = isSeveralDocks(options.dock)
        ? await listProjectImagesOnDocks(session, options.dock)
        : { rows: await listProjectImages(session), failures: [] };
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatImageTable(rows));
      reportDockFailures(failures);
    });
  addDocksOption(command);
  return command;
}
