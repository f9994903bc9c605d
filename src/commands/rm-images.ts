import { listContainers } from '../docker/containers.js';
import { inspectImages } from '../docker/image-inspect.js';
import { removeEachImage } from '../docker/images.js';
import { imagesToRemove } from '../project/build-plan.js';
import { containersUsingImage } from '../lifecycle/image-users.js';
import { loadProject } from '../project/project.js';
import { engineContext, type CommandSession } from './session.js';

/** What rm-images was asked. */
export interface RemoveImagesRequest {
  /** Buildable images of the project (docker/ sub-folders). */
  readonly images: readonly string[];
  /** `--force`: remove an image even when containers use it (`docker image rm -f`). */
  readonly force: boolean;
}

/** What rm-images did. */
export interface RemoveImagesResult {
  /** References removed (all that would be, in a dry run). */
  readonly removed: string[];
  /** References the engine does not have: nothing to do. */
  readonly absent: string[];
  /** References refused (used by containers) or that docker could not remove, each with its reason. */
  readonly failures: { readonly target: string; readonly reason: string }[];
}

/**
 * rm-images: removes some of the project's images and their builder images in one docker call. An
 * image a container of any state uses is refused, naming the containers, unless `force`: docker then
 * untags it (a running container keeps the image) or deletes it (a stopped one keeps its layers).
 */
export async function removeProjectImages(
  session: CommandSession,
  request: RemoveImagesRequest,
): Promise<RemoveImagesResult> {
  const project = loadProject(session.cwd, session.env);
  const references = imagesToRemove(project, request.images);
  const context = engineContext(session);
  const details = await inspectImages(context, references, { quiet: true });
  const containers = request.force ? [] : await listContainers(context, { includeStopped: true }, { quiet: true });
  const absent: string[] = [];
  const failures: { target: string; reason: string }[] = [];
  const wanted: string[] = [];
  for (const reference of references) {
    const image = details.find((detail) => detail.tags.includes(reference));
    if (image === undefined) {
      absent.push(reference);
      continue;
    }
    const users = containersUsingImage(image, containers).map((container) => container.name);
    if (users.length === 0) wanted.push(reference);
    else
      failures.push({
        target: reference,
        reason: `${reference} is used by ${users.length === 1 ? 'container' : 'containers'} ${users.join(', ')}: remove ${users.length === 1 ? 'it' : 'them'} first (rm-containers ${users.join(' ')}), or add --force to remove the image anyway`,
      });
  }
  if (wanted.length === 0) return { removed: [], absent, failures };
  const removal = await removeEachImage(context, wanted, { force: request.force });
  return { removed: removal.removed, absent, failures: [...failures, ...removal.failures] };
}
