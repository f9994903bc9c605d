import { attachContainer } from '../docker/container-output.js';
import { listContainers } from '../docker/containers.js';
import { inspectContainerState } from '../docker/engine-api.js';
import { configuredDetachKeys } from '../docks/engine-target.js';
import { UserError } from '../errors.js';
import { namedContainer } from '../lifecycle/container-verbs.js';
import { engineContext, type CommandSession } from './session.js';

/** docker's own detach keys, when neither the user nor the CLI's config.json chose others. */
export const defaultDetachKeys = 'ctrl-p,ctrl-q';

/** What attach-container was asked. */
export interface AttachRequest {
  /** A container name or id prefix. */
  readonly container: string;
  /** `--detach-keys`; default: the docker CLI config's `detachKeys`, else ctrl-p,ctrl-q. */
  readonly detachKeys?: string;
  /** Keys can only be typed, and input sent, from a terminal. */
  readonly stdinIsTerminal: boolean;
}

/** Told just before the terminal is handed to the container. */
export interface AttachReporter {
  attaching(name: string, detachKeys: string, withInput: boolean): void;
}

/** How an attachment ended. */
export interface AttachOutcome {
  readonly name: string;
  /** 0 when detached; the container's exit code when it ended. */
  readonly exitCode: number;
  /** The detach keys were typed: the container goes on running. */
  readonly detached: boolean;
}

/**
 * attach-container: hands the terminal to a running container (`docker attach`) until the detach keys
 * are typed or the container ends. An unknown container is a usage error naming the closest one; one
 * that is not running says how to start it.
 */
export async function attachToContainer(
  session: CommandSession,
  request: AttachRequest,
  reporter: AttachReporter,
): Promise<AttachOutcome> {
  const context = engineContext(session);
  const containers = await listContainers(context, { includeStopped: true }, { quiet: true });
  const container = namedContainer(request.container, containers);
  const { name, state } = container;
  if (state === 'paused') throw new UserError(`${name} is paused: unpause-containers ${name} first`, { exitCode: 1 });
  if (state !== 'running')
    throw new UserError(`${name} is ${state}, not running: start-containers ${name} first`, { exitCode: 1 });
  const detachKeys = request.detachKeys ?? configuredDetachKeys(session.env) ?? defaultDetachKeys;
  const withInput = request.stdinIsTerminal;
  if (!session.dryRun) reporter.attaching(name, detachKeys, withInput);
  const exitCode = await attachContainer(context, name, { detachKeys, withInput });
  if (exitCode === 0 || session.dryRun) return { name, exitCode, detached: false };
  // docker attach exits 1 when the detach keys are typed, as when the container ends with 1: a
  // container still running was left on purpose.
  const after = await inspectContainerState(context, container.id);
  return after.running ? { name, exitCode: 0, detached: true } : { name, exitCode, detached: false };
}
