import type { Duplex } from 'node:stream';
import { dockerArgv, lastLine, programEnvironment, type CommandContext } from './exec.js';
import { formatCommandLine } from './command-line.js';
import { connectUnixSocket, requestOnConnection, type EngineResponse } from './engine-connection.js';
import { dropEngineForward, forwardedEngineSocket } from './engine-forward.js';
import { EngineUnreachableError } from './engine-target.js';
import { apiTime, formatTimestamp } from './timestamps.js';

export { EngineApiError, type EngineResponse } from './engine-connection.js';

// Long-running followers talk to the Engine API on the transport the docker CLI uses: one socket per
// stream costs a few kilobytes where one `docker logs -f` process costs megabytes.

/** `docker system dial-stdio` could not connect (or run): the message is its reason, mostly ssh's. */
class EngineDialError extends Error {}

/** True when an error means the engine could not be reached at all (down, restarting, socket gone). */
export function isEngineUnreachable(error: unknown): boolean {
  if (error instanceof EngineUnreachableError || error instanceof EngineDialError) return true;
  const { code, syscall } = (error ?? {}) as { code?: string; syscall?: string };
  if (syscall === 'connect' && ['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code ?? ''))
    return true;
  return ['ECONNRESET', 'EPIPE', 'ENOTCONN'].includes(code ?? '');
}

/** Why the engine could not be reached, in a few words. */
export function unreachableReason(error: unknown): string {
  if (error instanceof EngineUnreachableError) return error.reason ?? 'no answer';
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const plain: Record<string, string> = {
    ECONNRESET: 'connection reset',
    ECONNREFUSED: 'connection refused',
    ENOENT: 'no socket there',
    EPIPE: 'connection closed',
  };
  return (code !== undefined ? plain[code] : undefined) ?? message ?? String(error);
}

/** The reason in what `docker system dial-stdio` printed when it failed: ssh's own words where it quotes them. */
export function dialFailureReason(stderr: string): string | undefined {
  const line = lastLine(stderr);
  const quoted = line?.lastIndexOf('stderr=') ?? -1;
  return quoted === -1 ? line : line!.slice(quoted + 'stderr='.length).trim() || line;
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

/**
 * Opens one API request; resolves with the response once its headers arrive (status < 400). An
 * engine that cannot be reached rejects with EngineUnreachableError.
 */
export async function engineRequest(
  context: CommandContext,
  method: 'GET' | 'POST',
  path: string,
  options: { label?: string; jsonBody?: string; signal?: AbortSignal } = {},
): Promise<EngineResponse> {
  const overSsh = context.target.endpoint.startsWith('ssh://');
  const socketPath =
    unixSocketPath(context.target.endpoint) ??
    (overSsh ? await unlessAborted(forwardedEngineSocket(context), options.signal) : undefined);
  try {
    if (socketPath !== undefined) {
      return await requestOnConnection(
        method,
        path,
        (onBytes) => connectUnixSocket(socketPath, onBytes),
        options.jsonBody,
        options.signal,
      );
    }
    return await dialedRequest(context, method, path, options.label ?? path, options.jsonBody, options.signal);
  } catch (error) {
    if (overSsh && socketPath !== undefined && isEngineUnreachable(error)) dropEngineForward(context);
    if (isEngineUnreachable(error) && !(error instanceof EngineUnreachableError))
      throw new EngineUnreachableError(context.target, unreachableReason(error));
    throw error;
  }
}

// The forward being set up is shared by the process's requests: an abort ends this request's wait, not the setup.
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

// Without a forward each stream is an ssh session of its own, and a stock sshd allows 10 on a
// connection (MaxSessions); the docker CLI calls of the same command keep two for themselves.
const maxDialedStreams = 8;
let dialedStreams = 0;
const waitingForDial: (() => void)[] = [];

async function dialedRequest(
  context: CommandContext,
  method: 'GET' | 'POST',
  path: string,
  label: string,
  jsonBody: string | undefined,
  signal: AbortSignal | undefined,
): Promise<EngineResponse> {
  if (dialedStreams >= maxDialedStreams) {
    context.notice?.(
      `${label}: not followed for now: the dock's sshd does not forward sockets and all ${maxDialedStreams} of its sessions are in use; it is followed when one frees`,
    );
    await new Promise<void>((resolve) => waitingForDial.push(resolve));
  }
  dialedStreams++;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    dialedStreams--;
    waitingForDial.shift()?.();
  };
  try {
    const response = await requestOnConnection(
      method,
      path,
      async (onBytes) => {
        const duplex = await dialStdio(context);
        duplex.on('data', onBytes);
        return duplex;
      },
      jsonBody,
      signal,
    );
    response.finished.then(release, release);
    return response;
  } catch (error) {
    release();
    throw error;
  }
}

/** Calls the API and parses its JSON answer (an empty answer is undefined); `body` is sent as JSON. */
export async function engineJson<T>(
  context: CommandContext,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const response = await engineRequest(context, method, path, {
    jsonBody: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
}

// Other endpoints (ssh://, tcp://) go through the CLI itself, so contexts, SSH and TLS work as for
// docker commands; its stderr on failure becomes the connection's reason.
async function dialStdio(context: CommandContext): Promise<Duplex> {
  const [{ spawn }, { Duplex }] = await Promise.all([import('node:child_process'), import('node:stream')]);
  const child = spawn('docker', dockerArgv(context.target, ['system', 'dial-stdio']).map(String), {
    env: programEnvironment(context),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let complaint = '';
  const duplex = new Duplex({
    // A write to a CLI that has exited fails: its exit, below, says why.
    write: (chunk: Buffer, _encoding, callback) => void child.stdin.write(chunk, () => callback()),
    final: (callback) => void child.stdin.end(() => callback()),
    read: () => void child.stdout.resume(),
  });
  child.stdin.on('error', () => {});
  child.stdout.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) child.stdout.pause();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    complaint = (complaint + text).slice(-4096);
  });
  // The end of the output is taken at the CLI's exit, once its reason for a failure is known.
  child.on('close', (exitCode) => {
    const reason = exitCode !== 0 && exitCode !== null ? dialFailureReason(complaint) : undefined;
    if (reason !== undefined) duplex.destroy(new EngineDialError(reason));
    else duplex.push(null);
  });
  child.on('error', (error) => duplex.destroy(new EngineDialError(`docker system dial-stdio: ${error.message}`)));
  duplex.on('close', () => child.kill('SIGKILL'));
  return duplex;
}

// The API calls are echoed as the docker CLI line that does the same, for a user to paste.
function equivalentCommandLine(context: CommandContext, args: readonly string[]): string {
  return formatCommandLine('docker', dockerArgv(context.target, args));
}

function filterArgs(labelFilters: readonly string[]): string[] {
  return labelFilters.flatMap((filter) => ['--filter', filter]);
}

/** The `docker ps` line equivalent to `listContainersByLabel`. */
export function listContainersCommandLine(
  context: CommandContext,
  labelFilters: readonly string[],
  includeStopped: boolean,
): string {
  return equivalentCommandLine(context, [
    'ps',
    ...(includeStopped ? ['-a'] : []),
    ...filterArgs(labelFilters),
    '--format',
    '{{json .}}',
  ]);
}

/** The `docker logs` line equivalent to reading a container's log with `openContainerLogs`. */
export function containerLogsCommandLine(context: CommandContext, name: string, request: LogRequest): string {
  return equivalentCommandLine(context, [
    'logs',
    ...(request.follow ? ['--follow'] : []),
    '--timestamps',
    ...(request.sinceNanos !== undefined ? ['--since', formatTimestamp(request.sinceNanos)] : []),
    ...(request.tail !== undefined ? ['--tail', String(request.tail)] : []),
    name,
  ]);
}

/** The `docker stats` line equivalent to sampling these containers through `openContainerStats`. */
export function containerStatsCommandLine(
  context: CommandContext,
  options: { stream: boolean; names: readonly string[] },
): string {
  return equivalentCommandLine(context, [
    'stats',
    ...(options.stream ? [] : ['--no-stream']),
    '--format',
    '{{json .}}',
    ...options.names,
  ]);
}

/** The `docker events` line equivalent to `openContainerEvents`. */
export function containerEventsCommandLine(
  context: CommandContext,
  options: { labelFilters: readonly string[]; events: readonly string[] },
): string {
  return equivalentCommandLine(context, [
    'events',
    '--filter',
    'type=container',
    ...options.events.flatMap((event) => ['--filter', `event=${event}`]),
    ...filterArgs(options.labelFilters),
    '--format',
    '{{json .}}',
  ]);
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
  /** Restarts by the container's restart policy. */
  readonly restartCount: number;
  readonly labels: Readonly<Record<string, string>>;
}

interface InspectAnswer {
  Id: string;
  Name: string;
  Config: { Tty: boolean; Labels: Record<string, string> | null };
  State: { Running: boolean; StartedAt: string; FinishedAt: string; ExitCode: number; OOMKilled: boolean };
  RestartCount?: number;
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
    restartCount: answer.RestartCount ?? 0,
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
  return JSON.stringify({
    ...extra,
    ...(labelFilters.length > 0 ? { label: labelFilters.map((filter) => filter.replace(/^label=/, '')) } : {}),
  });
}

/** `docker ps [-a]` with label filters, through the API. */
export async function listContainersByLabel(
  context: CommandContext,
  labelFilters: readonly string[],
  includeStopped: boolean,
): Promise<ListedContainer[]> {
  const path = apiPath('/containers/json', { all: includeStopped, filters: labelFiltersParameter(labelFilters) });
  const answer = await engineJson<
    { Id: string; Names: string[]; State: string; Labels: Record<string, string> | null }[]
  >(context, 'GET', path);
  return answer.map((entry) => ({
    id: entry.Id,
    name: (entry.Names[0] ?? '').replace(/^\//, ''),
    state: entry.State,
    labels: entry.Labels ?? {},
  }));
}

/** What to read of a container's log. */
export interface LogRequest {
  readonly follow: boolean;
  /** From this time on, inclusive, in nanoseconds since the epoch. */
  readonly sinceNanos?: bigint;
  /** Up to this time. */
  readonly untilNanos?: bigint;
  readonly tail?: number;
}

/** The API path of `docker logs --timestamps` with both streams. */
export function containerLogsPath(id: string, request: LogRequest): string {
  return apiPath(`/containers/${encodeURIComponent(id)}/logs`, {
    stdout: true,
    stderr: true,
    timestamps: true,
    follow: request.follow,
    since: request.sinceNanos === undefined ? undefined : apiTime(request.sinceNanos),
    until: request.untilNanos === undefined ? undefined : apiTime(request.untilNanos),
    tail: request.tail,
  });
}

/** Opens a container's log: multiplexed frames for containers without a TTY, raw bytes with one. */
export function openContainerLogs(
  context: CommandContext,
  id: string,
  request: LogRequest,
  label?: string,
): Promise<EngineResponse> {
  return engineRequest(context, 'GET', containerLogsPath(id, request), { label });
}

/** Opens `docker events` for containers, JSON messages one after another. */
export function openContainerEvents(
  context: CommandContext,
  options: { sinceNanos: bigint; labelFilters: readonly string[]; events: readonly string[] },
): Promise<EngineResponse> {
  const filters = labelFiltersParameter(options.labelFilters, { type: ['container'], event: [...options.events] });
  return engineRequest(context, 'GET', apiPath('/events', { since: apiTime(options.sinceNanos), filters }));
}

/**
 * Opens `docker stats` of one container: a JSON object per sample (`stream`), or one sample; a
 * `oneShot` sample is a single read, without the previous one CPU usage is computed from.
 */
export function openContainerStats(
  context: CommandContext,
  id: string,
  options: { stream: boolean; oneShot?: boolean; label?: string },
): Promise<EngineResponse> {
  return engineRequest(
    context,
    'GET',
    apiPath(`/containers/${encodeURIComponent(id)}/stats`, { stream: options.stream, 'one-shot': options.oneShot }),
    { label: options.label },
  );
}
