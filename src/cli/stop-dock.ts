import { Argument, Command } from 'commander';
import { completesWith } from './completion-marks.js';
import { stopDock } from '../commands/stop-dock.js';
import { addDryRunOption, createSession, type EngineOptions } from './options.js';

/** stop-dock NAME */
export function createCommand(): Command {
  const command = new Command('stop-dock')
    .description("stop a dock's machine with its stop command (dock add --stop); `dock ls` shows its state")
    .addArgument(completesWith(new Argument('<name>', 'the dock'), ['@docks']))
    .addHelpText('after', '\nExamples:\n  stop-dock gpu')
    .action(async (name: string, options: EngineOptions) => {
      await stopDock(createSession(options), { name });
    });
  addDryRunOption(command);
  return command;
}
