import { Argument, Command } from 'commander';
import { completesWith } from './completion-marks.js';
import { startDock, type StartProgress } from '../commands/start-dock.js';
import { addDryRunOption, createSession, positiveSeconds, type EngineOptions } from './options.js';
import { wantsProgress } from './output/progress.js';
import { paint } from './output/terminal.js';

const defaultTimeoutSeconds = 300;

interface StartDockOptions extends EngineOptions {
  timeout: number;
  acceptNew?: boolean;
}

/** start-dock NAME */
export function createCommand(): Command {
  const command = new Command('start-dock')
    .description(
      "start a dock's machine with its start command (dock add --start), then wait until ssh and its Docker engine answer",
    )
    .addArgument(completesWith(new Argument('<name>', 'the dock'), ['@docks']))
    .option('--timeout <seconds>', 'how long to wait for ssh and the engine', positiveSeconds, defaultTimeoutSeconds)
    .option('--accept-new', 'record the host key of a machine not yet in known_hosts (a changed key is always refused)')
    .addHelpText('after', '\nExamples:\n  start-dock gpu\n  start-dock gpu --timeout 600 && run-image train --dock gpu')
    .action(async (name: string, options: StartDockOptions) => {
      const onTerminal = wantsProgress(process.stderr, process.env);
      let lastShown: StartProgress['waitingFor'] | undefined;
      const show = (progress: StartProgress): void => {
        const text = `waiting for ${name}: ${progress.waitingFor === 'ssh' ? 'no answer over ssh yet' : 'ssh answers, its Docker engine not yet'} (${Math.round(progress.elapsedMs / 1000)} s of ${options.timeout} s)`;
        // A terminal gets one line redrawn in place; a log gets a line each time the state changes.
        if (onTerminal) process.stderr.write(`\r\x1b[K${paint.dim(text)}`);
        else if (progress.waitingFor !== lastShown) process.stderr.write(`${text}\n`);
        lastShown = progress.waitingFor;
      };
      try {
        const result = await startDock(createSession(options), {
          name,
          timeoutMs: options.timeout * 1000,
          acceptNewHostKey: Boolean(options.acceptNew),
          onProgress: show,
        });
        if (onTerminal && lastShown) process.stderr.write('\r\x1b[K');
        if (!options.dryRun)
          process.stderr.write(
            `${name} is up: Docker ${result.version} answers (${(result.elapsedMs / 1000).toFixed(1)} s)\n`,
          );
      } catch (error) {
        if (onTerminal && lastShown) process.stderr.write('\n');
        throw error;
      }
    });
  addDryRunOption(command);
  return command;
}
