import { UserError } from '../errors.js';

/** The Docker engine a command talks to, as src/docks/engine-target.ts resolves it. */
export interface EngineTarget {
  /** The docker context every docker call names (`--context NAME`); none means the CLI's own choice. */
  readonly context?: string;
  /** The engine's address: `unix:///var/run/docker.sock`, `ssh://me@host`. */
  readonly endpoint: string;
  /** Whether the engine is on another machine: the cfg's `<key>_docked` variants then apply. */
  readonly remote: boolean;
  /** What people call it: `local`, a dock's name, or the DOCKER_HOST address. */
  readonly name: string;
}

/** The engine does not answer (not running, socket gone, SSH failing): one line, with what to do about it. */
export class EngineUnreachableError extends UserError {
  constructor(
    target: EngineTarget,
    /** Why, in a few words, when known: `connection refused`, ssh's own message. */
    readonly reason?: string,
  ) {
    const advice = target.remote
      ? 'check the dock with `dock ls --check`'
      : 'start it with `dockerutils ensure-engine` (or start Docker)';
    super(`cannot reach the Docker engine at ${target.endpoint}${reason ? ` (${reason})` : ''}: ${advice}`, {
      exitCode: 1,
    });
  }
}
