/** A problem the user can fix: printed as one line, never with a stack trace. */
export class UserError extends Error {
  override readonly name = 'UserError';
  /** The process exit code: 2 for bad input, unless a caller knows better. */
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? 2;
  }
}

/** A docker (or other host) command that ran and failed. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';

  constructor(
    /** The command line as the user saw it echoed. */
    readonly commandLine: string,
    /** The failed command's own exit code, which becomes ours. */
    readonly exitCode: number,
    /** The last meaningful line the command wrote to stderr, when it was captured. */
    readonly detail?: string,
  ) {
    super(detail ? `${detail}` : `${commandLine.split(' ', 2).join(' ')} failed with exit code ${exitCode}`);
  }
}

/**
 * Not a failure to report: the command ran what the user asked and its exit code is passed on
 * (for example the exit code of a container run in the foreground).
 */
export class ExitCode extends Error {
  override readonly name = 'ExitCode';

  constructor(readonly exitCode: number) {
    super(`exit code ${exitCode}`);
  }
}

/** The message of anything thrown, for a one-line notice. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
