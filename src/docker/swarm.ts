import { quote } from 'shlex';
import type { SwarmNode, SwarmRole } from '../swarm/swarm-node.js';
import { formatCommandLine, type Arg } from './command-line.js';
import { engineJson } from './engine-api.js';
import { anyExitCode, dockerArgv, lastLine, runDocker, type CommandContext } from './exec.js';

/** Where an engine stands in swarm mode, from `docker info`. */
export interface EngineSwarmState {
  /** `inactive`, `pending`, `active`, `error` or `locked`. */
  readonly state: string;
  /** This engine's node id in its swarm; empty when it is in none. */
  readonly nodeId: string;
  /** The address the node advertises to the others. */
  readonly nodeAddress: string;
  /** Whether it is a manager (it can schedule services). */
  readonly isManager: boolean;
  /** The swarm's id, known to managers only. */
  readonly clusterId?: string;
  /** docker's own words when the swarm state is `error`. */
  readonly error: string;
}

/** `docker info` reduced to the swarm part. */
export const swarmStateArgs: readonly Arg[] = ['info', '--format', '{{json .Swarm}}'];

/** Parses `swarmStateArgs` output; undefined for an engine that has no swarm mode (no `Swarm` part). */
export function parseSwarmState(output: string): EngineSwarmState | undefined {
  let swarm: {
    LocalNodeState?: string;
    NodeID?: string;
    NodeAddr?: string;
    ControlAvailable?: boolean;
    Cluster?: { ID?: string } | null;
    Error?: string;
  } | null;
  try {
    swarm = JSON.parse(output.trim() || 'null') as typeof swarm;
  } catch {
    return undefined;
  }
  if (swarm === null || typeof swarm.LocalNodeState !== 'string' || swarm.LocalNodeState === '') return undefined;
  return {
    state: swarm.LocalNodeState,
    nodeId: swarm.NodeID ?? '',
    nodeAddress: swarm.NodeAddr ?? '',
    isManager: swarm.ControlAvailable === true,
    ...(swarm.Cluster?.ID ? { clusterId: swarm.Cluster.ID } : {}),
    error: swarm.Error ?? '',
  };
}

/** What asking an engine for its swarm state found. */
export type SwarmStateAnswer =
  | { readonly answered: true; readonly swarm: EngineSwarmState | undefined }
  | { readonly answered: false; readonly reason: string };

/** Asks an engine where it stands in swarm mode, bounded; never throws for an engine that does not answer. */
export async function inspectSwarmState(context: CommandContext, timeoutMs: number): Promise<SwarmStateAnswer> {
  try {
    const result = await runDocker({ ...context, dryRun: false }, swarmStateArgs, {
      quiet: true,
      acceptExitCode: anyExitCode,
      timeoutMs,
    });
    if (result.exitCode !== 0)
      return { answered: false, reason: lastLine(result.stderr) ?? `exit code ${result.exitCode}` };
    return { answered: true, swarm: parseSwarmState(result.stdout) };
  } catch (error) {
    return { answered: false, reason: (error as Error).message };
  }
}

/** `docker swarm init`, advertising `advertiseAddress` when given. */
export function swarmInitArgs(advertiseAddress?: string): Arg[] {
  return ['swarm', 'init', ...(advertiseAddress ? ['--advertise-addr', advertiseAddress] : [])];
}

/** Makes the engine a swarm's first manager. */
export async function initSwarm(context: CommandContext, advertiseAddress?: string): Promise<void> {
  await runDocker(context, swarmInitArgs(advertiseAddress));
}

/** `docker swarm join-token -q ROLE`: the token alone. */
export function joinTokenArgs(role: SwarmRole): Arg[] {
  return ['swarm', 'join-token', '-q', role];
}

/**
 * The line a join is echoed as: the token is fetched inside it (`"$(docker ... join-token -q ROLE)"`),
 * so neither the echo nor anything we run has its value on a command line.
 */
export function swarmJoinCommandLine(
  joining: CommandContext,
  manager: CommandContext,
  role: SwarmRole,
  managerAddress: string,
): string {
  const tokenCommand = formatCommandLine('docker', dockerArgv(manager.target, joinTokenArgs(role)));
  return `${formatCommandLine('docker', dockerArgv(joining.target, ['swarm', 'join', '--token']))} "$(${tokenCommand})" ${quote(managerAddress)}`;
}

/** The Engine API request `docker swarm join` makes. */
export function swarmJoinRequest(token: string, managerAddress: string): Record<string, unknown> {
  return { ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '', RemoteAddrs: [managerAddress], JoinToken: token };
}

/**
 * Joins the engine to the swarm of a manager. `docker swarm join` takes the token only as an
 * argument, which `ps` shows to every user: the token goes in the body of the same API request
 * instead, over the engine's own connection (its socket, or `docker system dial-stdio` for a dock).
 */
export async function joinSwarm(
  joining: CommandContext,
  manager: CommandContext,
  options: { role: SwarmRole; managerAddress: string },
): Promise<void> {
  joining.echo(swarmJoinCommandLine(joining, manager, options.role, options.managerAddress));
  if (joining.dryRun) return;
  const token = (await runDocker(manager, joinTokenArgs(options.role), { quiet: true })).stdout.trim();
  await engineJson(joining, 'POST', '/swarm/join', swarmJoinRequest(token, options.managerAddress));
}

/** `docker swarm leave [--force]`. */
export function swarmLeaveArgs(force: boolean): Arg[] {
  return ['swarm', 'leave', ...(force ? ['--force'] : [])];
}

/** Takes the engine out of its swarm. */
export async function leaveSwarm(context: CommandContext, force: boolean): Promise<void> {
  await runDocker(context, swarmLeaveArgs(force));
}

/** `docker node ls -q`: the ids of a swarm's nodes. */
export const listNodeIdsArgs: readonly Arg[] = ['node', 'ls', '-q'];

/** `docker node inspect` of several nodes: a JSON array. */
export function inspectNodesArgs(ids: readonly string[]): Arg[] {
  return ['node', 'inspect', ...ids];
}

interface NodeInspect {
  ID: string;
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string> | null };
  Description?: {
    Hostname?: string;
    Platform?: { OS?: string; Architecture?: string };
    Engine?: { EngineVersion?: string; Labels?: Record<string, string> | null };
  };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Addr?: string };
}

/** Parses `docker node inspect` output. */
export function parseNodes(output: string): SwarmNode[] {
  const nodes = JSON.parse(output.trim() || '[]') as NodeInspect[];
  return nodes.map((node) => ({
    id: node.ID,
    hostname: node.Description?.Hostname ?? '',
    role: node.Spec?.Role === 'manager' ? 'manager' : 'worker',
    availability: node.Spec?.Availability ?? '',
    state: node.Status?.State ?? '',
    address: node.Status?.Addr ?? '',
    engineVersion: node.Description?.Engine?.EngineVersion ?? '',
    leader: node.ManagerStatus?.Leader === true,
    ...(node.ManagerStatus?.Addr ? { managerAddress: node.ManagerStatus.Addr } : {}),
    labels: node.Spec?.Labels ?? {},
    engineLabels: node.Description?.Engine?.Labels ?? {},
    os: node.Description?.Platform?.OS ?? '',
    architecture: node.Description?.Platform?.Architecture ?? '',
  }));
}

/** The nodes of the swarm a manager runs; read even in a dry run, since it changes nothing. */
export async function listNodes(manager: CommandContext, options: { quiet?: boolean } = {}): Promise<SwarmNode[]> {
  const context = { ...manager, dryRun: false };
  const ids = (await runDocker(context, listNodeIdsArgs, { quiet: true })).stdout
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0) return [];
  return parseNodes((await runDocker(context, inspectNodesArgs(ids), { quiet: options.quiet ?? true })).stdout);
}

/** `docker node rm [--force] ID`. */
export function removeNodeArgs(id: string, force: boolean): Arg[] {
  return ['node', 'rm', ...(force ? ['--force'] : []), id];
}

/** Removes a node from the swarm's list (after it left, or by force). */
export async function removeNode(manager: CommandContext, id: string, force: boolean): Promise<void> {
  await runDocker(manager, removeNodeArgs(id, force));
}
