import { CommanderError, type Command } from 'commander';
import { CommandFailedError, errorMessage, ExitCode, UserError } from '../errors.js';
import packageJson from '../../package.json' with { type: 'json' };
import { paint } from './output/terminal.js';

const usageExitCode = 2;

/**
 * The one entry of every command: parses argv, runs the action, and turns whatever it throws into
 * one line on stderr and an exit code. Only this function sets process.exitCode.
 */
export async function runCli(command: Command, argv: readonly string[] = process.argv): Promise<void> {
  // `ls-containers | head -1`: when the reader has gone, there is nobody left to tell anything to.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  const exitCode = await runCommand(command, argv, 'node');
  if (exitCode !== 0) process.exitCode = exitCode;
}

/**
 * Parses and runs a command the way runCli does, but resolves with the exit code instead of setting
 * it: the shell runs many commands in one process. `from: 'user'` takes arguments without node and script.
 */
export async function runCommand(command: Command, args: readonly string[], from: 'node' | 'user'): Promise<number> {
  command
    .version(packageJson.version, '-V, --version', 'print the version of dockerutils')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(paint.red(text)) });
  try {
    await command.parseAsync(args, { from });
    return 0;
  } catch (error) {
    return report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed help, a version or its own message already.
    return error.exitCode === 0 ? 0 : usageExitCode;
  }
  if (error instanceof ExitCode) return error.exitCode;
  if (error instanceof UserError || error instanceof CommandFailedError) {
    process.stderr.write(`${paint.red('error:')} ${error.message}\n`);
    return error.exitCode || 1;
  }
  const message = errorMessage(error);
  process.stderr.write(
    `${paint.red('internal error:')} ${message}\nThis is a bug in dockerutils; set DOCKERUTILS_DEBUG=1 for details.\n`,
  );
  if (process.env.DOCKERUTILS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 70;
}
