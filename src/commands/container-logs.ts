import { showContainerLogs } from '../docker/container-output.js';
import { listContainers } from '../docker/containers.js';
import { UserError } from '../errors.js';
import { findContainer } from '../lifecycle/container-verbs.js';
import { closestName } from '../project/closest-name.js';
import { engineContext, type CommandSession } from './session.js';

/** The shell's `logs CONTAINER`: a container's recent output, followed until Ctrl-C with `follow`. */
export async function containerLogs(
  session: CommandSession,
  request: { container: string; follow?: boolean; tail: number },
): Promise<void> {
  const context = engineContext(session);
  const containers = await listContainers(context, { includeStopped: true }, { quiet: true });
  const found = findContainer(request.container, containers);
  if ('problem' in found) {
    const suggestion = closestName(
      request.container,
      containers.map((container) => container.name),
    );
    throw new UserError(`${found.problem}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`, { exitCode: 1 });
  }
  await showContainerLogs(context, found.container.name, { follow: request.follow, tail: request.tail });
}
