import { Command } from 'commander';
import { isSeveralDocks } from '../commands/each-dock.js';
import { listAllImages, listProjectImages, listProjectImagesOnDocks } from '../commands/ls-images.js';
import { UserError } from '../errors.js';
import { addDocksOption, createSession, reportDockFailures } from './options.js';
import { formatEngineImageTable, formatImageTable } from './output/tables.js';

interface LsImagesOptions {
  dock: string[];
  json?: boolean;
  all?: boolean;
}

/** ls-images */
export function createCommand(): Command {
  const command = new Command('ls-images')
    .description("list the project's images, built or not, with size, creation time and the containers using them")
    .option('--json', 'print a JSON array instead of the table')
    .option(
      '--all',
      "every image of the engine, a row per name, the project's named in IMAGE (works outside a project)",
    )
    .addHelpText(
      'after',
      "\nExamples:\n  ls-images\n  ls-images --json | jq -r '.[] | select(.built | not) | .image'   # images to build\n  ls-images --all",
    )
    .action(async (options: LsImagesOptions) => {
      const session = createSession({ dock: options.dock.at(-1) });
      if (options.all) {
        if (isSeveralDocks(options.dock)) throw new UserError('ls-images --all lists one engine: give one --dock');
        const rows = await listAllImages(session);
        process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatEngineImageTable(rows));
        return;
      }
      const { rows, failures } = isSeveralDocks(options.dock)
        ? await listProjectImagesOnDocks(session, options.dock)
        : { rows: await listProjectImages(session), failures: [] };
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatImageTable(rows));
      reportDockFailures(failures);
    });
  addDocksOption(command);
  return command;
}
