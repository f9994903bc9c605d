import { listContainers, type ContainerSummary } from '../docker/containers.js';
import { inspectImages, type ImageDetails } from '../docker/image-inspect.js';
import { imageDesignation, loadProject } from '../project/project.js';
import { imageLabel } from '../project/run-settings.js';
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
  const images: DesignatedImage[] = [
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
  const details = await inspectImages(context, [...new Set(images.map((image) => image.reference))]);
  const containers = await listContainers(context, { project: project.name, includeStopped: true });
  return projectImageRows(images, details, containers);
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
