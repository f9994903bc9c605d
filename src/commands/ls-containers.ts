import { compareContainerNames, listContainers, shortId, type ContainerSummary } from '../docker/containers.js';
import { resolveContainerScope, type ScopeRequest } from '../project/container-scope.js';
import { imageLabel, projectLabel } from '../project/run-settings.js';
import { dockFailures, expandDocks, onEachDock } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** A container as `ls-containers --json` prints it: these field names are stable. */
export interface ContainerRecord extends ContainerSummary {
  readonly shortId: string;
  /** The `dockerutils.project` label, or null for containers not run by dockerutils. */
  readonly project: string | null;
  /** The `dockerutils.image` label (the cfg section), or null. */
  readonly projectImage: string | null;
}

/** ls-containers: the containers of a scope, in name order. */
export async function listScopeContainers(session: CommandSession, request: ScopeRequest): Promise<ContainerRecord[]> {
  const scope = resolveContainerScope(session.cwd, session.env, request);
  const containers = await listContainers(engineContext(session), scope);
  return containers.sort(compareContainerNames).map(toContainerRecord);
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
  const docks = await expandDocks(session, dockNames);
  const outcomes = await onEachDock(session, docks, (dockSession) => listScopeContainers(dockSession, request));
  return {
    containers: outcomes.flatMap((outcome) =>
      'result' in outcome ? outcome.result.map((container) => ({ dock: outcome.dock, ...container })) : [],
    ),
    failures: dockFailures(outcomes),
  };
}
