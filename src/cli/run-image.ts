import { Command } from 'commander';
import { runImage } from '../commands/run-image.js';
import {
  addDockOption,
  addDryRunOption,
  createSession,
  repeatableOption,
  wholeNumber,
  type EngineOptions,
} from './options.js';

interface RunImageOptions extends EngineOptions {
  args?: string;
  keep?: boolean;
  command?: string;
  network?: string;
  useGpu?: boolean;
  env: string[];
  name?: string;
  count?: number;
  portBase?: number;
  createOnly?: boolean;
}

/** run-image IMAGE */
export function createCommand(): Command {
  const command = new Command('run-image')
    .description('run a container of a project image with the volumes, ports, env and command of its cfg section')
    .argument('<image>', 'a sub-folder of docker/, or a synthetic image of [run_image]')
    .option('-a, --args <args>', 'extra docker run arguments, e.g. -a "--memory 1g"')
    .option('-k, --keep', 'run detached and keep the container after it stops (no --rm)')
    .option('-c, --command <command>', "replace the section's cmd")
    .option('-n, --network <network>', "replace the section's network")
    .option('-g, --use-gpu', "GPU support: the section's gpu, or --runtime=nvidia -e NVIDIA_VISIBLE_DEVICES=all")
    .addOption(
      repeatableOption(
        '-e, --env <KEY=VALUE>',
        'set an environment variable in the container (repeatable; wins over the cfg)',
      ),
    )
    .option('--name <name>', 'the container name (default <user>_<image>_<yy-mm-dd_HH.MM.SS>)')
    .option(
      '--count <n>',
      'run N containers (with -k or --create-only), named <user>_<image>_<n>, host ports stepped by one',
      wholeNumber,
    )
    .option(
      '--port-base <port>',
      'the first host port: the first published port of container n gets PORT+n-1',
      wholeNumber,
    )
    .option('--create-only', 'create the container (docker create) without starting it; start-containers starts it')
    .addHelpText(
      'after',
      '\nExamples:\n  run-image dev\n  run-image hello -k\n  run-image hello -k --count 3 --port-base 9000\n  run-image hello --create-only\n  run-image test -c "npm test"   # exit code is the command\'s\n  run-image dev --dry-run > run.sh',
    )
    .action(async (image: string, options: RunImageOptions) => {
      await runImage(createSession(options), {
        image,
        extraArgs: options.args,
        keep: options.keep,
        command: options.command,
        network: options.network,
        useGpu: options.useGpu,
        env: options.env,
        containerName: options.name,
        count: options.count,
        portBase: options.portBase,
        createOnly: options.createOnly,
        stdinIsTerminal: Boolean(process.stdin.isTTY),
        now: new Date(),
      });
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
