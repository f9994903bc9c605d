import { Command } from 'commander';
import { deployImage } from '../commands/deploy-image.js';
import {
  addDockOption,
  addDryRunOption,
  createSession,
  positiveSeconds,
  wholeNumber,
  type EngineOptions,
} from './options.js';
import { createDockProgress } from './output/progress.js';
import { paint } from './output/terminal.js';

interface DeployImageOptions extends EngineOptions {
  replicas?: number;
  waitTimeout: number;
}

/** deploy-image IMAGE */
export function createCommand(): Command {
  const command = new Command('deploy-image')
    .description(
      'run a project image as a swarm service across the docks of the swarm: its cfg section becomes docker service create, the image is sent to every node that may run it, and a second run updates the service in place when something changed',
    )
    .argument('<image>', 'a sub-folder of docker/, or a synthetic image of [run_image]')
    .option('--replicas <n>', "how many tasks (default: the section's replicas, else 1)", wholeNumber)
    .option('--wait-timeout <seconds>', 'how long to wait for every task to run', positiveSeconds, 120)
    .addHelpText(
      'after',
      '\ncfg:\n  [web]\n  ports = -p 8080:80\n  replicas = 2\n  max_per_node = 1\n  placement = node.labels.gpu==true\n  publish_mode = host\n  update_order = start-first\n\nExamples:\n  deploy-image web\n  deploy-image web --replicas 4 --dock manager\n  deploy-image web --dry-run\n  undeploy-image web',
    )
    .action(async (image: string, options: DeployImageOptions) => {
      const progress = createDockProgress(process.stderr, process.env);
      const result = await deployImage(
        createSession(options),
        { image, replicas: options.replicas, waitTimeoutMs: options.waitTimeout * 1000 },
        {
          transfer: progress.update,
          transferred: (dock, bytes, elapsedMs) =>
            progress.done(
              dock,
              `${dock}: image sent (${(bytes / 1e6).toFixed(1)} MB in ${(elapsedMs / 1000).toFixed(1)} s), same id there`,
            ),
          taskError: (text) => process.stderr.write(`${paint.yellow(text)}\n`),
        },
      );
      if (options.dryRun) return;
      const verb = { created: 'created', updated: 'updated', unchanged: 'unchanged' }[result.action];
      process.stderr.write(
        `${result.service} ${verb}${result.changes.length > 0 ? `: ${result.changes.join('; ')}` : ''}\n`,
      );
      for (const task of result.tasks)
        process.stderr.write(`  ${result.service}.${task.slot} ${task.state} on ${task.node}\n`);
      process.stdout.write(`${result.service}\n`);
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
