import { CommandFailedError, UserError } from '../errors.js';
import { dockerInvocation, formatCommandLine, resolveArgs, type Arg, type DockerInvocation } from './command-line.js';
import { PrivateEnvFile } from './private-env-file.js';
import { EngineUnreachableError, type EngineTarget } from './engine-target.js';
import { sshReuseEnvironment } from './ssh-reuse.js';

/** Where and how commands run: one per CLI invocation. */
export interface CommandContext {
  /** The folder commands run in (the project root for builds). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly target: EngineTarget;
  /** Echo the commands and run none of them. */
  readonly dryRun: boolean;
  /** Receives each command line before it runs, or instead of running it in a dry run. */
  readonly echo: (commandLine: string) => void;
  /** Receives one-line news for people that is not an error (a stream that has to wait). */
  readonly notice?: (text: string) => void;
}

/** How to run one command. */
export interface ExecOptions {
  /**
   * `inherit` streams the command's own output live; `capture` collects it; `stderr` streams both of
   * its outputs live to our stderr (progress that is not data, e.g. docker push). Default: capture.
   */
  readonly stdio?: 'inherit' | 'capture' | 'stderr';
  /** Which non-zero exit codes are results rather than failures (default: none). */
  readonly acceptExitCode?: (exitCode: number) => boolean;
  /** Run without echoing: internal look-ups the user did not ask for. */
  readonly quiet?: boolean;
  /** Kill the command (SIGKILL) when it has not finished after this long. */
  readonly timeoutMs?: number;
  /** Receives each line of standard output as it arrives (capture mode), for commands that stream. */
  readonly onStdoutLine?: (line: string) => void;
  /** Receives each line of standard error as it arrives (capture mode); it is then not kept. */
  readonly onStderrLine?: (line: string) => void;
  /** Kill the command (SIGKILL) when this signal aborts; it then resolves with exit code 137. */
  readonly cancelSignal?: AbortSignal;
  /** Text written to the command's standard input (with `capture`); never shown in the echo. */
  readonly input?: string;
}

/** What a finished command left. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** For `acceptExitCode`: every exit code is a result. */
export const anyExitCode = (): boolean => true;

/** The argv of a docker call, with `--context` when the target is a named context. */
export function dockerArgv(target: EngineTarget, args: readonly Arg[]): Arg[] {
  return target.context ? ['--context', target.context, ...args] : [...args];
}

/** The line `runDocker` echoes for these arguments against a target, for showing a command without running it. */
export function dockerCommandLine(target: EngineTarget, args: readonly Arg[]): string {
  return formatCommandLine('docker', dockerArgv(target, args));
}

/** Echoes and runs one docker CLI command against the context's engine. */
export async function runDocker(
  context: CommandContext,
  args: readonly Arg[],
  options: ExecOptions = {},
): Promise<CommandResult> {
  return runProgram(context, 'docker', dockerArgv(context.target, args), options);
}

/** Echoes and runs a docker CLI command about the CLI's own configuration (contexts): no engine, no `--context`. */
export async function runDockerCli(
  context: CommandContext,
  args: readonly Arg[],
  options: ExecOptions = {},
): Promise<CommandResult> {
  return runProgram(context, 'docker', args, options);
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
const unreachablePattern =
  /Cannot connect to the Docker daemon|error during connect|ssh: |connection refused|Is the docker daemon running/i;

/** Echoes and runs one program (docker, or a build script's `sh`) without a shell in between. */
export async function runProgram(
  context: CommandContext,
  program: string,
  args: readonly Arg[],
  options: ExecOptions = {},
): Promise<CommandResult> {
  const commandLine = formatCommandLine(program, args);
  if (!options.quiet) context.echo(commandLine);
  if (context.dryRun) return { exitCode: 0, stdout: '', stderr: '' };

  const envFile = new PrivateEnvFile(context.env);
  const invocation =
    program === 'docker'
      ? dockerInvocation(args, context.env, () => envFile.path)
      : { argv: resolveArgs(args, context.env), environment: {}, envFileLines: [] };
  if (invocation.envFileLines.length > 0) envFile.write(invocation.envFileLines);
  try {
    return await runSubprocess(context, program, commandLine, invocation, options);
  } finally {
    envFile.remove();
  }
}

async function runSubprocess(
  context: CommandContext,
  program: string,
  commandLine: string,
  invocation: DockerInvocation,
  options: ExecOptions,
): Promise<CommandResult> {
  const { execa } = await import('execa');
  const inherit = options.stdio === 'inherit';
  const subprocess = execa(program, invocation.argv, {
    cwd: context.cwd,
    env: { ...programEnvironment(context), ...invocation.environment },
    extendEnv: false,
    stdio: inherit
      ? 'inherit'
      : options.stdio === 'stderr'
        ? ['ignore', 2, 2]
        : [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.input === undefined || inherit ? {} : { input: options.input }),
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    cancelSignal: options.cancelSignal,
    // A streaming command may run for hours: hand its lines over instead of keeping them.
    buffer: { stdout: options.onStdoutLine === undefined, stderr: options.onStderrLine === undefined },
  });
  handLinesOver(subprocess.stdout, options.onStdoutLine);
  handLinesOver(subprocess.stderr, options.onStderrLine);
  const result = inherit ? await whileForwardingSignals(subprocess) : await subprocess;

  if ((result as { code?: string }).code === 'ENOENT') {
    throw new UserError(
      `${program} is not installed or not on PATH` +
        (program === 'docker' ? ': install Docker (`dockerutils ensure-engine` does it on Debian)' : ''),
      { exitCode: 127 },
    );
  }
  if (result.timedOut)
    throw new CommandFailedError(commandLine, 124, `${program} did not finish within ${options.timeoutMs} ms`);
  const exitCode = result.exitCode ?? 128 + (signalNumbers[result.signal ?? ''] ?? 0);
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (exitCode === 0) return { exitCode, stdout, stderr };
  const detail = lastLine(stderr);
  const accepted = options.acceptExitCode?.(exitCode) ?? false;
  // An unreachable engine is never a result, whatever exit codes the caller accepts; the probe (for
  // output we did not capture) is only worth its cost when the exit code is not a result anyway.
  const captured = !inherit && options.stdio !== 'stderr';
  // "Error response from daemon" is the engine answering, whatever its words (a registry's "connection refused").
  const daemonAnswered = /Error response from daemon:/.test(stderr);
  if (program === 'docker' && !daemonAnswered) await explainUnreachableEngine(context, detail, !captured && !accepted);
  if (accepted) return { exitCode, stdout, stderr };
  throw new CommandFailedError(commandLine, exitCode, detail);
}

function handLinesOver(stream: NodeJS.ReadableStream | null, onLine: ((line: string) => void) | undefined): void {
  if (!onLine || !stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  // A last line without its newline (a process killed mid-line) is still a line.
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}

// Keyed on a command's environment object: a command makes many docker calls to a dock, and the
// wrapper directory and PATH they need are the same for all of them.
const sshSharingEnvironments = new WeakMap<NodeJS.ProcessEnv, NodeJS.ProcessEnv>();

/** The environment programs run with: for an engine reached over ssh, one shared SSH connection per host. */
export function programEnvironment(context: CommandContext): NodeJS.ProcessEnv {
  if (!context.target.endpoint.startsWith('ssh://')) return context.env;
  let env = sshSharingEnvironments.get(context.env);
  if (env === undefined) {
    env = sshReuseEnvironment(context.env);
    sshSharingEnvironments.set(context.env, env);
  }
  return env;
}

/** The last non-empty line of a command's output, without docker's "Error response from daemon:" noise. */
export function lastLine(output: string): string | undefined {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .filter(Boolean)
    .at(-1);
  return line?.replace(/^Error response from daemon: /, '');
}

// A failing docker call is most often an engine that is not there: say which one, and how to get it.
async function explainUnreachableEngine(
  context: CommandContext,
  detail: string | undefined,
  mayProbe: boolean,
): Promise<void> {
  let evidence = detail && unreachablePattern.test(detail) ? detail : undefined;
  if (!evidence && mayProbe) {
    const probe = await runProgram(
      context,
      'docker',
      dockerArgv(context.target, ['version', '--format', '{{.Server.Version}}']),
      {
        quiet: true,
        acceptExitCode: anyExitCode,
        timeoutMs: 15_000,
      },
    );
    evidence = probe.exitCode !== 0 ? lastLine(probe.stderr) : undefined;
  }
  // docker's own "Cannot connect ..." says no more than our message; ssh's words say why.
  if (evidence)
    throw new EngineUnreachableError(
      context.target,
      /Cannot connect to the Docker daemon|Is the docker daemon running/i.test(evidence) ? undefined : evidence,
    );
}

// While a foreground command owns the terminal, Ctrl-C belongs to it (the terminal already sends it
// the SIGINT); termination requests sent to us alone are passed on so that nothing is orphaned.
async function whileForwardingSignals<T>(
  subprocess: Promise<T> & { kill(signal?: NodeJS.Signals): boolean },
): Promise<T> {
  const ignore = (): void => {};
  const forward = (signal: NodeJS.Signals): void => {
    subprocess.kill(signal);
  };
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  process.on('SIGHUP', forward);
  try {
    return await subprocess;
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGTERM', forward);
    process.off('SIGHUP', forward);
  }
}
