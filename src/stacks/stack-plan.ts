import type { InspectedContainer } from '../docker/object-inspect.js';
import { describeSettingsChanges, shortImageId } from './config-hash.js';
import type { DesiredContainer } from './stack-definition.js';

/** A container of the stack as the engine shows it (`docker inspect`), with the cfg it was made from. */
export interface ObservedContainer extends InspectedContainer {
  readonly configHash?: string;
  readonly settings?: Readonly<Record<string, string>>;
}

/** A container the cfg asks for, with what the engine must match. */
export interface DesiredState {
  readonly container: DesiredContainer;
  readonly configHash: string;
  readonly settings: Readonly<Record<string, string>>;
  /** The network the section names (`network`), when it is not the stack's; checked like it. */
  readonly sectionNetwork?: string;
}

/** What an engine has of the things a stack refers to. */
export interface ObservedEngine {
  readonly containers: readonly ObservedContainer[];
  /** Image reference → the id it points to now; absent when the engine has no such image. */
  readonly imageIds: ReadonlyMap<string, string>;
  /** Network name → id. */
  readonly networks: ReadonlyMap<string, string>;
  readonly volumes: ReadonlySet<string>;
}

/** What up-containers does with one container. */
export type ContainerAction = 'unchanged' | 'create' | 'start' | 'recreate';

/** One container's action and why. */
export interface ContainerStep {
  readonly desired: DesiredState;
  readonly action: ContainerAction;
  readonly reasons: readonly string[];
  readonly observed?: ObservedContainer;
}

/** What up-containers does on one engine. */
export interface EnginePlan {
  readonly networksToCreate: readonly string[];
  readonly volumesToCreate: readonly string[];
  /** In dependency order. */
  readonly steps: readonly ContainerStep[];
  /** Containers of the stack that the cfg no longer has, with why each is one. */
  readonly orphans: readonly { readonly container: ObservedContainer; readonly reason: string }[];
}

/**
 * Decides, for each desired container (given in dependency order), whether it is unchanged, must be
 * created, started, or recreated, and why. Out of date means: the image its reference points to is
 * another one now, the config hash differs, a container it `uses` is recreated (or was, after it), or
 * a network it should be on is gone. `expectedNames` are every container the whole cfg has on this
 * engine: the stack's other containers are orphans.
 */
export function planEngine(
  desired: readonly DesiredState[],
  observed: ObservedEngine,
  expectedNames: ReadonlySet<string>,
): EnginePlan {
  const byName = new Map(observed.containers.map((container) => [container.name, container]));
  const steps: ContainerStep[] = [];
  const replaced = new Set<string>();
  for (const state of desired) {
    const step = planContainer(state, byName.get(state.container.name), observed, byName, replaced);
    if (step.action === 'create' || step.action === 'recreate') replaced.add(state.container.name);
    steps.push(step);
  }
  const networks = new Set(desired.flatMap((state) => state.container.stackNetwork ?? []));
  const volumes = new Set(desired.flatMap((state) => state.container.volumes));
  return {
    networksToCreate: [...networks].filter((network) => !observed.networks.has(network)),
    volumesToCreate: [...volumes].filter((volume) => !observed.volumes.has(volume)),
    steps,
    orphans: observed.containers
      .filter((container) => !expectedNames.has(container.name))
      .map((container) => ({ container, reason: orphanReason(container) })),
  };
}

function planContainer(
  state: DesiredState,
  found: ObservedContainer | undefined,
  observed: ObservedEngine,
  byName: ReadonlyMap<string, ObservedContainer>,
  replaced: ReadonlySet<string>,
): ContainerStep {
  const { container } = state;
  if (!found) return { desired: state, action: 'create', reasons: ['no container yet'] };
  const reasons: string[] = [];
  if (found.state === 'dead' || found.state === 'removing') reasons.push(`the container is ${found.state}`);
  const reference = container.settings.reference;
  const imageId = observed.imageIds.get(reference);
  const sameReference = found.settings?.image === undefined || found.settings.image === reference;
  if (imageId !== undefined && imageId !== found.imageId && sameReference)
    reasons.push(`image ${reference} rebuilt: ${shortImageId(found.imageId)} -> ${shortImageId(imageId)}`);
  if (found.configHash !== state.configHash) {
    const changes = found.settings ? describeSettingsChanges(found.settings, state.settings) : [];
    if (found.configHash === undefined) reasons.push('made without a configuration hash');
    else if (changes.length > 0) reasons.push(...changes);
    else reasons.push('configuration changed (a value taken from the environment)');
  }
  for (const used of container.usesContainers) {
    const usedContainer = byName.get(used);
    if (replaced.has(used)) reasons.push(`uses ${used}, which is recreated`);
    else if (usedContainer && Date.parse(usedContainer.created) > Date.parse(found.created))
      reasons.push(`uses ${used}, whose container was recreated after it`);
  }
  for (const network of [container.stackNetwork, state.sectionNetwork]) {
    if (network === undefined) continue;
    const currentId = observed.networks.get(network);
    const joinedId = found.networks[network];
    if (currentId === undefined) reasons.push(`network ${network} is gone`);
    else if (joinedId === undefined) reasons.push(`not on network ${network}`);
    else if (currentId !== joinedId) reasons.push(`network ${network} was recreated`);
  }
  if (reasons.length > 0) return { desired: state, action: 'recreate', reasons, observed: found };
  if (found.state === 'running' || found.state === 'restarting')
    return { desired: state, action: 'unchanged', reasons: [], observed: found };
  const why =
    found.state === 'created'
      ? 'created, never started'
      : found.state === 'paused'
        ? 'paused'
        : `stopped (exit code ${found.exitCode})`;
  return { desired: state, action: 'start', reasons: [why], observed: found };
}

function orphanReason(container: ObservedContainer): string {
  const image = container.labels['dockerutils.image'] ?? '?';
  const instance = container.labels['dockerutils.instance'];
  return instance !== undefined && Number(instance) > 1
    ? `instance ${instance} of ${image}, beyond the instances the cfg asks for here`
    : `image ${image} is not in the cfg (or not on this engine) any more`;
}

/** One line of a plan, for people and for `--diff`: `recreate  nc_web_ann: ports changed: ...`. */
export function describeStep(step: ContainerStep, engine?: string): string {
  const where = engine === undefined ? '' : ` @${engine}`;
  const why = step.reasons.length > 0 ? `: ${step.reasons.join('; ')}` : '';
  return `${step.action.padEnd(9)} ${step.desired.container.name}${where}${why}`;
}
