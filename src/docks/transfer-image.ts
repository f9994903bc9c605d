import { UserError } from '../errors.js';
import { anyExitCode, runDocker, type CommandContext } from '../docker/exec.js';
import { imageStreamCommands, streamImageOverSsh, type StreamProgress } from '../docker/image-stream.js';
import { imageDesignation, loadProject, runnableImages } from '../project/project.js';
import { dockCommandContext, dockDestination, probeEngineOverSsh } from './dock-actions.js';
import { describeDestination, sshDestinationArgs } from './ssh-destination.js';

/** What transfer-image did. */
export interface TransferResult {
  readonly reference: string;
  readonly imageId: string;
  readonly bytes: number;
  readonly elapsedMs: number;
}

/** A project image name (`dev`) as its reference, inside a project; anything else is a reference already. */
export function resolveImageReference(cwd: string, env: NodeJS.ProcessEnv, image: string): string {
  let project;
  try {
    project = loadProject(cwd, env);
  } catch {
    return image;
  }
  return runnableImages(project).includes(image) ? imageDesignation(project, image).reference : image;
}

/**
 * transfer-image IMAGE DOCK: streams the image from the current engine to the dock, then checks that
 * the dock has it under the same id. Nothing half-loaded is reported as success.
 */
export async function transferImage(
  context: CommandContext,
  request: { image: string; dock: string; onProgress: (progress: StreamProgress) => void },
): Promise<TransferResult> {
  const reference = resolveImageReference(context.cwd, context.env, request.image);
  const dock = dockCommandContext(context, request.dock);
  const destination = dockDestination(context, request.dock);
  const commands = imageStreamCommands(context, reference, sshDestinationArgs(destination));
  if (context.dryRun) {
    await streamImageOverSsh(context, dock, commands, 0, request.onProgress);
    return { reference, imageId: '', bytes: 0, elapsedMs: 0 };
  }

  const local = await runDocker(context, ['image', 'inspect', '--format', '{{.Id}} {{.Size}}', reference], {
    quiet: true,
    acceptExitCode: anyExitCode,
  });
  if (local.exitCode !== 0) {
    throw new UserError(
      `image ${reference} is not on the local engine: build it first (build-image ${request.image}) or name an image \`docker image ls\` shows`,
      { exitCode: 1 },
    );
  }
  const [imageId = '', size = '0'] = local.stdout.trim().split(' ');

  // Also opens the shared connection the stream then rides on.
  const probe = await probeEngineOverSsh(dock, destination, false);
  if (probe.problem)
    throw new UserError(`cannot transfer to ${request.dock}: ${probe.problem.message}: ${probe.problem.fix}`, {
      exitCode: 1,
    });

  const started = performance.now();
  let bytes = 0;
  await streamImageOverSsh(context, dock, commands, Number(size), (progress) => {
    bytes = progress.bytes;
    request.onProgress(progress);
  });
  const elapsedMs = performance.now() - started;

  const remote = await runDocker({ ...dock, dryRun: false }, ['image', 'inspect', '--format', '{{.Id}}', reference], {
    acceptExitCode: anyExitCode,
  });
  const remoteId = remote.stdout.trim();
  if (remote.exitCode !== 0 || remoteId !== imageId) {
    throw new UserError(
      `the dock ${request.dock} (${describeDestination(destination)}) does not have ${reference} with id ${imageId} after the load (it has ${remoteId || 'none'})`,
      { exitCode: 1 },
    );
  }
  return { reference, imageId, bytes, elapsedMs };
}
