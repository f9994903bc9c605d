import { runContainer } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import { loadProject, requireImage, runnableImages } from '../project/project.js';
import { resolveRunSettings, type RunRequest, type RunSettings } from '../project/run-settings.js';

/** run-image's request, less what the engine target decides. */
export type RunImageRequest = Omit<RunRequest, 'docked'>;

/** run-image: runs a container of a project image as the cfg describes; resolves with its settings. */
export async function runImage(context: CommandContext, request: RunImageRequest): Promise<RunSettings> {
  const project = loadProject(context.cwd, context.env);
  requireImage(project, request.image, runnableImages(project));
  const settings = resolveRunSettings(project, { ...request, docked: context.target.remote });
  await runContainer(context, settings);
  return settings;
}
