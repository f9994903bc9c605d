import { Command } from 'commander';
import { sshToDock } from '../docks/dock-actions.js';
import { createCommandContext } from './common-options.js';

/** ssh-dock NAME [COMMAND...] */
export function createCommand(): Command {
  return new Command('ssh-dock')
    .description('open an ssh session on a dock (or run one command there), with your own ssh configuration')
    .argument('<name>', 'the dock')
    .argument('[command...]', 'a command to run there instead of a login shell')
    .passThroughOptions()
    .action(async (name: string, command: string[]) => {
      await sshToDock(createCommandContext({}), name, command, Boolean(process.stdin.isTTY));
    });
}
