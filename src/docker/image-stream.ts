import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CommandFailedError } from '../errors.js';
import { createChunkedGzip } from './chunked-gzip.js';
import { formatCommandLine } from './command-line.js';
import { dockerArgv, lastLine, programEnvironment, type CommandContext } from './exec.js';

/** How far a stream has got. */
export interface StreamProgress {
  /** Uncompressed bytes read from `docker save` so far. */
  readonly bytes: number;
  /** The image's size, an estimate of the total (the tar is a little larger). */
  readonly totalBytes: number;
}

// The stream is compressed at gzip's fastest level (see chunked-gzip.ts): on a LAN the link outruns
// compression at the default level 6.
const gzipLevel = 1;
const remoteLoadCommand = 'gunzip | docker load';

/** What the stream runs: `docker save` locally, then ssh with the remote `gunzip | docker load`. */
export interface ImageStreamCommands {
  readonly saveArgs: string[];
  readonly sshArgs: string[];
}

/** The argv of both ends of the stream. `sshDestination` is ssh's destination arguments (`-l USER -- HOST`). */
export function imageStreamCommands(
  source: CommandContext,
  reference: string,
  sshDestination: readonly string[],
): ImageStreamCommands {
  return {
    saveArgs: dockerArgv(source.target, ['save', reference]) as string[],
    sshArgs: [...sshDestination, remoteLoadCommand],
  };
}

/** The one shell line the stream is equivalent to, for the echo. */
export function imageStreamLine(commands: ImageStreamCommands): string {
  return [
    formatCommandLine('docker', commands.saveArgs),
    `gzip -${gzipLevel}`,
    formatCommandLine('ssh', commands.sshArgs),
  ].join(' | ');
}

/**
 * Streams an image from the source engine into the engine behind an ssh destination, gzipped in
 * between, with no temporary file. `dock` supplies the ssh environment (the shared connection).
 * Throws CommandFailedError when either end fails; the failing end's own message is the detail.
 */
export async function streamImageOverSsh(
  source: CommandContext,
  dock: CommandContext,
  commands: ImageStreamCommands,
  totalBytes: number,
  onProgress: (progress: StreamProgress) => void,
): Promise<void> {
  const line = imageStreamLine(commands);
  source.echo(line);
  if (source.dryRun) return;
  const { execa } = await import('execa');
  const save = execa('docker', commands.saveArgs, {
    cwd: source.cwd,
    env: programEnvironment(source),
    extendEnv: false,
    stdin: 'ignore',
    buffer: { stdout: false },
    reject: false,
  });
  const load = execa('ssh', commands.sshArgs, {
    cwd: source.cwd,
    env: programEnvironment(dock),
    extendEnv: false,
    stdin: 'pipe',
    reject: false,
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onProgress({ bytes, totalBytes });
      callback(null, chunk);
    },
  });
  const streamed = pipeline(save.stdout, counter, createChunkedGzip(), load.stdin).then(
    () => undefined,
    (error: Error) => {
      // One end broke: the other must not wait for data that will never come.
      save.kill('SIGKILL');
      load.stdin.destroy();
      return error;
    },
  );
  const [streamError, saved, loaded] = await Promise.all([streamed, save, load]);
  if (loaded.exitCode !== 0) {
    throw new CommandFailedError(
      line,
      loaded.exitCode ?? 1,
      `loading on the dock failed: ${lastLine(String(loaded.stderr)) ?? `ssh exit code ${loaded.exitCode}`}`,
    );
  }
  if (saved.exitCode !== 0)
    throw new CommandFailedError(
      line,
      saved.exitCode ?? 1,
      `docker save failed: ${lastLine(String(saved.stderr)) ?? ''}`,
    );
  if (streamError) throw new CommandFailedError(line, 1, `the stream broke: ${streamError.message}`);
}
