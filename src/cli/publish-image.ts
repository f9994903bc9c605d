import { Command } from 'commander';
import { publishImage } from '../commands/publish-image.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';

/** publish-image IMAGE */
export function createCommand(): Command {
  const command = new Command('publish-image')
    .description(
      "tag a project image with its section's publication_tag and push it (image_repo = aws logs in to ECR first)",
    )
    .argument('<image>', 'a sub-folder of docker/')
    .addHelpText(
      'after',
      '\ncfg:\n  [dev]\n  image_repo = aws\n  publication_tag = {account}.dkr.ecr.{region}.amazonaws.com/{image}:{tag}\n\nExamples:\n  publish-image dev\n  publish-image dev --dry-run',
    )
    .action(async (image: string, options: EngineOptions) => {
      const published = await publishImage(createSession(options), image);
      if (!options.dryRun) process.stdout.write(`${published}\n`);
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
