/** Hears the containers this process is about to change: names, or id prefixes as the user gave them. */
export type ContainerChangeListener = (targets: readonly string[]) => void;

const listeners = new Set<ContainerChangeListener>();

/**
 * Tells the listeners which containers a docker command of this process is about to change, so that
 * the shell can tell the deaths it caused from those caused by others.
 */
export function announceContainerChange(targets: readonly string[]): void {
  for (const listener of listeners) listener(targets);
}

/** Listens to the containers this process changes until the returned function is called. */
export function listenToContainerChanges(listener: ContainerChangeListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
