import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** The Docker engine a command talks to. */
export interface EngineTarget {
  /** A docker context named explicitly (`--dock`); every docker call then says `--context NAME`. */
  readonly context?: string;
  /** The engine's address, for messages: `unix:///var/run/docker.sock`, `ssh://me@host`. */
  readonly endpoint: string;
  /** Whether the engine is on another machine: the cfg's `<key>_docked` variants then apply. */
  readonly remote: boolean;
}

const localEndpoint = 'unix:///var/run/docker.sock';

/** The engine does not answer (not running, socket gone, SSH failing): one line, with what to do about it. */
export class EngineUnreachableError extends UserError {
  constructor(
    target: EngineTarget,
    /** Why, in a few words, when known: `connection refused`, ssh's own message. */
    readonly reason?: string,
  ) {
    const advice = target.remote
      ? 'check the dock with `dock ls --check`'
      : 'start it with scripts/ensure-engine (or start Docker)';
    super(`cannot reach the Docker engine at ${target.endpoint}${reason ? ` (${reason})` : ''}: ${advice}`, {
      exitCode: 1,
    });
  }
}

/**
 * Works out the engine the docker CLI will reach, the way the CLI itself does (--context, then
 * DOCKER_HOST, DOCKER_CONTEXT, the config's currentContext), by reading its files: no docker call.
 */
export function resolveEngineTarget(options: { dock?: string; env: NodeJS.ProcessEnv }): EngineTarget {
  const { dock, env } = options;
  const dockedByIp = Boolean(env.DOCKER_IP);
  if (dock !== undefined && dock !== 'default') {
    const endpoint = contextEndpoint(dock, env);
    if (endpoint === undefined)
      throw new UserError(`no dock named "${dock}": \`dock ls\` lists them, \`dock add\` adds one`);
    return { context: dock, endpoint, remote: dockedByIp || isRemoteEndpoint(endpoint) };
  }
  if (dock === undefined && env.DOCKER_HOST) {
    return { endpoint: env.DOCKER_HOST, remote: dockedByIp || isRemoteEndpoint(env.DOCKER_HOST) };
  }
  const current = dock ?? env.DOCKER_CONTEXT ?? currentContextName(env);
  if (current === undefined || current === 'default') return { endpoint: localEndpoint, remote: dockedByIp };
  const endpoint = contextEndpoint(current, env) ?? localEndpoint;
  return { endpoint, remote: dockedByIp || isRemoteEndpoint(endpoint) };
}

/** True for endpoints that are not a socket on this machine. */
export function isRemoteEndpoint(endpoint: string): boolean {
  return !/^(unix|npipe):\/\//.test(endpoint);
}

/** The docker CLI's configuration folder. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG ?? join(homedir(), '.docker');
}

/** The endpoint a docker context points at, or undefined when there is no such context. */
export function contextEndpoint(name: string, env: NodeJS.ProcessEnv): string | undefined {
  // The CLI stores each context under the SHA-256 of its name. node:crypto is loaded only here:
  // at start-up it costs more than the rest of a dry run.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = readJson(join(dockerConfigDir(env), 'contexts', 'meta', digest, 'meta.json')) as
    { Endpoints?: { docker?: { Host?: string } } } | undefined;
  return meta?.Endpoints?.docker?.Host;
}

/** The context `docker context use` last chose (the CLI config's currentContext), if any. */
export function currentContextName(env: NodeJS.ProcessEnv): string | undefined {
  const config = readJson(join(dockerConfigDir(env), 'config.json')) as { currentContext?: string } | undefined;
  return config?.currentContext || undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
