import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { UserError } from '../errors.js';
import { dockerArgv, programEnvironment, type CommandContext } from './exec.js';
import { formatCommandLine } from './command-line.js';

// Long-running followers talk to the Engine API on the transport the docker CLI uses: one socket per
// stream costs a few kilobytes where one `docker logs -f` process costs megabytes.

/** An Engine API call that failed with an HTTP status (404: no such container). */
export class EngineApiError extends Error {
  override readonly name = 'EngineApiError';

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** True when an error means the engine could not be reached at all (down, restarting, socket gone). */
export function isEngineUnreachable(error: unknown): boolean {
  const { code, syscall } = (error ?? {}) as { code?: string; syscall?: string };
  if (syscall === 'connect' && ['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code ?? '')) return true;
  return ['ECONNRESET', 'EPIPE', 'ENOTCONN'].includes(code ?? '') || (error instanceof Error && /socket hang up|dial-stdio/.test(error.message));
}

/** The unix socket path of a `unix://` endpoint, or undefined for any other transport. */
export function unixSocketPath(endpoint: string): string | undefined {
  return endpoint.startsWith('unix://') ? endpoint.slice('unix://'.length) : undefined;
}

/** Query parameters, with arrays and objects as the API's JSON-encoded `filters`. */
export function apiPath(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parameters.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const text = parameters.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Opens one API request; resolves with the response once its headers arrive (status < 400). */
export async function engineRequest(context: CommandContext, method: 'GET' | 'POST', path: string): Promise<IncomingMessage> {
  const http = await import('node:http');
  const socketPath = unixSocketPath(context.target.endpoint);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        method,
        path,
        host: 'docker',
        headers: { Host: 'docker' },
        // With `agent: false` Node makes a fresh Agent and ignores createConnection: give it no agent at all.
        ...(socketPath !== undefined ? { socketPath, agent: false } : { createConnection: () => dialStdio(context) }),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status < 400) {
          resolve(response);
          return;
        }
        readBody(response).then(
          (body) => reject(new EngineApiError(status, apiErrorMessage(body) ?? `${method} ${path}: HTTP ${status}`)),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Calls the API and parses its JSON answer. */
export async function engineJson<T>(context: CommandContext, method: 'GET' | 'POST', path: string): Promise<T> {
  const response = await engineRequest(context, method, path);
  return JSON.parse(await readBody(response)) as T;
}

/** The whole body of a response as text. */
export async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The lines of a streamed response (events, stats samples) as they arrive, without their newline;
 * ends with the response, or when `signal` aborts (which destroys it).
 */
export async function* responseLines(response: IncomingMessage, signal: AbortSignal): AsyncGenerator<string> {
  const stop = (): void => {
    response.destroy();
  };
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  let buffered = '';
  try {
    for await (const chunk of response) {
      buffered += (chunk as Buffer).toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        yield line;
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

function apiErrorMessage(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return body.trim() || undefined;
  }
}

// Any endpoint other than a local socket (ssh://, tcp://) is reached through the CLI itself, so
// contexts, SSH configuration and TLS work exactly as they do for docker commands.
function dialStdio(context: CommandContext): Duplex {
  const argv = dockerArgv(context.target, ['system', 'dial-stdio']).map(String);
  // Loaded synchronously inside createConnection: node:child_process is already in memory by then.
  const child = spawnChild('docker', argv, context);
  const duplex = duplexFrom(child);
  child.on('error', (error) => duplex.destroy(new Error(`docker system dial-stdio: ${error.message}`)));
  duplex.on('close', () => child.kill('SIGKILL'));
  return duplex;
}

let childProcessModule: typeof import('node:child_process') | undefined;
let streamModule: typeof import('node:stream') | undefined;

/** Loads what the dial-stdio transport needs; call before the first request to a non-unix endpoint. */
export async function prepareTransport(context: CommandContext): Promise<void> {
  if (unixSocketPath(context.target.endpoint) !== undefined) return;
  childProcessModule = await import('node:child_process');
  streamModule = await import('node:stream');
}

function spawnChild(program: string, argv: string[], context: CommandContext): import('node:child_process').ChildProcessWithoutNullStreams {
  if (!childProcessModule) throw new UserError('internal: prepareTransport was not awaited');
  return childProcessModule.spawn(program, argv, { env: programEnvironment(context), stdio: ['pipe', 'pipe', 'pipe'] });
}

function duplexFrom(child: import('node:child_process').ChildProcessWithoutNullStreams): Duplex {
  if (!streamModule) throw new UserError('internal: prepareTransport was not awaited');
  return streamModule.Duplex.from({ readable: child.stdout, writable: child.stdin });
}

/** The docker CLI line equivalent to an API call, for the echo. */
export function equivalentCommandLine(context: CommandContext, args: readonly string[]): string {
  return formatCommandLine('docker', dockerArgv(context.target, args));
}

/** What logs-all needs to know about one container, from `GET /containers/{id}/json`. */
export interface ContainerRunState {
  readonly id: string;
  readonly name: string;
  readonly tty: boolean;
  readonly running: boolean;
  /** RFC3339Nano; `0001-01-01T00:00:00Z` when never started. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly exitCode: number;
  readonly oomKilled: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

interface InspectAnswer {
  Id: string;
  Name: string;
  Config: { Tty: boolean; Labels: Record<string, string> | null };
  State: { Running: boolean; StartedAt: string; FinishedAt: string; ExitCode: number; OOMKilled: boolean };
}

/** `docker inspect` of one container through the API; an EngineApiError with status 404 when it is gone. */
export async function inspectContainerState(context: CommandContext, id: string): Promise<ContainerRunState> {
  const answer = await engineJson<InspectAnswer>(context, 'GET', `/containers/${encodeURIComponent(id)}/json`);
  return {
    id: answer.Id,
    name: answer.Name.replace(/^\//, ''),
    tty: answer.Config.Tty,
    running: answer.State.Running,
    startedAt: answer.State.StartedAt,
    finishedAt: answer.State.FinishedAt,
    exitCode: answer.State.ExitCode,
    oomKilled: answer.State.OOMKilled,
    labels: answer.Config.Labels ?? {},
  };
}

/** A container as `GET /containers/json` lists it. */
export interface ListedContainer {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The API's `filters` parameter for `label=K=V` filters as docker ps takes them. */
export function labelFiltersParameter(labelFilters: readonly string[], extra: Record<string, string[]> = {}): string {
  return JSON.stringify({ ...extra, ...(labelFilters.length > 0 ? { label: labelFilters.map((filter) => filter.replace(/^label=/, '')) } : {}) });
}

/** `docker ps [-a]` with label filters, through the API. */
export async function listContainersByLabel(context: CommandContext, labelFilters: readonly string[], includeStopped: boolean): Promise<ListedContainer[]> {
  const path = apiPath('/containers/json', { all: includeStopped, filters: labelFiltersParameter(labelFilters) });
  const answer = await engineJson<{ Id: string; Names: string[]; State: string; Labels: Record<string, string> | null }[]>(context, 'GET', path);
  return answer.map((entry) => ({ id: entry.Id, name: (entry.Names[0] ?? '').replace(/^\//, ''), state: entry.State, labels: entry.Labels ?? {} }));
}

/** What to read of a container's log. */
export interface LogRequest {
  readonly follow: boolean;
  /** The API's `since`: `seconds.nanoseconds`, inclusive. */
  readonly since?: string;
  /** The API's `until`, same form. */
  readonly until?: string;
  readonly tail?: number;
}

/** The API path of `docker logs --timestamps` with both streams. */
export function containerLogsPath(id: string, request: LogRequest): string {
  return apiPath(`/containers/${encodeURIComponent(id)}/logs`, {
    stdout: true,
    stderr: true,
    timestamps: true,
    follow: request.follow,
    since: request.since,
    until: request.until,
    tail: request.tail,
  });
}

/** Opens a container's log: multiplexed frames for containers without a TTY, raw bytes with one. */
export function openContainerLogs(context: CommandContext, id: string, request: LogRequest): Promise<IncomingMessage> {
  return engineRequest(context, 'GET', containerLogsPath(id, request));
}

/** Opens `docker events` for containers, JSON messages one after another. */
export function openContainerEvents(context: CommandContext, options: { since?: string; labelFilters: readonly string[]; events: readonly string[] }): Promise<IncomingMessage> {
  const filters = labelFiltersParameter(options.labelFilters, { type: ['container'], event: [...options.events] });
  return engineRequest(context, 'GET', apiPath('/events', { since: options.since, filters }));
}

/** Opens `docker stats` of one container: a JSON object per sample (`stream`), or one sample. */
export function openContainerStats(context: CommandContext, id: string, stream: boolean): Promise<IncomingMessage> {
  return engineRequest(context, 'GET', apiPath(`/containers/${encodeURIComponent(id)}/stats`, { stream }));
}
