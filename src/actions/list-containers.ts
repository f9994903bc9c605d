import { UserError } from '../errors.js';
import { listContainers, type ContainerSummary } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import type { ContainerScope } from '../project/container-scope.js';
import { findProjectRoot, loadProject } from '../project/project.js';

/** The scope flags ls-containers, logs-all and stats-all share. */
export interface ScopeRequest {
  /** `--all`: every container on the engine, not only the project's. */
  readonly all?: boolean;
  /** `--image NAME`: only containers of this project image. */
  readonly image?: string;
  /** `-a`: include stopped containers. */
  readonly includeStopped?: boolean;
}

/**
 * The project's containers inside a project, every container with --all or outside one.
 * --image needs a project, since the image label is only meaningful within one.
 */
export function resolveContainerScope(context: CommandContext, request: ScopeRequest): ContainerScope {
  const includeStopped = Boolean(request.includeStopped);
  if (request.all && request.image === undefined) return { includeStopped };
  let projectName: string | undefined;
  try {
    findProjectRoot(context.cwd);
    projectName = loadProject(context.cwd, context.env).name;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (request.image !== undefined) throw new UserError(`--image ${request.image}: ${error.message}`);
  }
  return { project: projectName, image: request.image, includeStopped };
}

/** ls-containers: the containers of a scope, as docker ps reports them. */
export async function listScopeContainers(context: CommandContext, request: ScopeRequest): Promise<ContainerSummary[]> {
  return listContainers(context, resolveContainerScope(context, request));
}
