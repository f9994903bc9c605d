import { compareContainerNames, listContainers, shortId, type ContainerSummary } from '../docker/containers.js';
import { resolveContainerScope, type ScopeRequest } from '../project/container-scope.js';
import { imageLabel, projectLabel } from '../project/run-settings.js';
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
