import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectUnixSocket, requestOnConnection } from './engine-connection.js';
import { anyExitCode, programEnvironment, runProgram, type CommandContext } from './exec.js';
import { sshControlDir } from './ssh-reuse.js';
import { parseSshEndpoint, sshDestinationArgs } from './ssh-destination.js';

// A dock's Engine API streams ride one OpenSSH connection: the engine's unix socket is forwarded to a
// local one on the shared master (`ssh -O forward`), so hundreds of streams are channels of that one
// connection instead of one ssh session (and two processes) each, and sshd's MaxSessions never
// limits them. The user's ~/.ssh/config, agent, ProxyJump and known_hosts all still apply.

/** The engine socket on the dock, as the dock's own docker CLI resolves it (its DOCKER_HOST or context). */
const remoteEngineQuery =
  "docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || printf '%s\\n' \"${DOCKER_HOST:-unix:///var/run/docker.sock}\"";

interface Forward {
  readonly localPath: string;
  readonly remotePath: string;
  readonly destination: string[];
  readonly env: NodeJS.ProcessEnv;
  cancelled: boolean;
}

/** A forward, or the dock's refusal of one (kept, so that it is asked once); a failure is not kept. */
type ForwardOutcome = { readonly forward: Forward } | { readonly refused: true } | { readonly failed: true };

const forwards = new Map<string, Promise<ForwardOutcome>>();

const forwardKey = (context: CommandContext): string => `${context.target.endpoint}\0${context.env.HOME ?? ''}`;

/**
 * A local unix socket that reaches the engine of an `ssh://` target over the shared SSH connection,
 * or undefined when the dock cannot be reached, its sshd refuses socket forwarding or its engine is
 * not on a unix socket (callers then dial through `docker system dial-stdio`). One per process and dock.
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
  return 'forward' in settled ? settled.forward.localPath : undefined;
}

/** Drops a forward whose connection died (the dock went away): the next request makes a new one. */
export function dropEngineForward(context: CommandContext): void {
  const key = forwardKey(context);
  const outcome = forwards.get(key);
  forwards.delete(key);
  void outcome?.then((settled) => 'forward' in settled && cancelForward(settled.forward));
}

async function openForward(context: CommandContext): Promise<ForwardOutcome> {
  const destination = sshDestinationArgs(parseSshEndpoint(context.target.endpoint));
  const quiet = { ...context, dryRun: false };
  // This call also opens the shared connection the forward is added to.
  const query = await runProgram(quiet, 'ssh', [...destination, remoteEngineQuery], {
    quiet: true,
    acceptExitCode: anyExitCode,
    timeoutMs: 30_000,
  });
  const remoteHost = query.stdout.trim().split('\n').at(-1) ?? '';
  if (query.exitCode !== 0) return { failed: true };
  const controlDir = sshControlDir(context.env);
  if (!remoteHost.startsWith('unix://') || controlDir === undefined) return { refused: true };
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(`${context.target.endpoint}\0${remoteHost}`).digest('hex').slice(0, 12);
  const forward: Forward = {
    localPath: join(controlDir, `engine-${digest}-${process.pid}.sock`),
    remotePath: remoteHost.slice('unix://'.length),
    destination,
    env: programEnvironment(context),
    cancelled: false,
  };
  const added = await runProgram(
    quiet,
    'ssh',
    ['-O', 'forward', '-L', `${forward.localPath}:${forward.remotePath}`, ...destination],
    {
      quiet: true,
      acceptExitCode: anyExitCode,
      timeoutMs: 30_000,
    },
  );
  if (added.exitCode !== 0) return { failed: true };
  process.once('exit', () => cancelForward(forward));
  // An sshd that refuses stream forwarding accepts the forward and closes each connection made on it.
  if (!(await answersPing(forward.localPath))) {
    cancelForward(forward);
    return { refused: true };
  }
  return { forward };
}

async function answersPing(socketPath: string): Promise<boolean> {
  try {
    const response = await requestOnConnection('GET', '/_ping', (onBytes) => connectUnixSocket(socketPath, onBytes));
    return (await response.text()) === 'OK';
  } catch {
    return false;
  }
}

// Synchronous, so that it also runs from an exit handler.
function cancelForward(forward: Forward): void {
  if (forward.cancelled) return;
  forward.cancelled = true;
  spawnSync('ssh', ['-O', 'cancel', '-L', `${forward.localPath}:${forward.remotePath}`, ...forward.destination], {
    env: forward.env,
    stdio: 'ignore',
    timeout: 10_000,
  });
  rmSync(forward.localPath, { force: true });
}
