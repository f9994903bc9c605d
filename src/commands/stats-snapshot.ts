import { showContainerStats } from '../docker/container-output.js';
import { listContainers } from '../docker/containers.js';
import { loadProject } from '../project/project.js';
import { engineContext, type CommandSession } from './session.js';

/** The shell's `stats`: docker's one-snapshot table of the project's running containers; false when none runs. */
export async function statsSnapshot(session: CommandSession): Promise<{ project: string; shown: boolean }> {
  const context = engineContext(session);
  const project = loadProject(session.cwd, session.env);
  const running = await listContainers(context, { project: project.name, includeStopped: false }, { quiet: true });
  if (running.length === 0) return { project: project.name, shown: false };
  await showContainerStats(context, running.map((container) => container.name).sort());
  return { project: project.name, shown: true };
}
