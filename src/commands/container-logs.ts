import { showContainerLogs } from '../docker/container-output.js';
import { listContainers } from '../docker/containers.js';
import { namedContainer } from '../lifecycle/container-verbs.js';
import { engineContext, type CommandSession } from './session.js';

/** The shell's `logs CONTAINER`: a container's recent output, followed until Ctrl-C with `follow`. */
export async function containerLogs(
  session: CommandSession,
  request: { container: string; follow?: boolean; tail: number },
): Promise<void> {
  const context = engineContext(session);
  const containers = await listContainers(context, { includeStopped: true }, { quiet: true });
  const container = namedContainer(request.container, containers, 1);
  await showContainerLogs(context, container.name, { follow: request.follow, tail: request.tail });
}
