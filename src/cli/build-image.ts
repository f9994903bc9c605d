import { Argument, Command } from 'commander';
import { completesWith } from './completion-marks.js';
import { buildImages } from '../commands/build-image.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';

interface BuildImageOptions extends EngineOptions {
  forceBuildBase?: boolean;
  pullBase?: boolean;
  imageName?: string;
  imageTag?: string;
}

/** build-image IMAGE | all | clean */
export function createCommand(): Command {
  const command = new Command('build-image')
    .description(
      'build a project image from docker/IMAGE/Dockerfile, every image (all), or remove them all (clean); labels each with the git version of the source; prints the built references on stdout',
    )
    .addArgument(
      completesWith(new Argument('<image>', 'a sub-folder of docker/ holding a Dockerfile, or all, or clean'), [
        '@buildable',
        'all',
        'clean',
      ]),
    )
    .option(
      '-f, --force-build-base',
      'build docker/base first (with --pull when its section says pull_FROM_on_force=True)',
    )
    .option('-p, --pull-base', 'pull the FROM image again (docker build --pull)')
    .option('-i, --image-name <name>', 'use this image name instead of <project>-<image>')
    .option('-t, --image-tag <tag>', "use this tag instead of the user name or the section's tag")
    .addHelpText(
      'after',
      '\nExamples:\n  build-image dev\n  build-image dev -f        # docker/base first\n  build-image all --dry-run\n  build-image clean',
    )
    .action(async (image: string, options: BuildImageOptions) => {
      const session = createSession(options);
      const result = await buildImages(session, { target: image, ...options });
      if ('cleaned' in result) {
        for (const reference of result.cleaned.absent) process.stderr.write(paint.dim(`${reference}: not present\n`));
        return;
      }
      const written = session.dryRun ? 'would write' : 'wrote';
      for (const file of result.versionFiles)
        process.stderr.write(paint.dim(`${written} ${file.path} (version ${file.version})\n`));
      for (const warning of result.warnings) process.stderr.write(`${paint.yellow('warning:')} ${warning}\n`);
      if (!session.dryRun) process.stdout.write(result.built.map((step) => `${step.reference}\n`).join(''));
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
