import type { CommandContext } from '../docker/exec.js';
import {
  inspectService,
  listServiceNames,
  listServiceTasks,
  networkId,
  removeNetwork,
  removeService,
} from '../docker/services.js';
import { CommandFailedError, UserError } from '../errors.js';
import { loadProject, requireImage, runnableImages } from '../project/project.js';
import { projectLabel } from '../project/run-settings.js';
import { projectNetworkName, serviceName } from '../swarm/service-spec.js';
import { engineContext, type CommandSession } from './session.js';

/** What undeploy-image did. */
export interface UndeployResult {
  readonly service: string;
  /** False when there was no such service. */
  readonly removed: boolean;
  /** The project's overlay network, removed with its last service. */
  readonly networkRemoved: boolean;
}

const settleTimeoutMs = 30_000;

/**
 * undeploy-image IMAGE: removes the image's service from the manager (`--dock`, else the active
 * engine) and waits until its tasks are gone; the project's network goes with its last service.
 */
export async function undeployImage(session: CommandSession, image: string): Promise<UndeployResult> {
  const manager = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  requireImage(project, image, runnableImages(project));
  const name = serviceName(project.name, image);
  const current = await inspectService(manager, name);
  if (current === undefined) return { service: name, removed: false, networkRemoved: false };
  if (current.labels[projectLabel] !== project.name) {
    throw new UserError(`the service ${name} is not of project ${project.name}: it is left as it is`, { exitCode: 1 });
  }
  await removeService(manager, name);
  if (manager.dryRun) return { service: name, removed: true, networkRemoved: false };
  await waitUntil(async () => (await listServiceTasks(manager, name)).length === 0);
  const network = projectNetworkName(project.name);
  const others = await listServiceNames(manager, `${projectLabel}=${project.name}`);
  if (others.length > 0 || (await networkId(manager, network)) === undefined)
    return { service: name, removed: true, networkRemoved: false };
  return { service: name, removed: true, networkRemoved: await removeNetworkWhenFree(manager, network) };
}

// A removed service's containers leave the network a moment after its tasks are gone.
async function removeNetworkWhenFree(manager: CommandContext, network: string): Promise<boolean> {
  const deadline = Date.now() + settleTimeoutMs;
  for (;;) {
    try {
      await removeNetwork(manager, network);
      return true;
    } catch (error) {
      if (!(error instanceof CommandFailedError) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + settleTimeoutMs;
  while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
}
