import type { CommandContext } from '../docker/exec.js';
import { resolveEngineTarget } from '../docks/engine-target.js';

/** What every command is called with, besides its own request: where it runs and how it reports. */
export interface CommandSession {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** `--dock NAME`: the engine of that dock instead of the active one. */
  readonly dock?: string;
  /** Echo the commands and run none of them. */
  readonly dryRun: boolean;
  /** Receives each docker command line before it runs, or instead of running it in a dry run. */
  readonly echo: (commandLine: string) => void;
}

/** The context docker calls run in, for the engine the session targets. */
export function engineContext(session: CommandSession): CommandContext {
  return {
    cwd: session.cwd,
    env: session.env,
    target: resolveEngineTarget({ dock: session.dock, env: session.env }),
    dryRun: session.dryRun,
    echo: session.echo,
  };
}

/** What people call the engine the session targets: `local`, a dock's name, or the DOCKER_HOST address. */
export function engineName(session: CommandSession): string {
  return resolveEngineTarget({ dock: session.dock, env: session.env }).name;
}
