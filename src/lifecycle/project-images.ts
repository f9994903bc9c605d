import { formatSize } from '../byte-units.js';
import type { ContainerSummary } from '../docker/containers.js';
import type { ImageDetails } from '../docker/image-inspect.js';
import { formatTable } from '../monitor/container-table.js';
import { imageLabel } from '../project/run-settings.js';

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
  /** Names of the containers (any state) run from this image. */
  readonly containers: string[];
}

/** An image of the project with the reference its conventions give it. */
export interface DesignatedImage {
  readonly image: string;
  readonly kind: 'buildable' | 'synthetic';
  readonly reference: string;
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
      ? { ...row, built: true, id: found.id, sizeBytes: found.sizeBytes, created: found.created }
      : { ...row, built: false };
  });
}

/** ls-images' table: one line per image, `not built` where the engine has none. */
export function formatImageTable(rows: readonly ProjectImageRow[]): string {
  const header = ['IMAGE', 'REFERENCE', 'SIZE', 'CREATED', 'CONTAINERS'];
  const lines = rows.map((row) => [
    row.kind === 'synthetic' ? `${row.image} (synthetic)` : row.image,
    row.reference,
    row.sizeBytes === undefined ? 'not built' : formatSize(row.sizeBytes),
    row.created === undefined ? '-' : formatCreated(row.created),
    row.containers.length === 0 ? '-' : row.containers.join(', '),
  ]);
  return formatTable(header, lines);
}

/** docker's creation time as `YYYY-MM-DD HH:MM` (UTC). */
export function formatCreated(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
