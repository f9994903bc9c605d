import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectUnixSocket, requestOnConnection } from './engine-connection.js';
import { anyExitCode, runProgram, type CommandContext, type CommandResult } from './exec.js';
import { sshControlDir } from './ssh-reuse.js';
import { parseSshEndpoint, sshDestinationArgs } from './ssh-destination.js';

// A dock's Engine API streams ride one OpenSSH connection: the engine's unix socket is forwarded to a
// local one on the shared master (`ssh -O forward`), so hundreds of streams are channels of that one
// connection instead of one ssh session (and two processes) each, and sshd's MaxSessions never
// limits them. The user's ~/.ssh/config, agent, ProxyJump and known_hosts all still apply.

/** The engine socket on the dock, as the dock's own docker CLI resolves it (its DOCKER_HOST or context). */
const remoteEngineQuery =
  "docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || printf '%s\\n' \"${DOCKER_HOST:-unix:///var/run/docker.sock}\"";

/** A forward's local socket, or the dock's refusal of one (kept, so that it is asked once); a failure is not kept. */
type ForwardOutcome = { readonly socketPath: string } | { readonly refused: true } | { readonly failed: true };

const pingTimeoutMs = 10_000;

const forwards = new Map<string, Promise<ForwardOutcome>>();

const forwardKey = (context: CommandContext): string => `${context.target.endpoint}\0${context.env.HOME ?? ''}`;

/**
 * A local unix socket that reaches the engine of an `ssh://` target over the shared SSH connection,
 * or undefined when the dock cannot be reached, its sshd refuses socket forwarding or its engine is
 * not on a unix socket (callers then dial through `docker system dial-stdio`). One per dock, shared
 * by every command of the user on it while the shared connection lasts.
 */
export async function forwardedEngineSocket(context: CommandContext): Promise<string | undefined> {
  const key = forwardKey(context);
  let outcome = forwards.get(key);
  if (outcome === undefined) {
    outcome = openForward(context);
    forwards.set(key, outcome);
  }
  const settled = await outcome;
  if ('failed' in settled && forwards.get(key) === outcome) forwards.delete(key);
  return 'socketPath' in settled ? settled.socketPath : undefined;
}

/** Forgets a forward whose connection died (the dock went away): the next request looks again. */
export function dropEngineForward(context: CommandContext): void {
  forwards.delete(forwardKey(context));
}

// The forward outlives the command: it is the shared master's, named after the dock, so the next
// command on the dock connects to it at once, with no ssh session; it ends with the master (after
// sshControlPersistSeconds idle), leaving a socket that refuses connections and is then made anew.
async function openForward(context: CommandContext): Promise<ForwardOutcome> {
  const controlDir = sshControlDir(context.env);
  if (controlDir === undefined) return { refused: true };
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(context.target.endpoint).digest('hex').slice(0, 16);
  const localPath = join(controlDir, `engine-${digest}.sock`);
  const destination = sshDestinationArgs(parseSshEndpoint(context.target.endpoint));
  const standing = await ping(localPath);
  if (standing === 'answers') return { socketPath: localPath };
  // Connected, but the engine behind did not answer: the forward stands, the engine is down.
  if (standing === 'silent') return { failed: true };

  const quiet = { ...context, dryRun: false };
  const ssh = (args: string[]): Promise<CommandResult> =>
    runProgram(quiet, 'ssh', args, { quiet: true, acceptExitCode: anyExitCode, timeoutMs: 30_000 });
  const forwardOf = (remotePath: string): string[] => ['-L', `${localPath}:${remotePath}`, ...destination];
  // Where the dock's engine was found before: one ssh then opens the shared connection (if it is not
  // open) with the forward on it, and no session on the dock; its login shell can cost more than the handshake.
  const remotePathFile = join(controlDir, `engine-${digest}.remote`);
  const knownPath = readKnownRemotePath(remotePathFile);
  if (knownPath !== undefined) {
    await ssh(['-f', '-N', '-o', 'ExitOnForwardFailure=yes', ...forwardOf(knownPath)]);
    if ((await ping(localPath)) === 'answers') return { socketPath: localPath };
  }

  // This call also opens the shared connection the forward is added to.
  const query = await ssh([...destination, remoteEngineQuery]);
  const remoteHost = query.stdout.trim().split('\n').at(-1) ?? '';
  if (query.exitCode !== 0) return { failed: true };
  if (!remoteHost.startsWith('unix://')) return { refused: true };
  const remotePath = remoteHost.slice('unix://'.length);
  const forward = forwardOf(remotePath);
  // The master unlinks a socket an ended master left before it binds (see ssh-reuse). Another
  // command adding the same forward at once is told it exists: one forward serves both.
  await ssh(['-O', 'forward', ...forward]);
  if ((await ping(localPath)) === 'answers') return rememberedForward(localPath, remotePathFile, remotePath);
  // A master that lists the forward while its socket is gone binds nothing for a repeat: cancelled first.
  await ssh(['-O', 'cancel', ...forward]);
  await ssh(['-O', 'forward', ...forward]);
  // An sshd that refuses stream forwarding accepts the forward and closes each connection made on it.
  if ((await ping(localPath)) === 'answers') return rememberedForward(localPath, remotePathFile, remotePath);
  await ssh(['-O', 'cancel', ...forward]);
  rmSync(localPath, { force: true });
  return { refused: true };
}

function readKnownRemotePath(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function rememberedForward(localPath: string, remotePathFile: string, remotePath: string): ForwardOutcome {
  try {
    writeFileSync(remotePathFile, `${remotePath}\n`, { mode: 0o600 });
  } catch {
    // Only a saving for the next command.
  }
  return { socketPath: localPath };
}

/** Whether a socket reaches an engine: `absent` when nothing listens there (no file, or an ended master's). */
async function ping(socketPath: string): Promise<'answers' | 'silent' | 'absent'> {
  try {
    const response = await requestOnConnection(
      'GET',
      '/_ping',
      (onBytes) => connectUnixSocket(socketPath, onBytes),
      undefined,
      // A master whose connection is dead takes the connection and never answers.
      AbortSignal.timeout(pingTimeoutMs),
    );
    return (await response.text()) === 'OK' ? 'answers' : 'silent';
  } catch (error) {
    const { code, syscall } = error as { code?: string; syscall?: string };
    return syscall === 'connect' || code === 'ENOENT' || code === 'ECONNREFUSED' ? 'absent' : 'silent';
  }
}
