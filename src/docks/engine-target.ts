import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EngineTarget } from '../docker/engine-target.js';
import { UserError } from '../errors.js';
import { parseSshEndpoint, type SshDestination } from '../docker/ssh-destination.js';

// The one place that decides which engine a command talks to and whether it is remote: every
// command, the dock commands, the shell's prompt and the Engine API reader take its answer.

const localEndpoint = 'unix:///var/run/docker.sock';
/** The names of this machine's own engine for `--dock` and `dock use`. */
const localDockNames = ['local', 'default'];

/**
 * Works out the engine the docker CLI will reach, the way the CLI itself does (--context, then
 * DOCKER_HOST, DOCKER_CONTEXT, the config's currentContext), by reading its files: no docker call.
 */
export function resolveEngineTarget(options: { dock?: string; env: NodeJS.ProcessEnv }): EngineTarget {
  const { dock, env } = options;
  if (dock !== undefined) return dockTarget(dock, env);
  if (env.DOCKER_HOST) return target(undefined, env.DOCKER_HOST, env.DOCKER_HOST, env);
  const current = env.DOCKER_CONTEXT ?? currentContextName(env);
  if (current === undefined || current === 'default') return target(undefined, localEndpoint, 'local', env);
  return target(undefined, contextEndpoint(current, env) ?? localEndpoint, current, env);
}

/** The engine of a registered dock (`local` is this machine's); an unknown name is a usage error. */
export function dockTarget(name: string, env: NodeJS.ProcessEnv): EngineTarget {
  if (localDockNames.includes(name)) return target('default', env.DOCKER_HOST || localEndpoint, 'local', env);
  const endpoint = contextEndpoint(name, env);
  if (endpoint === undefined) {
    throw new UserError(
      `no dock named "${name}": \`dock ls\` lists them, \`dock add ${name} ssh://user@host\` adds one`,
    );
  }
  return target(name, endpoint, name, env);
}

/** Whether a name means this machine's own engine rather than a dock. */
export function isLocalDockName(name: string): boolean {
  return localDockNames.includes(name);
}

/** The ssh destination of an engine reached over ssh; anything else is a usage error naming the dock. */
export function sshDestinationOf(target: EngineTarget): SshDestination {
  if (!target.endpoint.startsWith('ssh://')) {
    throw new UserError(`dock "${target.name}" is at ${target.endpoint}, not reached over ssh`);
  }
  return parseSshEndpoint(target.endpoint);
}

// Remote means another machine: any endpoint but a local socket, or DOCKER_IP set (the Python
// dockerutils' way of saying the engine is elsewhere).
function target(context: string | undefined, endpoint: string, name: string, env: NodeJS.ProcessEnv): EngineTarget {
  return {
    ...(context === undefined ? {} : { context }),
    endpoint,
    name,
    remote: Boolean(env.DOCKER_IP) || isRemoteEndpoint(endpoint),
  };
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
  // The CLI stores each context under the SHA-256 of its name; node:crypto is loaded only here,
  // since at start-up it costs more than the rest of a dry run.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = createHash('sha256').update(name).digest('hex');
  const meta = readJson(join(dockerConfigDir(env), 'contexts', 'meta', digest, 'meta.json')) as
    { Endpoints?: { docker?: { Host?: string } } } | undefined;
  return meta?.Endpoints?.docker?.Host;
}

/** The names of the docker contexts, read from the CLI's files: no docker call (for completion). */
export function contextNames(env: NodeJS.ProcessEnv): string[] {
  const metaDir = join(dockerConfigDir(env), 'contexts', 'meta');
  let digests: string[];
  try {
    digests = readdirSync(metaDir);
  } catch {
    return [];
  }
  return digests
    .map((digest) => (readJson(join(metaDir, digest, 'meta.json')) as { Name?: string } | undefined)?.Name)
    .filter((name): name is string => typeof name === 'string' && name !== '')
    .sort();
}

/** The context `docker context use` last chose (the CLI config's currentContext), if any. */
export function currentContextName(env: NodeJS.ProcessEnv): string | undefined {
  const config = readJson(join(dockerConfigDir(env), 'config.json')) as { currentContext?: string } | undefined;
  return config?.currentContext || undefined;
}

/** The keys that detach from `docker attach` as the docker CLI's config.json sets them (`detachKeys`), if it does. */
export function configuredDetachKeys(env: NodeJS.ProcessEnv): string | undefined {
  const config = readJson(join(dockerConfigDir(env), 'config.json')) as { detachKeys?: string } | undefined;
  return config?.detachKeys || undefined;
}

// A missing or unreadable file is the CLI's "not configured", not an error.
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
