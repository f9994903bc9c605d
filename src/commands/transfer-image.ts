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
  // A dock not reached over ssh is refused before anything runs.
  sshDestinationOf(target);
  if (context.dryRun) {
    await sendImage(
      context,
      { name: request.dock, context: dock },
      reference,
      { id: '', sizeBytes: 0 },
      request.onProgress,
    );
    return { reference, imageId: '', bytes: 0, elapsedMs: 0 };
  }

  const local = await inspectImageIdAndSize(context, reference);
  if (local === undefined) {
    throw new UserError(
      `image ${reference} is not on the local engine: build it first (build-image ${request.image}) or name an image \`docker image ls\` shows`,
      { exitCode: 1 },
    );
  }

  const sent = await sendImage(context, { name: request.dock, context: dock }, reference, local, request.onProgress);
  return { reference, imageId: local.id, ...sent };
}

/**
 * Streams an image the source engine has (`local`: its id and size) to a dock reached over ssh and
 * checks that the dock then has it under the same id; the dock is probed first, so an unreachable
 * one fails before anything is sent.
 */
export async function sendImage(
  source: CommandContext,
  dock: { readonly name: string; readonly context: CommandContext },
  reference: string,
  local: { readonly id: string; readonly sizeBytes: number },
  onProgress: (progress: TransferProgress) => void,
): Promise<{ bytes: number; elapsedMs: number }> {
  const destination = sshDestinationOf(dock.context.target);
  const commands = imageStreamCommands(source, reference, sshDestinationArgs(destination));
  if (source.dryRun) {
    await streamImageOverSsh(source, dock.context, commands, 0, onProgress);
    return { bytes: 0, elapsedMs: 0 };
  }
  // Also opens the shared connection the stream then rides on.
  const probe = await probeEngineOverSsh(dock.context, destination, false);
  if (probe.problem) {
    throw new UserError(`cannot transfer to ${dock.name}: ${probe.problem.message}: ${probe.problem.fix}`, {
      exitCode: 1,
    });
  }

  const started = performance.now();
  let bytes = 0;
  await streamImageOverSsh(source, dock.context, commands, local.sizeBytes, (progress) => {
    bytes = progress.bytes;
    onProgress(progress);
  });
  const elapsedMs = performance.now() - started;

  const remote = await inspectImageIdAndSize(dock.context, reference);
  if (remote?.id !== local.id) {
    throw new UserError(
      `the dock ${dock.name} (${describeDestination(destination)}) does not have ${reference} with id ${local.id} after the load (it has ${remote?.id ?? 'none'})`,
      { exitCode: 1 },
    );
  }
  return { bytes, elapsedMs };
}
