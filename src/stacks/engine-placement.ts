import type { StackImage } from './stack-definition.js';

/** The engine a group of stack images runs on: a dock of a section's `docks`, or the command's own engine. */
export interface EnginePlacement {
  /** The dock's name, or undefined for the engine the command targets (`--dock`, or the active one). */
  readonly dock?: string;
  /** The images whose containers run there, in the order given. */
  readonly images: readonly string[];
}

/**
 * Where each image's containers run: on each dock of its section's `docks`, or else on the command's
 * engine. The command's own engine comes first, then the docks in name order.
 */
export function placeImages(stackImages: readonly StackImage[], images: readonly string[]): EnginePlacement[] {
  const byImage = new Map(stackImages.map((image) => [image.image, image]));
  const placements = new Map<string | undefined, string[]>();
  for (const image of images) {
    for (const dock of byImage.get(image)?.docks?.names ?? [undefined]) {
      const list = placements.get(dock) ?? [];
      list.push(image);
      placements.set(dock, list);
    }
  }
  return [...placements.entries()]
    .sort(([a], [b]) => (a === undefined ? -1 : b === undefined ? 1 : a.localeCompare(b)))
    .map(([dock, placed]) => ({ ...(dock === undefined ? {} : { dock }), images: placed }));
}
