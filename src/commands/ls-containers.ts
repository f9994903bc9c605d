import { compareContainerNames, listContainers, shortId, type ContainerSummary } from '../docker/containers.js';
import type { CommandContext } from '../docker/exec.js';
import { dockTarget } from '../docks/engine-target.js';
import {
  resolveContainerScope,
  serviceNodeLabel,
  type ContainerScope,
  type ScopeRequest,
} from '../project/container-scope.js';
import { swarmNodeDocks } from './dock-swarm.js';
import { imageLabel, projectLabel } from '../project/run-settings.js';
import { dockFailures, expandDocks, onEachDock, refuseServiceOnSeveralDocks } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** A container as `ls-containers --json` prints it: these field names are stable. */
export interface ContainerRecord extends ContainerSummary {
  readonly shortId: string;
  /** The `dockerutils.project` label, or null for containers not run by dockerutils. */
  readonly project: string | null;
  /** The `dockerutils.image` label (the cfg section), or null. */
  readonly projectImage: string | null;
  /** For a swarm task's container, the dock (node) it runs on; null for other containers. */
  readonly node: string | null;
}

/** ls-containers: the containers of a scope, in name order. */
export async function listScopeContainers(session: CommandSession, request: ScopeRequest): Promise<ContainerRecord[]> {
  const scope = resolveContainerScope(session.cwd, session.env, request);
  const context = engineContext(session);
  if (scope.service !== undefined) return listServiceContainers(session, context, scope);
  const containers = await listContainers(context, scope);
  return containers.sort(compareContainerNames).map((container) => ({
    ...toContainerRecord(container),
    node: container.labels[serviceNodeLabel] ? context.target.name : null,
  }));
}

/**
 * The containers of a service's tasks on every node: the engine is asked for its swarm's nodes (it
 * must be a manager), and each node's dock for its containers, in parallel.
 */
async function listServiceContainers(
  session: CommandSession,
  manager: CommandContext,
  scope: ContainerScope,
): Promise<ContainerRecord[]> {
  const perDock = await Promise.all(
    (await swarmNodeDocks(session, manager)).map(async (dock) => {
      const context = { ...manager, target: dockTarget(dock, session.env) };
      return (await listContainers(context, scope)).map((container) => ({
        ...toContainerRecord(container),
        node: dock,
      }));
    }),
  );
  return perDock.flat().sort(compareContainerNames);
}

/** The stable JSON form of one container. */
export function toContainerRecord(container: ContainerSummary): ContainerRecord {
  return {
    id: container.id,
    shortId: shortId(container.id),
    name: container.name,
    image: container.image,
    state: container.state,
    status: container.status,
    ports: container.ports,
    runningFor: container.runningFor,
    createdAt: container.createdAt,
    project: container.labels[projectLabel] ?? null,
    projectImage: container.labels[imageLabel] ?? null,
    labels: container.labels,
    node: null,
  };
}

/** A container of one of several docks. */
export interface DockedContainerRecord extends ContainerRecord {
  readonly dock: string;
}

/** ls-containers on several docks at once: their containers, each with its dock, and the docks that failed. */
export async function listScopeContainersOnDocks(
  session: CommandSession,
  dockNames: readonly string[],
  request: ScopeRequest,
): Promise<{ containers: DockedContainerRecord[]; failures: { dock: string; failure: string }[] }> {
  refuseServiceOnSeveralDocks(request);
  const docks = await expandDocks(session, dockNames);
  const outcomes = await onEachDock(session, docks, (dockSession) => listScopeContainers(dockSession, request));
  return {
    containers: outcomes.flatMap((outcome) =>
      'result' in outcome ? outcome.result.map((container) => ({ dock: outcome.dock, ...container })) : [],
    ),
    failures: dockFailures(outcomes),
  };
}
