import { Command } from 'commander';
import { containerLogs } from '../commands/container-logs.js';
import { createSession, wholeNumber } from './options.js';

/** The shell's `logs CONTAINER [-f] [-n LINES]`. */
export function createCommand(): Command {
  return new Command('logs')
    .description('show the recent output of a container; -f follows it until Ctrl-C')
    .argument('<container>', 'a container name or id prefix')
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .option('-n, --tail <lines>', 'how many recent lines', wholeNumber, 50)
    .action(async (container: string, options: { follow?: boolean; tail: number }) => {
      await containerLogs(createSession(), { container, follow: options.follow, tail: options.tail });
    });
}
