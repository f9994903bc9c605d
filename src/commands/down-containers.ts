import { removeNetworkIfUnused } from '../docker/networks.js';
import { inspectObjects } from '../docker/object-inspect.js';
import { listLabelledContainerIds, removeContainers } from '../docker/stack-containers.js';
import { listLabelledVolumes, removeVolumes, type RemovedVolumes } from '../docker/volumes.js';
import { imageLabel, projectLabel } from '../project/run-settings.js';
import { dependencyLayers } from '../stacks/dependency-graph.js';
import { namedVolumesOf } from '../stacks/stack-definition.js';
import { stackLabel, stackName, stackNetworkName } from '../stacks/stack-names.js';
import {
  loadProjectStack,
  requestedImages,
  stackEngines,
  type ProjectStack,
  type StackEngine,
} from './stack-engines.js';
import type { CommandSession } from './session.js';
import { stopInSmallGroups } from './up-containers.js';

/** What down-containers was asked. */
export interface DownContainersRequest {
  /** The images whose containers go; none: the whole stack, its network too. */
  readonly images: readonly string[];
  /** `--volumes`: remove the project's named volumes too. */
  readonly volumes?: boolean;
}

/** What down-containers did on one engine. */
export interface EngineTakedown {
  readonly engine: string;
  /** Whether lines about this engine name it: the stack spans docks. */
  readonly named: boolean;
  /** The containers removed, in the order they went. */
  readonly removed: readonly string[];
  /** The stack network, when it was removed. */
  readonly networkRemoved?: string;
  readonly volumesRemoved: readonly string[];
  /** Volumes still in use (by another user's stack, a container started by hand), with docker's reason. */
  readonly volumesKept: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * down-containers: stops and removes the stack's containers (or those of the named images) in
 * reverse dependency order, a few at a time; then the stack network when nothing is on it any more,
 * and with `--volumes` the named volumes. Each engine of the stack in parallel.
 */
export async function downContainers(
  session: CommandSession,
  request: DownContainersRequest,
): Promise<EngineTakedown[]> {
  const stack = loadProjectStack(session);
  const images = requestedImages(stack, request.images);
  const everything = request.images.length === 0;
  const engines = stackEngines(session, stack, everything ? stack.stackImages.map((image) => image.image) : images);
  const named = engines.length > 1 || engines.some((engine) => engine.name !== 'local');
  return Promise.all(engines.map((engine) => takeDown(stack, engine, images, everything, named, request)));
}

async function takeDown(
  stack: ProjectStack,
  engine: StackEngine,
  images: readonly string[],
  everything: boolean,
  named: boolean,
  request: DownContainersRequest,
): Promise<EngineTakedown> {
  const { project } = stack;
  const { context } = engine;
  const stackId = stackName(project.name, project.user);
  const ids = await listLabelledContainerIds(context, `${stackLabel}=${stackId}`);
  const { containers } = await inspectObjects(context, ids);
  const ours = containers.filter((container) => container.labels[stackLabel] === stackId);
  const chosen = ours.filter((container) => everything || images.includes(container.labels[imageLabel] ?? ''));
  // Dependents first: reverse dependency order, containers of images the cfg no longer has before all.
  const layers = dependencyLayers(stack.graph).reverse();
  const rank = (image: string): number => {
    const index = layers.findIndex((layer) => layer.includes(image));
    return index === -1 ? -1 : index;
  };
  const groups = new Map<number, string[]>();
  for (const container of chosen) {
    const key = rank(container.labels[imageLabel] ?? '');
    groups.set(key, [...(groups.get(key) ?? []), container.name]);
  }
  const removed: string[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const names = groups.get(key)!.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    for (const name of context.dryRun ? names : []) context.echo(`# remove ${name}${named ? ` @${engine.name}` : ''}`);
    await stopInSmallGroups(context, names);
    await removeContainers(context, names);
    removed.push(...names);
  }
  const network = stackNetworkName(project.name, project.user);
  const removeNetwork = async (): Promise<string | undefined> =>
    (everything || chosen.length === ours.length) && (await removeNetworkIfUnused(context, network))
      ? network
      : undefined;
  const removeNamedVolumes = async (): Promise<RemovedVolumes> => {
    if (!request.volumes) return { removed: [], kept: [] };
    const docked = context.target.remote;
    const volumes = new Set(
      (everything ? engine.cfgImages : images).flatMap((image) => namedVolumesOf(project, image, docked)),
    );
    if (everything)
      for (const volume of await listLabelledVolumes(context, `${projectLabel}=${project.name}`)) volumes.add(volume);
    return removeVolumes(context, [...volumes].sort());
  };
  // With the containers gone, the network and the volumes need nothing of each other (a dry run prints them in order).
  const [networkRemoved, { removed: volumesRemoved, kept: volumesKept }] = context.dryRun
    ? [await removeNetwork(), await removeNamedVolumes()]
    : await Promise.all([removeNetwork(), removeNamedVolumes()]);
  return {
    engine: engine.name,
    named,
    removed: context.dryRun ? [] : removed,
    ...(networkRemoved === undefined ? {} : { networkRemoved }),
    volumesRemoved,
    volumesKept,
  };
}
