import { Command } from 'commander';
import { listAllImages, listProjectImages } from '../commands/ls-images.js';
import { addDockOption, createSession, type EngineOptions } from './options.js';
import { formatEngineImageTable, formatImageTable } from './output/tables.js';

interface LsImagesOptions extends EngineOptions {
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
      const session = createSession(options);
      if (options.all) {
        const rows = await listAllImages(session);
        process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatEngineImageTable(rows));
        return;
      }
      const rows = await listProjectImages(session);
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatImageTable(rows));
    });
  addDockOption(command);
  return command;
}
