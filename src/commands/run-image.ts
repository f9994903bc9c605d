import { createContainer, runContainer } from '../docker/containers.js';
import { UserError } from '../errors.js';
import { loadProject, requireImage, runnableImages } from '../project/project.js';
import { replicateRunSettings } from '../project/replicas.js';
import { resolveRunSettings, type RunRequest, type RunSettings } from '../project/run-settings.js';
import { engineContext, type CommandSession } from './session.js';

/** run-image's request, less what the engine target decides. */
export interface RunImageRequest extends Omit<RunRequest, 'docked'> {
  /** `--count N`: N detached containers named `<user>_<image>_<n>`, host ports stepped by one. */
  readonly count?: number;
  /** `--port-base P`: the first container's first host port. */
  readonly portBase?: number;
  /** `--create-only`: docker create, not run; start-containers starts them. */
  readonly createOnly?: boolean;
}

/**
 * run-image: runs a container of a project image as the cfg describes (or creates it, or N of
 * them); resolves with the settings of each container, in order.
 */
export async function runImage(session: CommandSession, request: RunImageRequest): Promise<RunSettings[]> {
  const context = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  requireImage(project, request.image, runnableImages(project));
  const { count, portBase, createOnly, ...runRequest } = request;
  // Several containers of one image only make sense in the background: they would run one after another.
  if (count !== undefined && count > 1 && !runRequest.keep && !createOnly) {
    throw new UserError(`--count ${count} runs several containers side by side: add -k (detached) or --create-only`);
  }
  const settings = resolveRunSettings(project, {
    ...runRequest,
    keep: runRequest.keep || createOnly,
    docked: context.target.remote,
  });
  const replicas = replicateRunSettings(settings, {
    count,
    portBase,
    nameStem: request.containerName,
    user: project.user,
  });
  for (const replica of replicas) {
    if (createOnly) await createContainer(context, replica);
    else await runContainer(context, replica);
  }
  return replicas;
}
