import { Argument, Command } from 'commander';
import { completesWith } from './completion-marks.js';
import { removeProjectImages } from '../commands/rm-images.js';
import { ExitCode } from '../errors.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';

interface RemoveImagesOptions extends EngineOptions {
  force?: boolean;
}

/** rm-images IMAGE... */
export function createCommand(): Command {
  const command = new Command('rm-images')
    .description(
      "remove some of the project's images and their builder images (build-image clean removes them all); prints the removed references on stdout",
    )
    .addArgument(
      completesWith(new Argument('<images...>', 'sub-folders of docker/ holding a Dockerfile'), ['@buildable']),
    )
    .option(
      '-f, --force',
      'remove an image even when containers use it (docker image rm -f): a running one keeps it untagged, a stopped one keeps its layers and still starts',
    )
    .addHelpText(
      'after',
      '\nAn image that a container of any state uses is refused, naming the containers, unless --force.\n\nExamples:\n  rm-images dev\n  rm-images dev test --dry-run\n  rm-images dev --force',
    )
    .action(async (images: string[], options: RemoveImagesOptions) => {
      const session = createSession(options);
      const result = await removeProjectImages(session, { images, force: Boolean(options.force) });
      if (!session.dryRun) process.stdout.write(result.removed.map((reference) => `${reference}\n`).join(''));
      for (const reference of result.absent) process.stderr.write(paint.dim(`${reference}: not present\n`));
      for (const failure of result.failures) process.stderr.write(`${paint.red('error:')} ${failure.reason}\n`);
      if (result.failures.length > 0) throw new ExitCode(1);
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
