import { Command, InvalidArgumentError } from 'commander';
import { runNotebook } from '../commands/run-notebook.js';
import { ExitCode } from '../errors.js';
import { addDockOption, addDryRunOption, createSession, wholeNumber, type EngineOptions } from './options.js';
import { paint } from './output/terminal.js';
import { untilStopped } from './stop-signals.js';

interface RunNotebookOptions extends EngineOptions {
  port: number;
}

/** run-notebook [IMAGE] */
export function createCommand(): Command {
  const command = new Command('run-notebook')
    .description(
      "run the project's notebook image (docker/notebook, or the image a [notebook] section names) with the current folder as its work folder, and print the URL to open",
    )
    .argument('[image]', 'another image of the project to run as the notebook (default: notebook)')
    .option('--port <port>', 'the first host port to try; the first free one from here is used', port, 8888)
    .addHelpText(
      'after',
      '\nThe image is pulled first unless DOCKER_DS_DONT_PULL is set (docker/notebook is built instead);\nRESERO_JUPYTER_DIFFS is passed to the container when set. Ctrl-C stops the container.\n\nExamples:\n  run-notebook\n  run-notebook --dock gpu     # the URL opens here: the port is forwarded over ssh\n  DOCKER_DS_DONT_PULL=1 run-notebook',
    )
    .action(async (image: string | undefined, options: RunNotebookOptions) => {
      const session = createSession(options);
      const result = await untilStopped((signal) =>
        runNotebook(session, {
          image,
          firstPort: options.port,
          now: new Date(),
          signal,
          onUrl: (url) => process.stdout.write(`${url}\n`),
          onOutputLine: (line) => process.stderr.write(`${paint.dim(line)}\n`),
          onNotice: (text) => process.stderr.write(`${paint.yellow(text)}\n`),
        }),
      );
      if (session.dryRun) return;
      if (result.stopped) {
        process.stderr.write(`${result.containerName} stopped\n`);
        return;
      }
      process.stderr.write(
        `${result.containerName} ended${result.exitCode === undefined ? '' : ` with exit code ${result.exitCode}`}\n`,
      );
      if (result.exitCode) throw new ExitCode(result.exitCode);
    });
  addDockOption(command);
  addDryRunOption(command);
  return command;
}

function port(value: string): number {
  const number = wholeNumber(value);
  if (number < 1 || number > 65535) throw new InvalidArgumentError('expected a port from 1 to 65535');
  return number;
}
