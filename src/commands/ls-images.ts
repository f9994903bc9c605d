import { listContainers, type ContainerSummary } from '../docker/containers.js';
import { inspectImages, listEngineImages, type ImageDetails } from '../docker/image-inspect.js';
import { UserError } from '../errors.js';
import { containersUsingImage } from '../lifecycle/image-users.js';
import { findProjectRoot, imageDesignation, loadProject, type Project } from '../project/project.js';
import { imageLabel } from '../project/run-settings.js';
import { dockFailures, expandDocks, onEachDock } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** One image of the project as ls-images shows it. */
export interface ProjectImageRow {
  /** The cfg section / docker/ sub-folder. */
  readonly image: string;
  /** `buildable` (docker/IMAGE/Dockerfile) or `synthetic` (run-only, [run_image] synthetic_images). */
  readonly kind: 'buildable' | 'synthetic';
  readonly reference: string;
  readonly built: boolean;
  readonly id?: string;
  readonly sizeBytes?: number;
  readonly created?: string;
  /** When built: its `org.opencontainers.image.version` label (build-image's git version), or null. */
  readonly version?: string | null;
  /** Names of the containers (any state) run from this image. */
  readonly containers: string[];
}

/** An image of the project with the reference its conventions give it. */
export interface DesignatedImage {
  readonly image: string;
  readonly kind: 'buildable' | 'synthetic';
  readonly reference: string;
}

/** ls-images: every image of the project, built or not, with its details and containers. */
export async function listProjectImages(session: CommandSession): Promise<ProjectImageRow[]> {
  const context = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  const images = designatedImages(project);
  const details = await inspectImages(context, [...new Set(images.map((image) => image.reference))]);
  const containers = await listContainers(context, { project: project.name, includeStopped: true });
  return projectImageRows(images, details, containers);
}

/** One name of an image of the engine, as `ls-images --all` shows it. */
export interface EngineImageRow {
  /** `name:tag`, or null for an image without a name. */
  readonly reference: string | null;
  readonly id: string;
  readonly sizeBytes: number;
  /** ISO 8601, as docker reports it. */
  readonly created: string;
  /** The project image this reference is (its cfg section), or null. */
  readonly image: string | null;
  /** Names of the containers (any state) run from the image. */
  readonly containers: string[];
}

/** ls-images --all: every image of the engine, a row per name, the project's marked; works outside a project too. */
export async function listAllImages(session: CommandSession): Promise<EngineImageRow[]> {
  const context = engineContext(session);
  const project = projectAround(session);
  const images = project ? designatedImages(project) : [];
  const details = await listEngineImages(context);
  const containers = await listContainers(context, { includeStopped: true });
  return engineImageRows(images, details, containers);
}

/** A row per name of each image (one for a nameless image), with the project image it is and its containers. */
export function engineImageRows(
  images: readonly DesignatedImage[],
  details: readonly ImageDetails[],
  containers: readonly ContainerSummary[],
): EngineImageRow[] {
  return details.flatMap((detail) => {
    const using = containersUsingImage(detail, containers).map((container) => container.name);
    const references = detail.tags.length > 0 ? detail.tags : [null];
    return references.map((reference) => ({
      reference,
      id: detail.id,
      sizeBytes: detail.sizeBytes,
      created: detail.created,
      // A buildable image first: a synthetic one shares its reference.
      image: images.find((image) => image.reference === reference)?.image ?? null,
      containers: using,
    }));
  });
}

// Outside a project there is nothing to mark; a project with a broken cfg is still an error.
function projectAround(session: CommandSession): Project | undefined {
  try {
    findProjectRoot(session.cwd);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
  return loadProject(session.cwd, session.env);
}

function designatedImages(project: Project): DesignatedImage[] {
  return [
    ...project.buildableImages.map((image) => ({
      image,
      kind: 'buildable' as const,
      reference: imageDesignation(project, image).reference,
    })),
    ...project.syntheticImages.map((image) => ({
      image,
      kind: 'synthetic' as const,
      reference: imageDesignation(project, image).reference,
    })),
  ];
}

/** Joins the project's images with what the engine has: details when built, and their containers. */
export function projectImageRows(
  images: readonly DesignatedImage[],
  details: readonly ImageDetails[],
  containers: readonly ContainerSummary[],
): ProjectImageRow[] {
  return images.map(({ image, kind, reference }) => {
    const found = details.find((detail) => detail.tags.includes(reference));
    const using = containers
      .filter((container) => container.labels[imageLabel] === image)
      .map((container) => container.name);
    const row = { image, kind, reference, containers: using };
    return found
      ? {
          ...row,
          built: true,
          id: found.id,
          sizeBytes: found.sizeBytes,
          created: found.created,
          version: found.version,
        }
      : { ...row, built: false };
  });
}

/** ls-images on several docks at once: each dock's rows, with the dock, and the docks that failed. */
export async function listProjectImagesOnDocks(
  session: CommandSession,
  dockNames: readonly string[],
): Promise<{ rows: (ProjectImageRow & { dock: string })[]; failures: { dock: string; failure: string }[] }> {
  const docks = await expandDocks(session, dockNames);
  const outcomes = await onEachDock(session, docks, (dockSession) => listProjectImages(dockSession));
  return {
    rows: outcomes.flatMap((outcome) =>
      'result' in outcome ? outcome.result.map((row) => ({ dock: outcome.dock, ...row })) : [],
    ),
    failures: dockFailures(outcomes),
  };
}
