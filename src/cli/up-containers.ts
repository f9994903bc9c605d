import { Command, InvalidArgumentError } from 'commander';
import { upContainers } from '../commands/up-containers.js';
import { describeStep } from '../stacks/stack-plan.js';
import { addDockOption, addDryRunOption, createSession, positiveSeconds, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';

interface UpContainersOptions extends EngineOptions {
  build?: boolean;
  diff?: boolean;
  removeOrphans?: boolean;
  waitTimeout: number;
  lockTimeout: number;
  parallel: number;
}

function positiveWholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number, 1 or more');
  return Number(value);
}

/** up-containers [IMAGE...] */
export function createCommand(): Command {
  const command = new Command('up-containers')
    .description(
      "bring the project's stack up to date: create what is missing, start what is stopped, recreate what is out of date, dependencies first",
    )
    .argument('[images...]', 'images to bring up, with their dependencies (default: every image of docker/)')
    .option('--build', 'build the images that have a Dockerfile first (as build-image does)')
    .option('--diff', 'say what would be done to each container and why; run nothing')
    .option('--remove-orphans', "remove the stack's containers whose section is gone from the cfg")
    .option(
      '--wait-timeout <seconds>',
      'how long a container may take to run (be healthy, with a healthcheck)',
      positiveSeconds,
      60,
    )
    .option(
      '--lock-timeout <seconds>',
      'how long to wait for another up-containers of this stack',
      positiveSeconds,
      300,
    )
    .option('--parallel <n>', 'how many independent images are brought up at once', positiveWholeNumber, 4)
    .addHelpText(
      'after',
      '\nExamples:\n  up-containers\n  up-containers web --build\n  up-containers --diff\n  up-containers --dry-run > up.sh\n  up-containers --remove-orphans',
    )
    .action(async (images: string[], options: UpContainersOptions) => {
      const session = createSession(options);
      const result = await upContainers(session, {
        images,
        build: options.build,
        diff: options.diff,
        removeOrphans: options.removeOrphans,
        waitTimeoutSeconds: options.waitTimeout,
        lockTimeoutSeconds: options.lockTimeout,
        parallel: options.parallel,
        now: new Date(),
        onLockWait: (engine, holder) =>
          process.stderr.write(paint.yellow(`waiting for another up-containers on ${engine} (${holder})\n`)),
      });
      for (const outcome of result.engines) {
        const where = outcome.named ? outcome.engine : undefined;
        if (!session.dryRun)
          process.stdout.write(outcome.plan.steps.map((step) => `${describeStep(step, where)}\n`).join(''));
        for (const { container, reason } of outcome.plan.orphans) {
          if (result.orphansRemoved.includes(container.name)) continue;
          process.stderr.write(
            paint.yellow(
              `orphan ${container.name}${where ? ` @${where}` : ''}: ${reason}; --remove-orphans removes it\n`,
            ),
          );
        }
      }
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
