import { compareContainerNames, listContainers } from '../docker/containers.js';
import { contextNames } from '../docks/engine-target.js';
import { resolveContainerScope } from '../project/container-scope.js';
import { loadProject, runnableImages } from '../project/project.js';
import { engineContext, type CommandSession } from './session.js';

/** The names shell completion asks for. */
export const completionNameKinds = ['images', 'buildable', 'containers', 'docks'] as const;
/** One of them. */
export type CompletionNameKind = (typeof completionNameKinds)[number];

// Tab must answer at once: a slow or absent engine gives no container names rather than a wait.
const containerListingTimeoutMs = 3000;

/**
 * The names a completion script completes with: the cfg's images (runnable, or buildable) without
 * asking the engine; the containers of the project (every container outside one), bounded in time;
 * the docks, from the docker CLI's files, and `local`.
 */
export async function completionNames(session: CommandSession, kind: CompletionNameKind): Promise<string[]> {
  switch (kind) {
    case 'images':
      return runnableImages(loadProject(session.cwd, session.env));
    case 'buildable':
      return [...loadProject(session.cwd, session.env).buildableImages];
    case 'containers': {
      const scope = resolveContainerScope(session.cwd, session.env, { includeStopped: true });
      const containers = await listContainers(engineContext(session), scope, {
        quiet: true,
        timeoutMs: containerListingTimeoutMs,
      });
      return containers.sort(compareContainerNames).map((container) => container.name);
    }
    case 'docks':
      return ['local', ...contextNames(session.env).filter((name) => name !== 'default')];
  }
}
