import { runContainerVerb } from '../docker/container-lifecycle.js';
import { listContainers } from '../docker/containers.js';
import { UserError } from '../errors.js';
import {
  planContainerChange,
  type ContainerVerb,
  containerVerbs,
  type SkippedTarget,
} from '../lifecycle/container-verbs.js';
import { resolveContainerScope, type ContainerScope } from '../project/container-scope.js';
import { findProjectRoot } from '../project/project.js';
import { dockFailures, expandDocks, onEachDock } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** What a lifecycle command was asked. */
export interface ChangeContainersRequest {
  readonly verb: ContainerVerb;
  /** Container names or id prefixes; empty means the scope's containers. */
  readonly targets: readonly string[];
  /** `--image`: only this project image's containers. */
  readonly image?: string;
  /** `--all`: every container of the engine, not only this project's. */
  readonly all?: boolean;
  readonly force?: boolean;
  readonly timeoutSeconds?: number;
}

/** What a lifecycle command did. */
export interface ChangeContainersResult {
  /** Containers the docker command changed (all of them in a dry run: none ran). */
  readonly done: string[];
  /** Targets not found, refused, or that docker failed on, each with its reason. */
  readonly failures: SkippedTarget[];
  /** The scope the default selection came from, when no targets were given. */
  readonly scope?: ContainerScope;
}

/**
 * start/stop/restart/rm/pause/unpause-containers: one docker command for every container meant,
 * after reporting the targets that do not exist (or rm's running ones without --force).
 */
export async function changeContainers(
  session: CommandSession,
  request: ChangeContainersRequest,
): Promise<ChangeContainersResult> {
  const spec = containerVerbs[request.verb];
  const named = request.targets.length > 0;
  if (named && (request.image !== undefined || request.all)) {
    throw new UserError(`${spec.commandName}: give container names or --image/--all, not both`);
  }
  // Outside a project "no names" must not mean every container of the engine: that takes --all.
  if (!named && !request.all) findProjectRoot(session.cwd);
  const context = engineContext(session);
  const scope = named
    ? { includeStopped: true }
    : resolveContainerScope(session.cwd, session.env, { all: request.all, image: request.image, includeStopped: true });
  const containers = await listContainers(context, scope, { quiet: true });
  const plan = planContainerChange(spec, { targets: request.targets, force: Boolean(request.force) }, containers);
  if (plan.names.length === 0) return { done: [], failures: plan.skipped, scope: named ? undefined : scope };
  const outcome = await runContainerVerb(context, request.verb, plan.names, {
    force: request.force,
    timeoutSeconds: request.timeoutSeconds,
  });
  return {
    done: context.dryRun ? plan.names : outcome.done,
    failures: [...plan.skipped, ...outcome.failures],
    scope: named ? undefined : scope,
  };
}

/** A lifecycle command on several docks at once: each dock's outcome, and the docks that failed. */
export async function changeContainersOnDocks(
  session: CommandSession,
  dockNames: readonly string[],
  request: ChangeContainersRequest,
): Promise<{
  results: { dock: string; result: ChangeContainersResult }[];
  failures: { dock: string; failure: string }[];
}> {
  const docks = await expandDocks(session, dockNames);
  const outcomes = await onEachDock(session, docks, (dockSession) => changeContainers(dockSession, request));
  return {
    results: outcomes.flatMap((outcome) => ('result' in outcome ? [outcome] : [])),
    failures: dockFailures(outcomes),
  };
}
