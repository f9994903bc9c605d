import { wordTemplate, wordText, type Word } from '../project/words.js';
import {
  assignmentValue,
  type EnvAssignment,
  type PublishedPort,
  type ServiceMount,
  type ServiceSpec,
} from './service-spec.js';

/** A service as the manager holds it, in the terms of a ServiceSpec. */
export interface CurrentService {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly maxPerNode: number;
  readonly constraints: readonly string[];
  readonly ports: readonly PublishedPort[];
  readonly mounts: readonly ServiceMount[];
  /** NAME to value; undefined for a NAME given without one. */
  readonly environment: ReadonlyMap<string, string | undefined>;
  readonly command: readonly string[];
  readonly networkIds: readonly string[];
  readonly init: boolean;
  readonly updateOrder: string;
  readonly endpointMode: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly containerLabels: Readonly<Record<string, string>>;
}

/** A value that changed. */
export interface Changed<T> {
  readonly from: T;
  readonly to: T;
}

/** Items of a list removed and added. */
export interface ListChange<T> {
  readonly removed: readonly T[];
  readonly added: readonly T[];
}

/** What `docker service update` must change to turn the current service into the wanted one. */
export interface ServiceChanges {
  readonly image?: Changed<string>;
  readonly replicas?: Changed<number>;
  readonly maxPerNode?: Changed<number>;
  readonly constraints?: ListChange<string>;
  readonly ports?: ListChange<PublishedPort> & { readonly kept: readonly PublishedPort[] };
  readonly mounts?: ListChange<ServiceMount>;
  /** Names removed; assignments added or changed (values never shown). */
  readonly environment?: { readonly removed: readonly string[]; readonly set: readonly EnvAssignment[] };
  readonly command?: Changed<readonly Word[]>;
  /** Network ids to leave, and the network to join. */
  readonly network?: { readonly removedIds: readonly string[]; readonly added?: string };
  readonly init?: Changed<boolean>;
  readonly updateOrder?: Changed<string>;
  readonly endpointMode?: Changed<string>;
  /** Labels to set (added or changed). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly containerLabels?: Readonly<Record<string, string>>;
}

/** The text of a port as docker's long `--publish` syntax. */
export function portText(port: PublishedPort): string {
  return [
    ...(port.published === undefined ? [] : [`published=${port.published}`]),
    `target=${port.target}`,
    `protocol=${port.protocol}`,
    `mode=${port.mode}`,
  ].join(',');
}

/** The text of a mount as `--mount` takes it. */
export function mountText(mount: ServiceMount): string {
  if (mount.text !== undefined) return mount.text;
  const field = (text: string): string => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return [
    `type=${mount.type}`,
    ...(mount.source === undefined ? [] : [field(`source=${mount.source}`)]),
    field(`target=${mount.target}`),
    ...(mount.readOnly ? ['readonly'] : []),
  ].join(',');
}

const portKey = (port: PublishedPort): string => `${port.published ?? 0}:${port.target}/${port.protocol}/${port.mode}`;
const portMatch = (port: PublishedPort): string => `${port.target}/${port.protocol}/${port.mode}`;
const mountKey = (mount: ServiceMount): string =>
  `${mount.type}:${mount.source ?? ''}:${mount.target}:${mount.readOnly}`;

// docker service update removes ports by target, protocol and mode, from the ports the service had,
// and skips an added port the service had: one kept beside a removed one at the same target must be
// removed in an update of its own and added back in the next (`kept`).
function portChange(
  current: readonly PublishedPort[],
  wanted: readonly PublishedPort[],
): ServiceChanges['ports'] | undefined {
  const currentKeys = new Set(current.map(portKey));
  const wantedKeys = new Set(wanted.map(portKey));
  const removed = current.filter((port) => !wantedKeys.has(portKey(port)));
  const added = wanted.filter((port) => !currentKeys.has(portKey(port)));
  if (removed.length === 0 && added.length === 0) return undefined;
  const removedMatches = new Set(removed.map(portMatch));
  const kept = wanted.filter((port) => currentKeys.has(portKey(port)) && removedMatches.has(portMatch(port)));
  return { removed: [...new Map(removed.map((port) => [portMatch(port), port])).values()], added, kept };
}

// docker replaces a mount at a target it is given, and removes mounts by target.
function mountChange(
  current: readonly ServiceMount[],
  wanted: readonly ServiceMount[],
): ListChange<ServiceMount> | undefined {
  const currentKeys = new Set(current.map(mountKey));
  const wantedTargets = new Set(wanted.map((mount) => mount.target));
  const removed = current.filter((mount) => !wantedTargets.has(mount.target));
  const added = wanted.filter((mount) => !currentKeys.has(mountKey(mount)));
  return removed.length === 0 && added.length === 0 ? undefined : { removed, added };
}

function changed<T>(from: T, to: T): Changed<T> | undefined {
  return from === to ? undefined : { from, to };
}

function labelsToSet(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
): Record<string, string> | undefined {
  const entries = Object.entries(wanted).filter(([key, value]) => current[key] !== value);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/**
 * What differs between the service the manager runs and the wanted spec. Environment values are
 * compared as the service would hold them (references resolved), and never returned as text.
 */
export function diffService(
  current: CurrentService,
  wanted: ServiceSpec,
  options: { env: NodeJS.ProcessEnv; networkId: string },
): ServiceChanges {
  const { env } = options;
  const wantedEnv = new Map(wanted.environment.map((assignment) => [assignment.name, assignment]));
  const removedEnv = [...current.environment.keys()].filter((name) => !wantedEnv.has(name));
  const setEnv = wanted.environment.filter(
    (assignment) =>
      !current.environment.has(assignment.name) ||
      current.environment.get(assignment.name) !== assignmentValue(assignment, env),
  );
  const wantedCommand = wanted.command.map((word) => wordText(word, env));
  const commandChanged =
    wantedCommand.length !== current.command.length ||
    wantedCommand.some((word, index) => word !== current.command[index]);
  const constraintsRemoved = current.constraints.filter((constraint) => !wanted.constraints.includes(constraint));
  const constraintsAdded = wanted.constraints.filter((constraint) => !current.constraints.includes(constraint));
  const otherNetworks = current.networkIds.filter((id) => id !== options.networkId);
  const joinsNetwork = !current.networkIds.includes(options.networkId);
  const changes: Record<string, unknown> = {
    image: changed(current.image, wanted.image),
    replicas: changed(current.replicas, wanted.replicas),
    maxPerNode: changed(current.maxPerNode, wanted.maxPerNode),
    constraints:
      constraintsRemoved.length + constraintsAdded.length > 0
        ? { removed: constraintsRemoved, added: constraintsAdded }
        : undefined,
    ports: portChange(current.ports, wanted.ports),
    mounts: mountChange(current.mounts, wanted.mounts),
    environment: removedEnv.length + setEnv.length > 0 ? { removed: removedEnv, set: setEnv } : undefined,
    command: commandChanged ? { from: current.command.map((text) => [text]), to: wanted.command } : undefined,
    network:
      otherNetworks.length > 0 || joinsNetwork
        ? { removedIds: otherNetworks, ...(joinsNetwork ? { added: wanted.network } : {}) }
        : undefined,
    init: changed(current.init, wanted.init),
    updateOrder: changed(current.updateOrder, wanted.updateOrder),
    endpointMode: changed(current.endpointMode, wanted.endpointMode),
    labels: labelsToSet(current.labels, wanted.labels),
    containerLabels: labelsToSet(current.containerLabels, wanted.containerLabels),
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as ServiceChanges;
}

/** Whether anything is to change. */
export function hasChanges(changes: ServiceChanges): boolean {
  return Object.keys(changes).length > 0;
}

/** What changed, one short line per field, for people (environment values are never shown). */
export function describeChanges(changes: ServiceChanges): string[] {
  const lines: string[] = [];
  const list = <T>(what: string, change: ListChange<T> | undefined, text: (item: T) => string): void => {
    if (!change) return;
    const parts = [...change.removed.map((item) => `-${text(item)}`), ...change.added.map((item) => `+${text(item)}`)];
    lines.push(`${what} ${parts.join(' ')}`);
  };
  const value = <T>(what: string, change: Changed<T> | undefined): void => {
    if (change) lines.push(`${what} ${String(change.from)} -> ${String(change.to)}`);
  };
  value('image', changes.image);
  value('replicas', changes.replicas);
  value('max_per_node', changes.maxPerNode);
  list('placement', changes.constraints, (constraint) => constraint);
  list('ports', changes.ports, portText);
  list('volumes', changes.mounts, mountText);
  if (changes.environment) {
    const names = [
      ...changes.environment.removed.map((name) => `-${name}`),
      ...changes.environment.set.map((assignment) => `~${assignment.name}`),
    ];
    lines.push(`environment ${names.join(' ')}`);
  }
  if (changes.command) lines.push(`cmd -> ${changes.command.to.map(wordTemplate).join(' ')}`);
  if (changes.network) lines.push(`network -> ${changes.network.added ?? '(only the project network)'}`);
  value('init', changes.init);
  value('update_order', changes.updateOrder);
  value('endpoint_mode', changes.endpointMode);
  if (changes.labels || changes.containerLabels) lines.push('labels');
  return lines;
}
