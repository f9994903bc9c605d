import { removeImages, buildImage, type RemovedImages } from '../docker/images.js';
import { runProgram, type CommandContext } from '../docker/exec.js';
import { CommandFailedError } from '../errors.js';
import { imagesToClean, planBuild, type BuildRequest, type BuildStep } from '../project/build-plan.js';
import { loadProject } from '../project/project.js';
import { engineContext, type CommandSession } from './session.js';

/** What build-image did. */
export type BuildImagesResult = { readonly built: readonly BuildStep[] } | { readonly cleaned: RemovedImages };

/**
 * build-image: builds one image (base first with -f), every image (`all`), or removes every image
 * of the project (`clean`). Builds run from the project root, which is the build context.
 */
export async function buildImages(session: CommandSession, request: BuildRequest): Promise<BuildImagesResult> {
  const project = loadProject(session.cwd, session.env);
  const atRoot: CommandContext = { ...engineContext(session), cwd: project.root };
  if (request.target === 'clean') return { cleaned: await removeImages(atRoot, imagesToClean(project, request)) };

  const steps = planBuild(project, request);
  for (const step of steps) {
    if (step.preBuildScript) await runBuildScript(atRoot, step.preBuildScript, 'pre_build_script');
    await buildImage(atRoot, step);
    if (step.postBuildScript) await runBuildScript(atRoot, step.postBuildScript, 'post_build_script');
  }
  return { built: steps };
}

// Build scripts are shell commands by definition, so they (and only they) go through `sh -c`.
async function runBuildScript(context: CommandContext, script: string, key: string): Promise<void> {
  try {
    await runProgram(context, 'sh', ['-c', script], { stdio: 'stderr' });
  } catch (error) {
    if (error instanceof CommandFailedError)
      throw new CommandFailedError(error.commandLine, error.exitCode, `${key} failed with exit code ${error.exitCode}`);
    throw error;
  }
}
