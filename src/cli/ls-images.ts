import { Command } from 'commander';
import { listProjectImages } from '../commands/ls-images.js';
import { addDockOption, createSession, type EngineOptions } from './options.js';
import { formatImageTable } from './output/tables.js';

interface LsImagesOptions extends EngineOptions {
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
      const rows = await listProjectImages(createSession(options));
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : formatImageTable(rows));
    });
  addDockOption(command);
  return command;
}
