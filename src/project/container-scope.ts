import { UserError } from '../errors.js';
import { findProjectRoot, loadProject, requireImage, runnableImages } from './project.js';
import { imageLabel, projectLabel } from './run-settings.js';

/** Which containers a command acts on: the scope flags shared by ls-containers and its kin. */
export interface ContainerScope {
  /** The project whose containers are meant; undefined means every container (`--all`, or outside a project). */
  readonly project?: string;
  /** Only containers run from this image (cfg section) of the project. */
  readonly image?: string;
  /** Include stopped and created containers (`-a`). */
  readonly includeStopped: boolean;
  /** Only the task containers of this swarm service. */
  readonly service?: string;
}

/** The scope flags ls-containers, logs-all, stats-all and the lifecycle verbs share. */
export interface ScopeRequest {
  /** `--all`: every container on the engine, not only the project's. */
  readonly all?: boolean;
  /** `--image NAME`: only containers of this project image. */
  readonly image?: string;
  /** `-a`: include stopped containers. */
  readonly includeStopped?: boolean;
  /** `--service NAME`: the task containers of a swarm service, whichever project they are of. */
  readonly service?: string;
}

/**
 * The project's containers inside a project, every container with --all or outside one. --image
 * needs a project, since the image label is only meaningful within one, and must be one of its images.
 */
export function resolveContainerScope(cwd: string, env: NodeJS.ProcessEnv, request: ScopeRequest): ContainerScope {
  const includeStopped = Boolean(request.includeStopped);
  if (request.service !== undefined) {
    if (request.all || request.image !== undefined)
      throw new UserError('--service selects the tasks of one service: it does not go with --all or --image');
    return { includeStopped, service: request.service };
  }
  if (request.all && request.image !== undefined) {
    throw new UserError('--image selects a project image: it does not go with --all');
  }
  if (request.all) return { includeStopped };
  try {
    findProjectRoot(cwd);
  } catch (error) {
    if (request.image !== undefined && error instanceof UserError)
      throw new UserError(`--image ${request.image}: ${error.message}`);
    return { includeStopped };
  }
  const project = loadProject(cwd, env);
  if (request.image !== undefined) requireImage(project, request.image, runnableImages(project));
  return { project: project.name, image: request.image, includeStopped };
}

/** The label docker gives each task container of a swarm service: the service's name. */
export const serviceNameLabel = 'com.docker.swarm.service.name';
/** The label naming the swarm node a task container runs on (its id). */
export const serviceNodeLabel = 'com.docker.swarm.node.id';

/** The `docker ps` / `docker events` label filters that select a scope's containers. */
export function scopeLabelFilters(scope: ContainerScope): string[] {
  const filters: string[] = [];
  if (scope.project !== undefined) filters.push(`label=${projectLabel}=${scope.project}`);
  if (scope.image !== undefined) filters.push(`label=${imageLabel}=${scope.image}`);
  if (scope.service !== undefined) filters.push(`label=${serviceNameLabel}=${scope.service}`);
  return filters;
}
