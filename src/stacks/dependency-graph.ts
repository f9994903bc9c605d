import { UserError } from '../errors.js';

/** The images a stack image needs first: its `depends_on` and `uses`, by image name. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The first dependency cycle of a graph, as the path that closes it (`['web', 'api', 'web']`), or
 * undefined when there is none. Images are visited in name order, so the answer is stable.
 */
export function findCycle(graph: DependencyGraph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (image: string): string[] | undefined => {
    const seen = state.get(image);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...path.slice(path.indexOf(image)), image];
    state.set(image, 'visiting');
    path.push(image);
    for (const dependency of graph.get(image) ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(image, 'done');
    return undefined;
  };
  for (const image of [...graph.keys()].sort()) {
    const cycle = visit(image);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Throws a usage error naming the cycle (`web -> api -> web`) when the graph has one. */
export function requireAcyclic(graph: DependencyGraph): void {
  const cycle = findCycle(graph);
  if (cycle) throw new UserError(`dependency cycle: ${cycle.join(' -> ')} (depends_on and uses must not loop)`);
}

/** The named images and everything they depend on, directly or not, in dependency order. */
export function withDependencies(graph: DependencyGraph, images: readonly string[]): string[] {
  const wanted = new Set<string>();
  const add = (image: string): void => {
    if (wanted.has(image)) return;
    wanted.add(image);
    for (const dependency of graph.get(image) ?? []) add(dependency);
  };
  for (const image of images) add(image);
  return dependencyOrder(graph).filter((image) => wanted.has(image));
}

/**
 * Every image of an acyclic graph, each after all of its dependencies; ties in name order. Reverse
 * it to take a stack down.
 */
export function dependencyOrder(graph: DependencyGraph): string[] {
  return dependencyLayers(graph).flat();
}

/**
 * The images in layers: the first layer depends on nothing, each later one only on earlier layers.
 * Images of one layer are independent of each other.
 */
export function dependencyLayers(graph: DependencyGraph): string[][] {
  requireAcyclic(graph);
  const depth = new Map<string, number>();
  const depthOf = (image: string): number => {
    const known = depth.get(image);
    if (known !== undefined) return known;
    const dependencies = (graph.get(image) ?? []).filter((dependency) => graph.has(dependency));
    const value = dependencies.length === 0 ? 0 : Math.max(...dependencies.map(depthOf)) + 1;
    depth.set(image, value);
    return value;
  };
  const layers: string[][] = [];
  for (const image of [...graph.keys()].sort()) (layers[depthOf(image)] ??= []).push(image);
  return layers.filter((layer) => layer !== undefined);
}
