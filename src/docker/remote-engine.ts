import { CommandFailedError } from '../errors.js';
import { EngineUnreachableError } from './engine-target.js';
import { anyExitCode, runDocker, runProgram, type CommandContext, type CommandResult } from './exec.js';

/** The arguments of `ssh [options] DEST docker version`: one round trip that proves ssh, the login, the docker command and the engine. */
export function engineVersionOverSshArgs(sshOptions: readonly string[], destinationArgs: readonly string[]): string[] {
  // The remote shell reads the words as one command line; the version template needs no quoting there.
  return [...sshOptions, ...destinationArgs, 'docker', 'version', '--format', '{{.Server.Version}}'];
}

/** Runs `ssh ... docker version` (`quiet`: not echoed, for repeated polls); a time-out is exit code 255 with its own message, as ssh's failures are. */
export async function engineVersionOverSsh(
  context: CommandContext,
  sshOptions: readonly string[],
  destinationArgs: readonly string[],
  timeoutMs: number,
  options: { quiet?: boolean } = {},
): Promise<CommandResult> {
  try {
    return await runProgram(context, 'ssh', engineVersionOverSshArgs(sshOptions, destinationArgs), {
      acceptExitCode: anyExitCode,
      timeoutMs,
      quiet: options.quiet,
    });
  } catch (error) {
    if (!(error instanceof CommandFailedError) || error.exitCode !== 124) throw error;
    return { exitCode: 255, stdout: '', stderr: `timed out after ${timeoutMs} ms` };
  }
}

/** `docker version` of the context's engine: its version, or the reason it did not answer. */
export async function engineVersion(
  context: CommandContext,
  timeoutMs: number,
): Promise<{ version: string } | { failure: string }> {
  let result: CommandResult;
  try {
    result = await runDocker({ ...context, dryRun: false }, ['version', '--format', '{{.Server.Version}}'], {
      acceptExitCode: anyExitCode,
      timeoutMs,
    });
  } catch (error) {
    if (error instanceof EngineUnreachableError) return { failure: error.reason ?? error.message };
    if (error instanceof CommandFailedError && error.exitCode === 124)
      return { failure: `no answer within ${timeoutMs / 1000} s` };
    throw error;
  }
  const version = result.stdout.trim();
  return result.exitCode === 0 && version !== ''
    ? { version }
    : { failure: result.stderr.trim() || `exit code ${result.exitCode}` };
}
