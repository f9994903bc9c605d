import { runContainerVerb } from '../docker/container-lifecycle.js';
import { listContainers } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import { UserError } from '../errors.js';
import {
  planContainerChange,
  type ContainerVerb,
  containerVerbs,
  type SkippedTarget,
} from '../lifecycle/container-verbs.js';
import type { ContainerScope } from '../project/container-scope.js';
import { loadProject, requireImage, runnableImages } from '../project/project.js';

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
  context: CommandContext,
  request: ChangeContainersRequest,
): Promise<ChangeContainersResult> {
  const spec = containerVerbs[request.verb];
  if (request.targets.length > 0 && (request.image !== undefined || request.all)) {
    throw new UserError(`${spec.commandName}: give container names or --image/--all, not both`);
  }
  const scope = request.targets.length > 0 ? { includeStopped: true } : containerScope(context, request);
  const containers = await listContainers(context, { ...scope, includeStopped: true }, { quiet: true });
  const plan = planContainerChange(spec, { targets: request.targets, force: Boolean(request.force) }, containers);
  if (plan.names.length === 0)
    return { done: [], failures: plan.skipped, scope: request.targets.length > 0 ? undefined : scope };
  const outcome = await runContainerVerb(context, request.verb, plan.names, {
    force: request.force,
    timeoutSeconds: request.timeoutSeconds,
  });
  return {
    done: context.dryRun ? plan.names : outcome.done,
    failures: [...plan.skipped, ...outcome.failures],
    scope: request.targets.length > 0 ? undefined : scope,
  };
}

function containerScope(context: CommandContext, request: ChangeContainersRequest): ContainerScope {
  if (request.all) {
    if (request.image !== undefined) throw new UserError('--image selects a project image: it does not go with --all');
    return { includeStopped: true };
  }
  const project = loadProject(context.cwd, context.env);
  if (request.image !== undefined) requireImage(project, request.image, runnableImages(project));
  return { project: project.name, image: request.image, includeStopped: true };
}
