import type { ContainerSummary } from '../docker/containers.js';

/** An image as the engine knows it: its id and every name it has. */
export interface ImageIdentity {
  readonly id: string;
  readonly tags: readonly string[];
}

/**
 * The containers (any state) run from an image. `docker ps` names a container's image as it was
 * given (any of the image's names), or by id once that name has moved to another image.
 */
export function containersUsingImage(
  image: ImageIdentity,
  containers: readonly ContainerSummary[],
): ContainerSummary[] {
  const names = new Set(image.tags.map(normalizedReference));
  const hex = image.id.replace(/^sha256:/, '');
  return containers.filter((container) => {
    if (names.has(normalizedReference(container.image))) return true;
    const id = /^(sha256:)?(?<hex>[0-9a-f]{12,64})$/.exec(container.image)?.groups?.hex;
    return id !== undefined && hex.startsWith(id);
  });
}

// `busybox`, `library/busybox:latest` and `docker.io/library/busybox:latest` are one image name.
function normalizedReference(reference: string): string {
  const name = reference.replace(/^docker\.io\//, '').replace(/^library\//, '');
  return /:[^/]+$/.test(name) || name.includes('@') ? name : `${name}:latest`;
}
