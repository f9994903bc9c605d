import type { CommandContext } from '../docker/exec.js';
import { imageStreamCommands, streamImageOverSsh, type StreamProgress } from '../docker/image-stream.js';
import { inspectImageIdAndSize } from '../docker/images.js';
import { probeEngineOverSsh } from '../docks/dock-probe.js';
import { dockTarget, sshDestinationOf } from '../docks/engine-target.js';
import { describeDestination, sshDestinationArgs } from '../docker/ssh-destination.js';
import { UserError } from '../errors.js';
import { findProjectRoot, imageDesignation, loadProject, runnableImages } from '../project/project.js';
import { engineContext, type CommandSession } from './session.js';

/** How far a transfer has got, for a progress bar. */
export type TransferProgress = StreamProgress;

/** What transfer-image did. */
export interface TransferResult {
  readonly reference: string;
  readonly imageId: string;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/** A project image name (`dev`) as its reference, inside a project; anything else is a reference already. */
export function resolveImageReference(cwd: string, env: NodeJS.ProcessEnv, image: string): string {
  try {
    findProjectRoot(cwd);
  } catch (error) {
    if (error instanceof UserError) return image;
    throw error;
  }
  // Inside a project its cfg must read: a broken one is reported, not taken for "no such image".
  const project = loadProject(cwd, env);
  return runnableImages(project).includes(image) ? imageDesignation(project, image).reference : image;
}

/**
 * transfer-image IMAGE DOCK: streams the image from the current engine to the dock, then checks that
 * the dock has it under the same id. Nothing half-loaded is reported as success.
 */
export async function transferImage(
  session: CommandSession,
  request: { image: string; dock: string; onProgress: (progress: TransferProgress) => void },
): Promise<TransferResult> {
  const context = engineContext(session);
  const reference = resolveImageReference(session.cwd, session.env, request.image);
  const target = dockTarget(request.dock, session.env);
  const dock: CommandContext = { ...context, target };
  const destination = sshDestinationOf(target);
  const commands = imageStreamCommands(context, reference, sshDestinationArgs(destination));
  if (context.dryRun) {
    await streamImageOverSsh(context, dock, commands, 0, request.onProgress);
    return { reference, imageId: '', bytes: 0, elapsedMs: 0 };
  }

  const local = await inspectImageIdAndSize(context, reference);
  if (local === undefined) {
    throw new UserError(
      `image ${reference} is not on the local engine: build it first (build-image ${request.image}) or name an image \`docker image ls\` shows`,
      { exitCode: 1 },
    );
  }

  // Also opens the shared connection the stream then rides on.
  const probe = await probeEngineOverSsh(dock, destination, false);
  if (probe.problem) {
    throw new UserError(`cannot transfer to ${request.dock}: ${probe.problem.message}: ${probe.problem.fix}`, {
      exitCode: 1,
    });
  }

  const started = performance.now();
  let bytes = 0;
  await streamImageOverSsh(context, dock, commands, local.sizeBytes, (progress) => {
    bytes = progress.bytes;
    request.onProgress(progress);
  });
  const elapsedMs = performance.now() - started;

  const remote = await inspectImageIdAndSize(dock, reference);
  if (remote?.id !== local.id) {
    throw new UserError(
      `the dock ${request.dock} (${describeDestination(destination)}) does not have ${reference} with id ${local.id} after the load (it has ${remote?.id ?? 'none'})`,
      { exitCode: 1 },
    );
  }
  return { reference, imageId: local.id, bytes, elapsedMs };
}
