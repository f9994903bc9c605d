import { Command } from 'commander';
import { attachToContainer } from '../commands/attach-container.js';
import { ExitCode } from '../errors.js';
import { addDockOption, addDryRunOption, createSession, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';

interface AttachOptions extends EngineOptions {
  detachKeys?: string;
}

/** attach-container NAME */
export function createCommand(): Command {
  const command = new Command('attach-container')
    .description(
      "attach this terminal to a running container's main process (docker attach); the detach keys leave it running",
    )
    .argument('<container>', 'a container name or id prefix')
    .option(
      '--detach-keys <keys>',
      'the keys that detach, in docker\'s form (default: "detachKeys" of ~/.docker/config.json, else ctrl-p,ctrl-q)',
    )
    .addHelpText(
      'after',
      '\nCtrl-C goes to the container, as with docker attach; the detach keys, printed first, leave it running.\nWithout a terminal on standard input, only the output is shown (docker attach --no-stdin --sig-proxy=false).\n\nExamples:\n  attach-container web\n  attach-container web --detach-keys ctrl-x,x',
    )
    .action(async (container: string, options: AttachOptions) => {
      const outcome = await attachToContainer(
        createSession(options),
        { container, detachKeys: options.detachKeys, stdinIsTerminal: Boolean(process.stdin.isTTY) },
        {
          attaching: (name, detachKeys, withInput) =>
            process.stderr.write(
              paint.dim(
                withInput
                  ? `attached to ${name}: ${detachKeys} detaches and leaves it running\n`
                  : `attached to ${name}, output only (standard input is not a terminal)\n`,
              ),
            ),
        },
      );
      if (outcome.detached) process.stderr.write(paint.dim(`detached from ${outcome.name}: it goes on running\n`));
      if (outcome.exitCode !== 0) throw new ExitCode(outcome.exitCode);
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}
