import { quote } from 'shlex';
import type { Word, WordPart } from '../project/words.js';
import type { PublishedPort, ServiceMount, ServiceSpec } from '../swarm/service-spec.js';
import { mountText, portText, type CurrentService, type ServiceChanges } from '../swarm/spec-diff.js';
import { CommandFailedError } from '../errors.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { apiPath, EngineApiError, engineJson, labelFiltersParameter } from './engine-api.js';
import { anyExitCode, lastLine, runDocker, type CommandContext } from './exec.js';

const labelArgs = (flag: string, labels: Readonly<Record<string, string>>): string[] =>
  Object.entries(labels).flatMap(([key, value]) => [flag, `${key}=${value}`]);

// `-e NAME=...$VAR...` stays a word, so the value of $VAR reaches docker through its environment.
const envWord = (name: string, value: Word | undefined): Arg => (value === undefined ? name : [`${name}=`, ...value]);

/**
 * `docker service create` for a spec. `--detach`: the command returns once the service exists,
 * and deploy-image watches its tasks itself; `--no-resolve-image`: the image is an id or a digest
 * already, and no registry is asked.
 */
export function serviceCreateArgs(spec: ServiceSpec): Arg[] {
  return [
    'service',
    'create',
    '--detach',
    '--no-resolve-image',
    // A published image is pulled by each node: they need the registry login this CLI has.
    ...(spec.image.includes('@') ? ['--with-registry-auth'] : []),
    '--name',
    spec.name,
    ...labelArgs('--label', spec.labels),
    ...labelArgs('--container-label', spec.containerLabels),
    '--replicas',
    String(spec.replicas),
    ...(spec.maxPerNode > 0 ? ['--replicas-max-per-node', String(spec.maxPerNode)] : []),
    ...spec.constraints.flatMap((constraint) => ['--constraint', constraint]),
    '--network',
    spec.network,
    '--endpoint-mode',
    spec.endpointMode,
    '--update-order',
    spec.updateOrder,
    ...(spec.init ? ['--init'] : []),
    ...spec.environment.flatMap((assignment) => ['-e', envWord(assignment.name, assignment.value)]),
    ...spec.mounts.flatMap((mount) => ['--mount', mountText(mount)]),
    ...spec.ports.flatMap((port) => ['--publish', portText(port)]),
    spec.image,
    ...spec.command,
  ];
}

// `--args` is one string docker splits as a shell would: each word quoted, a word holding `$NAME`
// inside double quotes so that the echo still shows the name.
function argsWord(command: readonly Word[]): Word {
  const parts: WordPart[] = [];
  command.forEach((word, index) => {
    if (index > 0) parts.push(' ');
    if (word.every((part) => typeof part === 'string')) parts.push(quote(word.join('')));
    else
      parts.push('"', ...word.map((part) => (typeof part === 'string' ? part.replace(/[\\"]/g, '\\$&') : part)), '"');
  });
  const merged: WordPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  return merged.length === 0 ? [''] : merged;
}

/** `docker service update` that makes exactly the given changes (a rolling update, by the service's update order). */
export function serviceUpdateArgs(name: string, changes: ServiceChanges): Arg[] {
  const args: Arg[] = ['service', 'update', '--detach', '--no-resolve-image'];
  if (changes.image)
    args.push(...(changes.image.to.includes('@') ? ['--with-registry-auth'] : []), '--image', changes.image.to);
  if (changes.replicas) args.push('--replicas', String(changes.replicas.to));
  if (changes.maxPerNode) args.push('--replicas-max-per-node', String(changes.maxPerNode.to));
  for (const constraint of changes.constraints?.removed ?? []) args.push('--constraint-rm', constraint);
  for (const constraint of changes.constraints?.added ?? []) args.push('--constraint-add', constraint);
  for (const port of changes.ports?.removed ?? []) args.push('--publish-rm', portText(port));
  for (const port of [...(changes.ports?.added ?? []), ...(changes.ports?.kept ?? [])])
    args.push('--publish-add', portText(port));
  for (const mount of changes.mounts?.removed ?? []) args.push('--mount-rm', mount.target);
  for (const mount of changes.mounts?.added ?? []) args.push('--mount-add', mountText(mount));
  for (const envName of changes.environment?.removed ?? []) args.push('--env-rm', envName);
  for (const assignment of changes.environment?.set ?? [])
    args.push('--env-add', envWord(assignment.name, assignment.value));
  if (changes.command) args.push('--args', argsWord(changes.command.to));
  for (const id of changes.network?.removedIds ?? []) args.push('--network-rm', id);
  if (changes.network?.added) args.push('--network-add', changes.network.added);
  if (changes.init) args.push(`--init=${changes.init.to}`);
  if (changes.updateOrder) args.push('--update-order', changes.updateOrder.to);
  if (changes.endpointMode) args.push('--endpoint-mode', changes.endpointMode.to);
  args.push(...labelArgs('--label-add', changes.labels ?? {}));
  args.push(...labelArgs('--container-label-add', changes.containerLabels ?? {}));
  args.push(name);
  return args;
}

/** Creates a service. */
export async function createService(context: CommandContext, spec: ServiceSpec): Promise<void> {
  await runDocker(context, serviceCreateArgs(spec));
}

/**
 * The `docker service update` commands for the changes: one, or two when a kept port shares its
 * target with a removed one (docker would drop it otherwise: see spec-diff.ts).
 */
export function serviceUpdateCommands(name: string, changes: ServiceChanges): Arg[][] {
  const ports = changes.ports;
  if (ports === undefined || ports.kept.length === 0) return [serviceUpdateArgs(name, changes)];
  return [
    serviceUpdateArgs(name, { ports: { removed: ports.removed, added: [], kept: [] } }),
    serviceUpdateArgs(name, { ...changes, ports: { removed: [], added: ports.added, kept: ports.kept } }),
  ];
}

/** Updates a service in place. */
export async function updateService(context: CommandContext, name: string, changes: ServiceChanges): Promise<void> {
  for (const args of serviceUpdateCommands(name, changes)) await runDocker(context, args);
}

/** `docker service rm NAME`. */
export function serviceRemoveArgs(name: string): Arg[] {
  return ['service', 'rm', name];
}

/** Removes a service; its tasks' containers go with it. */
export async function removeService(context: CommandContext, name: string): Promise<void> {
  await runDocker(context, serviceRemoveArgs(name));
}

/** `docker service inspect NAME`. */
export function serviceInspectArgs(name: string): Arg[] {
  return ['service', 'inspect', name];
}

interface ServiceInspect {
  ID: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string> | null;
    TaskTemplate: {
      ContainerSpec: {
        Image: string;
        Args?: string[] | null;
        Env?: string[] | null;
        Mounts?: { Type?: string; Source?: string; Target: string; ReadOnly?: boolean }[] | null;
        Labels?: Record<string, string> | null;
        Init?: boolean | null;
      };
      Placement?: { Constraints?: string[] | null; MaxReplicas?: number };
      Networks?: { Target: string }[] | null;
    };
    Mode?: { Replicated?: { Replicas?: number } };
    UpdateConfig?: { Order?: string };
    EndpointSpec?: {
      Mode?: string;
      Ports?: { Protocol?: string; TargetPort: number; PublishedPort?: number; PublishMode?: string }[] | null;
    };
  };
}

/** Parses `docker service inspect` of one service into the terms deploy-image compares. */
export function parseServiceInspect(output: string): CurrentService {
  const [service] = JSON.parse(output) as ServiceInspect[];
  if (service === undefined) throw new Error('docker service inspect printed no service');
  const { Spec: spec } = service;
  const container = spec.TaskTemplate.ContainerSpec;
  const environment = new Map<string, string | undefined>();
  for (const entry of container.Env ?? []) {
    const equals = entry.indexOf('=');
    environment.set(
      equals === -1 ? entry : entry.slice(0, equals),
      equals === -1 ? undefined : entry.slice(equals + 1),
    );
  }
  return {
    id: service.ID,
    name: spec.Name,
    image: container.Image,
    replicas: spec.Mode?.Replicated?.Replicas ?? 0,
    maxPerNode: spec.TaskTemplate.Placement?.MaxReplicas ?? 0,
    constraints: spec.TaskTemplate.Placement?.Constraints ?? [],
    ports: (spec.EndpointSpec?.Ports ?? []).map((port): PublishedPort => ({
      ...(port.PublishedPort ? { published: port.PublishedPort } : {}),
      target: port.TargetPort,
      protocol: (port.Protocol ?? 'tcp') as PublishedPort['protocol'],
      mode: port.PublishMode === 'host' ? 'host' : 'ingress',
    })),
    mounts: (container.Mounts ?? []).map((mount): ServiceMount => ({
      type: mount.Type ?? 'volume',
      ...(mount.Source ? { source: mount.Source } : {}),
      target: mount.Target,
      readOnly: mount.ReadOnly === true,
    })),
    environment,
    command: container.Args ?? [],
    networkIds: (spec.TaskTemplate.Networks ?? []).map((network) => network.Target),
    init: container.Init === true,
    updateOrder: spec.UpdateConfig?.Order ?? 'stop-first',
    endpointMode: spec.EndpointSpec?.Mode ?? 'vip',
    labels: spec.Labels ?? {},
    containerLabels: container.Labels ?? {},
  };
}

/** The service of that name as the manager holds it, or undefined when there is none. Read even in a dry run. */
export async function inspectService(context: CommandContext, name: string): Promise<CurrentService | undefined> {
  const result = await runDocker({ ...context, dryRun: false }, serviceInspectArgs(name), {
    quiet: true,
    acceptExitCode: anyExitCode,
  });
  if (result.exitCode !== 0) {
    if (/no such service/i.test(result.stderr)) return undefined;
    const commandLine = formatCommandLine('docker', serviceInspectArgs(name));
    throw new CommandFailedError(commandLine, result.exitCode, lastLine(result.stderr));
  }
  return parseServiceInspect(result.stdout);
}

/** `docker service ls` of services with a label, names only. */
export function listServiceNamesArgs(labelFilter: string): Arg[] {
  return ['service', 'ls', '--filter', `label=${labelFilter}`, '--format', '{{.Name}}'];
}

/** The names of the services that carry a label (`key=value`). */
export async function listServiceNames(context: CommandContext, labelFilter: string): Promise<string[]> {
  const result = await runDocker({ ...context, dryRun: false }, listServiceNamesArgs(labelFilter), { quiet: true });
  return result.stdout.split('\n').filter(Boolean);
}

/** One task of a service, as the manager reports it. */
export interface ServiceTask {
  readonly id: string;
  readonly slot: number;
  readonly nodeId: string;
  /** What the manager wants: `running`, `shutdown`, ... */
  readonly desiredState: string;
  /** Where it is: `new`, `pending`, `assigned`, `preparing`, `starting`, `running`, `failed`, `rejected`, ... */
  readonly state: string;
  /** docker's task error: `No such image: ...`, `no suitable node (...)`. */
  readonly error: string;
  readonly containerId: string;
  readonly image: string;
  readonly updatedAt: string;
  /** The task's container spec, as JSON (compared with the service's: see ServiceProgress). */
  readonly containerSpec: string;
}

interface TaskAnswer {
  ID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  UpdatedAt?: string;
  Status: { State: string; Err?: string; Message?: string; ContainerStatus?: { ContainerID?: string } };
  Spec: { ContainerSpec?: { Image?: string } };
}

/** `docker service ps NAME` through the Engine API: it names each task's node by id, where the CLI gives a hostname. */
export async function listServiceTasks(context: CommandContext, service: string): Promise<ServiceTask[]> {
  const filters = labelFiltersParameter([], { service: [service] });
  let answer: TaskAnswer[] | undefined;
  try {
    answer = await engineJson<TaskAnswer[]>(context, 'GET', apiPath('/tasks', { filters }));
  } catch (error) {
    // The filter names a service: once it is removed, the engine answers 404, meaning no tasks.
    if (error instanceof EngineApiError && error.statusCode === 404) return [];
    throw error;
  }
  return (answer ?? []).map((task) => ({
    id: task.ID,
    slot: task.Slot ?? 0,
    nodeId: task.NodeID ?? '',
    desiredState: task.DesiredState,
    state: task.Status.State,
    error: task.Status.Err ?? '',
    containerId: task.Status.ContainerStatus?.ContainerID ?? '',
    image: task.Spec.ContainerSpec?.Image ?? '',
    updatedAt: task.UpdatedAt ?? '',
    containerSpec: JSON.stringify(task.Spec.ContainerSpec ?? {}),
  }));
}

/** What the manager holds of a service while it converges. */
export interface ServiceProgress {
  /** The rolling update: `updating`, `completed`, `paused`, `rollback_*`; undefined before the first one. */
  readonly update?: { readonly state: string; readonly message: string; readonly startedAt: string };
  /** The wanted container spec, as JSON: a task whose spec is the same runs the current version. */
  readonly containerSpec: string;
}

/** The service's rolling update and current container spec, through the Engine API. */
export async function serviceProgress(context: CommandContext, name: string): Promise<ServiceProgress> {
  const answer = await engineJson<{
    Spec: { TaskTemplate: { ContainerSpec?: unknown } };
    UpdateStatus?: { State?: string; Message?: string; StartedAt?: string };
  }>(context, 'GET', `/services/${encodeURIComponent(name)}`);
  const status = answer.UpdateStatus;
  return {
    ...(status?.State
      ? { update: { state: status.State, message: status.Message ?? '', startedAt: status.StartedAt ?? '' } }
      : {}),
    containerSpec: JSON.stringify(answer.Spec.TaskTemplate.ContainerSpec ?? {}),
  };
}

/** `docker network create` of an attachable overlay network with labels. */
export function createOverlayNetworkArgs(name: string, labels: Readonly<Record<string, string>>): Arg[] {
  return ['network', 'create', '--driver', 'overlay', '--attachable', ...labelArgs('--label', labels), name];
}

/** `docker network inspect --format {{.Id}} NAME`. */
export function networkIdArgs(name: string): Arg[] {
  return ['network', 'inspect', '--format', '{{.Id}}', name];
}

/** The id of a network, or undefined when there is none of that name. Read even in a dry run. */
export async function networkId(context: CommandContext, name: string): Promise<string | undefined> {
  const result = await runDocker({ ...context, dryRun: false }, networkIdArgs(name), {
    quiet: true,
    acceptExitCode: anyExitCode,
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Creates an overlay network; returns its id (empty in a dry run). */
export async function createOverlayNetwork(
  context: CommandContext,
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<string> {
  return (await runDocker(context, createOverlayNetworkArgs(name, labels))).stdout.trim();
}

/** `docker network rm NAME`. */
export function removeNetworkArgs(name: string): Arg[] {
  return ['network', 'rm', name];
}

/** Removes a network. */
export async function removeNetwork(context: CommandContext, name: string): Promise<void> {
  await runDocker(context, removeNetworkArgs(name));
}
