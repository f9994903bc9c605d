import { createServer } from 'node:net';
import { anyExitCode, lastLine, runProgram, type CommandContext } from './exec.js';
import { sshDestinationArgs, type SshDestination } from './ssh-destination.js';

/** Whether nothing listens on a TCP port of this machine, on any address (as docker would publish it). */
export function isLocalPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first port from `first` upward that is free on this machine and not in `skip`; undefined past 65535. */
export async function firstFreeLocalPort(
  first: number,
  skip: ReadonlySet<number> = new Set(),
): Promise<number | undefined> {
  for (let port = first; port <= 65535; port++) {
    if (!skip.has(port) && (await isLocalPortFree(port))) return port;
  }
  return undefined;
}

/** `ssh -O forward|cancel -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE DEST`: a forward on the shared connection. */
export function portForwardArgs(
  operation: 'forward' | 'cancel',
  destination: SshDestination,
  localPort: number,
  remotePort: number,
): string[] {
  return ['-O', operation, '-L', `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`, ...sshDestinationArgs(destination)];
}

/**
 * Forwards a port of this machine to one of the dock over the dock's shared SSH connection (the one
 * its docker calls use): no new login. Resolves with why it could not, or undefined when it did.
 */
export async function forwardPort(
  context: CommandContext,
  destination: SshDestination,
  localPort: number,
  remotePort: number,
): Promise<string | undefined> {
  const result = await runProgram(context, 'ssh', portForwardArgs('forward', destination, localPort, remotePort), {
    acceptExitCode: anyExitCode,
    timeoutMs: 15_000,
  });
  return result.exitCode === 0 ? undefined : (lastLine(result.stderr) ?? `ssh exit code ${result.exitCode}`);
}

/** Cancels a forward made by `forwardPort`; a connection that has gone took its forwards with it. */
export async function cancelPortForward(
  context: CommandContext,
  destination: SshDestination,
  localPort: number,
  remotePort: number,
): Promise<void> {
  await runProgram(context, 'ssh', portForwardArgs('cancel', destination, localPort, remotePort), {
    acceptExitCode: anyExitCode,
    timeoutMs: 15_000,
  });
}
