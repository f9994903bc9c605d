import { Command } from 'commander';
import { containerLogs } from '../commands/container-logs.js';
import { addDockOption, createSession, wholeNumber, type EngineOptions } from './options.js';

/** The shell's `logs CONTAINER [-f] [-n LINES] [--dock NAME]`. */
export function createCommand(): Command {
  const command = new Command('logs')
    .description('show the recent output of a container; -f follows it until Ctrl-C')
    .argument('<container>', 'a container name or id prefix')
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .option('-n, --tail <lines>', 'how many recent lines', wholeNumber, 50)
    .action(async (container: string, options: EngineOptions & { follow?: boolean; tail: number }) => {
      await containerLogs(createSession(options), { container, follow: options.follow, tail: options.tail });
    });
  addDockOption(command);
  return command;
}
