import { hostname } from 'node:os';
import { inspectObjects } from '../docker/object-inspect.js';
import { createLockContainer, removeContainers } from '../docker/stack-containers.js';
import type { CommandContext } from '../docker/exec.js';
import { UserError } from '../errors.js';
import { lockLabel } from './stack-names.js';

const ownerLabel = 'dockerutils.lock-owner';
const sinceLabel = 'dockerutils.lock-since';
const pollIntervalMs = 500;

/** Where a lock is and who asks for it. */
export interface StackLockRequest {
  /** The lock container's name: `<project>_<user>.up-lock`. */
  readonly name: string;
  readonly stack: string;
  /** An image the engine has (a lock container is created, never started, so any image does). */
  readonly image: string;
  /** How long to wait for another holder before giving up. */
  readonly waitMs: number;
  /** Told once when another run holds the lock, with who and since when. */
  readonly onWait: (holder: string) => void;
}

/**
 * Takes the stack's lock on an engine and resolves with its release. The lock lives on the engine
 * itself, a container name only one `docker create` gets, so that runs from two machines driving the
 * same engine (a dock) serialize too. A lock left by a process of this machine that is gone is taken over.
 */
export async function acquireStackLock(
  context: CommandContext,
  request: StackLockRequest,
): Promise<() => Promise<void>> {
  const owner = `${hostname()}:${process.pid}`;
  const labels = { [lockLabel]: request.stack, [ownerLabel]: owner, [sinceLabel]: new Date().toISOString() };
  const quiet: CommandContext = { ...context, echo: () => {} };
  const deadline = Date.now() + request.waitMs;
  let told = false;
  for (;;) {
    if (await createLockContainer(quiet, request.name, labels, request.image)) {
      return async () => {
        await removeContainers(quiet, [request.name], true);
      };
    }
    const holder = await lockHolder(quiet, request.name);
    if (holder && isStaleHere(holder.owner)) {
      await removeContainers(quiet, [request.name], true).catch(() => undefined);
      continue;
    }
    if (!holder) continue;
    const description = `${describeOwner(holder.owner)} since ${holder.since}`;
    if (!told) {
      request.onWait(description);
      told = true;
    }
    if (Date.now() > deadline)
      throw new UserError(
        `another up-containers (${description}) still holds the lock of stack ${request.stack} on ${context.target.name} after ${Math.round(request.waitMs / 1000)} s: wait for it, or if it is gone, \`docker rm ${request.name}\``,
        { exitCode: 1 },
      );
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function lockHolder(
  context: CommandContext,
  name: string,
): Promise<{ owner: string; since: string } | undefined> {
  const { containers } = await inspectObjects(context, [name], { quiet: true });
  const labels = containers[0]?.labels;
  return labels ? { owner: labels[ownerLabel] ?? '', since: labels[sinceLabel] ?? '?' } : undefined;
}

function describeOwner(owner: string): string {
  const colon = owner.lastIndexOf(':');
  return colon === -1 ? owner : `pid ${owner.slice(colon + 1)} on ${owner.slice(0, colon)}`;
}

// Only a holder on this machine can be known to be gone: its pid answers no signal.
function isStaleHere(owner: string): boolean {
  const colon = owner.lastIndexOf(':');
  if (colon === -1 || owner.slice(0, colon) !== hostname()) return false;
  const pid = Number(owner.slice(colon + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
