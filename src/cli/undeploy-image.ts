import { Command } from 'commander';
import { undeployImage } from '../commands/undeploy-image.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';

/** undeploy-image IMAGE */
export function createCommand(): Command {
  const command = new Command('undeploy-image')
    .description(
      "remove a project image's swarm service (deploy-image's), and the project's network with its last service",
    )
    .argument('<image>', 'a sub-folder of docker/, or a synthetic image of [run_image]')
    .addHelpText('after', '\nExamples:\n  undeploy-image web\n  undeploy-image web --dock manager')
    .action(async (image: string, options: EngineOptions) => {
      const result = await undeployImage(createSession(options), image);
      if (options.dryRun) return;
      process.stderr.write(
        result.removed
          ? `${result.service} removed${result.networkRemoved ? ', with the project network' : ''}\n`
          : `no service ${result.service}: nothing to remove\n`,
      );
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
