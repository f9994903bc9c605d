import { Argument, Command } from 'commander';
import { completesWith } from './completion-marks.js';
import { sshToDock } from '../commands/ssh-dock.js';
import { createSession } from './options.js';

/** ssh-dock NAME [COMMAND...] */
export function createCommand(): Command {
  return new Command('ssh-dock')
    .description('open an ssh session on a dock (or run one command there), with your own ssh configuration')
    .addArgument(completesWith(new Argument('<name>', 'the dock'), ['@docks']))
    .argument('[command...]', 'a command to run there instead of a login shell')
    .passThroughOptions()
    .action(async (name: string, command: string[]) => {
      await sshToDock(createSession(), { name, remoteCommand: command, terminal: Boolean(process.stdin.isTTY) });
    });
}
