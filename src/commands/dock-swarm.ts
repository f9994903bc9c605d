import { listContexts } from '../docker/contexts.js';
import type { CommandContext } from '../docker/exec.js';
import {
  initSwarm,
  inspectSwarmState,
  joinSwarm,
  leaveSwarm,
  listNodes,
  removeNode,
  type EngineSwarmState,
} from '../docker/swarm.js';
import type { SwarmNode, SwarmRole } from '../swarm/swarm-node.js';
import { dockProbeTimeoutMs } from '../docks/dock-probe.js';
import { dockTarget, isLocalDockName, sshDestinationOf } from '../docks/engine-target.js';
import { localAddressToward } from '../docks/route-source.js';
import { sshDestinationArgs } from '../docker/ssh-destination.js';
import { CommandFailedError, UserError } from '../errors.js';
import { matchNodesToDocks, type DockSwarmAnswer } from '../swarm/node-docks.js';
import { dockAddress } from './dock.js';
import { isSeveralDocks } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** An engine a swarm verb works on: the dock's name as people say it, and the context to reach it. */
interface SwarmEngine {
  readonly name: string;
  readonly context: CommandContext;
}

/** The engine of `DOCK`, or the session's engine (`--dock`, else the active one) when no dock is named. */
function swarmEngine(session: CommandSession, dock: string | undefined): SwarmEngine {
  const context = engineContext(session);
  if (dock === undefined) return { name: context.target.name, context };
  const target = dockTarget(dock, session.env);
  return { name: isLocalDockName(dock) ? 'local' : dock, context: { ...context, target } };
}

/**
 * The engine's swarm state, or the one line that says why there is none to have: it does not answer,
 * or it has no swarm mode.
 */
async function requireSwarmState(engine: SwarmEngine): Promise<EngineSwarmState> {
  const answer = await inspectSwarmState(engine.context, dockProbeTimeoutMs);
  if (!answer.answered) {
    const check = engine.context.target.remote ? `\`dock ls --check ${engine.name}\`` : '`dockerutils ensure-engine`';
    throw new UserError(`${engine.name} does not answer (${answer.reason}): check it with ${check}`, { exitCode: 1 });
  }
  if (answer.swarm === undefined) {
    throw new UserError(
      `the engine of ${engine.name} has no swarm mode: swarm needs Docker Engine 1.12 or newer, not rootless or Podman`,
      { exitCode: 1 },
    );
  }
  return answer.swarm;
}

/** What `dock swarm init` did. */
export interface SwarmInitResult {
  readonly dock: string;
  readonly nodeId: string;
  /** The address the manager advertises; empty when docker chose it. */
  readonly advertiseAddress: string;
  /** It was a manager already: nothing changed. */
  readonly already: boolean;
}

/**
 * dock swarm init [DOCK]: makes the engine a swarm's first manager, advertising the address the
 * other docks reach it at: for a dock, the address ssh reaches it at; for this machine, the one
 * packets to the docks leave from (when every dock agrees).
 */
export async function initDockSwarm(
  session: CommandSession,
  request: { dock?: string; advertiseAddress?: string },
): Promise<SwarmInitResult> {
  const engine = swarmEngine(session, request.dock);
  const state = await requireSwarmState(engine);
  if (state.state === 'active' && state.isManager)
    return { dock: engine.name, nodeId: state.nodeId, advertiseAddress: state.nodeAddress, already: true };
  if (state.state !== 'inactive') {
    throw new UserError(
      `${engine.name} is already in a swarm (${state.isManager ? 'manager' : 'worker'}, state ${state.state}): \`dock swarm leave ${engine.name}\` first`,
      { exitCode: 1 },
    );
  }
  const advertiseAddress = request.advertiseAddress ?? (await guessAdvertiseAddress(session, engine));
  try {
    await initSwarm(engine.context, advertiseAddress);
  } catch (error) {
    if (error instanceof CommandFailedError && /advertise|multiple addresses/i.test(error.message)) {
      throw new UserError(
        `${engine.name} cannot choose the address to advertise (${error.message}): add --advertise-addr ADDRESS, an address of it the other docks reach`,
        { exitCode: 1 },
      );
    }
    throw error;
  }
  const after = engine.context.dryRun ? undefined : await requireSwarmState(engine);
  return {
    dock: engine.name,
    nodeId: after?.nodeId ?? '',
    advertiseAddress: after?.nodeAddress ?? advertiseAddress ?? '',
    already: false,
  };
}

async function guessAdvertiseAddress(session: CommandSession, engine: SwarmEngine): Promise<string | undefined> {
  const quiet = { ...engine.context, dryRun: false };
  if (engine.context.target.endpoint.startsWith('ssh://')) {
    const destination = sshDestinationOf(engine.context.target);
    return dockAddress(quiet, sshDestinationArgs(destination), destination.host);
  }
  if (engine.context.target.remote) return undefined;
  const contexts = await listContexts(quiet);
  const docks = contexts.filter((summary) => summary.endpoint.startsWith('ssh://'));
  const sources = await Promise.all(
    docks.map(async (summary) => {
      const destination = sshDestinationOf(dockTarget(summary.name, session.env));
      return localAddressToward(await dockAddress(quiet, sshDestinationArgs(destination), destination.host));
    }),
  );
  const distinct = [...new Set(sources.filter((source): source is string => source !== undefined))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** What `dock swarm join` did. */
export interface SwarmJoinResult {
  readonly dock: string;
  readonly manager: string;
  readonly role: SwarmRole;
  /** It was a node of that swarm already: nothing changed. */
  readonly already: boolean;
}

/**
 * dock swarm join DOCK [--manager DOCK] [--as ROLE]: joins the dock's engine to the manager's swarm.
 * Every reason it cannot (either engine silent, no swarm mode, no manager, another swarm) is found
 * before anything changes.
 */
export async function joinDockSwarm(
  session: CommandSession,
  request: { dock: string; manager?: string; role: SwarmRole },
): Promise<SwarmJoinResult> {
  const joining = swarmEngine(session, request.dock);
  const manager = swarmEngine(session, request.manager);
  const [joiningState, managerState] = await Promise.all([requireSwarmState(joining), requireSwarmState(manager)]);
  if (managerState.state !== 'active' || !managerState.isManager) {
    throw new UserError(`${manager.name} is not a swarm manager: \`dock swarm init ${manager.name}\` first`, {
      exitCode: 1,
    });
  }
  const nodes = await listNodes(manager.context);
  const result = { dock: joining.name, manager: manager.name, role: request.role };
  if (joiningState.state !== 'inactive') {
    if (nodes.some((node) => node.id === joiningState.nodeId)) return { ...result, already: true };
    throw new UserError(
      `${joining.name} is already in another swarm: \`dock swarm leave ${joining.name}\` first (or join it to that swarm's manager)`,
      { exitCode: 1 },
    );
  }
  const self = nodes.find((node) => node.id === managerState.nodeId);
  const managerAddress = self?.managerAddress ?? `${managerState.nodeAddress}:2377`;
  try {
    await joinSwarm(joining.context, manager.context, { role: request.role, managerAddress });
  } catch (error) {
    if (error instanceof UserError || error instanceof CommandFailedError) throw error;
    throw new UserError(
      `${joining.name} could not join the swarm of ${manager.name} at ${managerAddress}: ${(error as Error).message}`,
      { exitCode: 1 },
    );
  }
  return { ...result, already: false };
}

/** One node of `dock swarm ls`; `--json` prints these fields. */
export interface SwarmNodeRow {
  readonly id: string;
  /** The dock whose engine this node is; null when no dock reaches it. */
  readonly dock: string | null;
  readonly hostname: string;
  readonly role: SwarmRole;
  readonly leader: boolean;
  readonly availability: string;
  readonly state: string;
  readonly address: string;
  readonly engineVersion: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Asks every dock (this machine's engine as `local`), in parallel and bounded, which node of a swarm it is. */
export async function swarmDockAnswers(session: CommandSession): Promise<DockSwarmAnswer[]> {
  const context = { ...engineContext(session), dryRun: false };
  const contexts = await listContexts(context);
  return Promise.all(
    contexts.map(async (summary): Promise<DockSwarmAnswer> => {
      const dock = isLocalDockName(summary.name) ? 'local' : summary.name;
      const answer = await inspectSwarmState(
        { ...context, target: dockTarget(summary.name, session.env) },
        dockProbeTimeoutMs,
      );
      if (!answer.answered) return { dock, unreachable: answer.reason };
      return { dock, nodeId: answer.swarm?.state === 'active' ? answer.swarm.nodeId : '' };
    }),
  );
}

/** The nodes of the manager's swarm with the dock each one is. */
export async function swarmNodesWithDocks(
  session: CommandSession,
  manager: CommandContext,
): Promise<{ nodes: SwarmNode[]; docks: Map<string, string> }> {
  const [nodes, answers] = await Promise.all([listNodes(manager), swarmDockAnswers(session)]);
  return { nodes, docks: matchNodesToDocks(answers) };
}

/**
 * The docks a follower with `--service` reaches: with several `--dock` (or without `--service`), those;
 * else the docks of every node of the swarm the named engine (or the active one) manages, so that
 * every task's container is followed. An engine that manages no swarm is the one dock.
 */
export async function serviceDocks(
  session: CommandSession,
  dockNames: readonly string[],
  service: string | undefined,
): Promise<readonly string[]> {
  if (service === undefined || isSeveralDocks(dockNames)) return dockNames;
  const manager = engineContext({ ...session, dock: dockNames.at(-1), dryRun: false });
  const state = await inspectSwarmState(manager, dockProbeTimeoutMs);
  if (!state.answered || state.swarm?.state !== 'active' || !state.swarm.isManager) return dockNames;
  const docks = await swarmNodeDocks(session, manager);
  return docks.length === 0 ? dockNames : docks;
}

/** The docks that are nodes of the manager's swarm, each once, in name order. */
export async function swarmNodeDocks(session: CommandSession, manager: CommandContext): Promise<string[]> {
  const { docks } = await swarmNodesWithDocks(session, manager);
  return [...new Set(docks.values())].sort();
}

/** dock swarm ls: the swarm's nodes (asked of the manager, `--dock` or the active engine) and their docks. */
export async function listDockSwarm(session: CommandSession): Promise<SwarmNodeRow[]> {
  const manager = swarmEngine(session, undefined);
  const state = await requireSwarmState(manager);
  if (state.state !== 'active' || !state.isManager) {
    throw new UserError(
      `${manager.name} is not a swarm manager: \`dock swarm ls --dock MANAGER\` asks a manager, \`dock swarm init\` makes one`,
      { exitCode: 1 },
    );
  }
  const { nodes, docks } = await swarmNodesWithDocks(session, manager.context);
  return nodes
    .map((node) => ({
      id: node.id,
      dock: docks.get(node.id) ?? null,
      hostname: node.hostname,
      role: node.role,
      leader: node.leader,
      availability: node.availability,
      state: node.state,
      address: node.address,
      engineVersion: node.engineVersion,
      labels: node.labels,
    }))
    .sort((a, b) => (a.role === b.role ? (a.dock ?? '~').localeCompare(b.dock ?? '~') : a.role === 'manager' ? -1 : 1));
}

/** What `dock swarm leave` did. */
export interface SwarmLeaveResult {
  readonly dock: string;
  /** It was in no swarm: nothing changed. */
  readonly already: boolean;
  /** The manager that dropped the node from its list, when one was found. */
  readonly removedBy?: string;
}

/**
 * dock swarm leave DOCK [--force]: the dock's engine leaves its swarm; a manager among the docks
 * then drops the node from its list, so that `docker node ls` does not keep a `down` node.
 */
export async function leaveDockSwarm(
  session: CommandSession,
  request: { dock: string; force: boolean },
): Promise<SwarmLeaveResult> {
  const leaving = swarmEngine(session, request.dock);
  const state = await requireSwarmState(leaving);
  if (state.state === 'inactive') return { dock: leaving.name, already: true };
  const answers = state.isManager ? [] : await swarmDockAnswers(session);
  await leaveSwarm(leaving.context, request.force);
  if (leaving.context.dryRun || state.isManager) return { dock: leaving.name, already: false };
  for (const answer of answers) {
    if (!answer.nodeId || answer.dock === leaving.name || answer.nodeId === state.nodeId) continue;
    const manager = swarmEngine(session, answer.dock);
    const managerState = await inspectSwarmState(manager.context, dockProbeTimeoutMs);
    if (!managerState.answered || !managerState.swarm?.isManager) continue;
    const nodes = await listNodes(manager.context);
    if (!nodes.some((node) => node.id === state.nodeId)) continue;
    await removeNode(manager.context, state.nodeId, true);
    return { dock: leaving.name, already: false, removedBy: manager.name };
  }
  return { dock: leaving.name, already: false };
}
