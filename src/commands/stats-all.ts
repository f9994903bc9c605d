import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import {
  containerEventsCommandLine,
  containerStatsCommandLine,
  EngineApiError,
  inspectContainerState,
  isEngineUnreachable,
  listContainersByLabel,
  listContainersCommandLine,
  openContainerStats,
  type EngineResponse,
  type ListedContainer,
} from '../docker/engine-api.js';
import { dockStatsCommandLine } from '../docker/dock-stats.js';
import type { CommandContext } from '../docker/exec.js';
import { errorMessage, UserError } from '../errors.js';
import { matchesNamePatterns } from '../monitor/capture-options.js';
import { capturedContainerEvents, followContainerEvents } from '../monitor/container-events.js';
import { EngineGate, sleep } from '../monitor/engine-gate.js';
import { lockFolder } from '../monitor/folder-lock.js';
import { AppendFile, containerFileStem, ensureFolder, FileWriteError } from '../monitor/log-files.js';
import { WriteGate } from '../monitor/write-gate.js';
import { DockStatsRuns } from '../monitor/dock-stats-runs.js';
import { dockStatsSample, newestLine, statsSample, type RawStats, type StatsSample } from '../monitor/stats-sample.js';
import { resolveContainerScope, scopeLabelFilters, type ScopeRequest } from '../project/container-scope.js';
import { defaultMonitorDir } from '../project/project.js';
import { dockFailures, expandDocks, onEachDock, whenReachable } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';

/** What stats-all was asked. */
export interface StatsAllRequest extends ScopeRequest {
  readonly dir?: string;
  readonly once: boolean;
  readonly namePatterns: readonly string[];
  /** Seconds between samples; above 2 the engine is asked once per interval instead of streaming. */
  readonly intervalSeconds: number;
  readonly signal: AbortSignal;
}

/** Where stats-all reports to. */
export interface StatsAllReporter {
  /** A sample, and its JSON line as written to the file. */
  sample(sample: StatsSample, jsonLine: string): void;
  /** A container left (stopped or removed). */
  left(id: string, name: string): void;
  notice(text: string): void;
}

/**
 * stats-all: samples every running container in scope into `<dir>/<short id>-<name>.stats.jsonl`,
 * picking up containers that start and dropping those that stop, until stopped (or once with `once`).
 */
export async function statsAll(
  session: CommandSession,
  request: StatsAllRequest,
  reporter: StatsAllReporter,
): Promise<{ dir: string; samples: number }> {
  const scope = resolveContainerScope(session.cwd, session.env, request);
  const context = { ...engineContext(session), notice: reporter.notice };
  const dir = request.dir ?? defaultMonitorDir(session.cwd);
  const labelFilters = scopeLabelFilters(scope);
  const streaming = !request.once && request.intervalSeconds <= 2;
  // On a dock the dock's own docker stats is run (src/docker/dock-stats.ts).
  const onDock = streaming && context.target.endpoint.startsWith('ssh://');
  context.echo(listContainersCommandLine(context, labelFilters, false));
  if (streaming) context.echo(containerEventsCommandLine(context, { labelFilters, events: capturedContainerEvents }));
  // docker stats has no label filter: the echoed line names the containers in scope at the start.
  let echoedStats = false;
  const inScope = (containers: readonly ListedContainer[]): ListedContainer[] => {
    const matching = containers.filter((container) => matchesNamePatterns(container.name, request.namePatterns));
    // With no container in scope a bare `docker stats` would show the whole engine: nothing is echoed yet.
    if (!echoedStats && matching.length > 0) {
      echoedStats = true;
      context.echo(
        onDock
          ? dockStatsCommandLine(
              context,
              matching.map((container) => container.id),
            )
          : containerStatsCommandLine(context, {
              stream: streaming,
              names: matching.map((container) => container.name),
            }),
      );
    }
    return matching;
  };
  if (context.dryRun) {
    inScope(await listContainersByLabel(context, labelFilters, false));
    return { dir, samples: 0 };
  }
  ensureFolder(dir);
  const unlock = lockFolder(dir, 'stats-all');
  // Every followed container listens for the one stop: hundreds of listeners are the design, not a leak.
  setMaxListeners(0, request.signal);

  const files = new Map<string, AppendFile>();
  const writes = new WriteGate(dir, reporter.notice);
  let writeFailure: FileWriteError | undefined;
  let samples = 0;
  // A sample that cannot be written (a full disk) is shown but not kept: the engine cannot be asked
  // for it again later, unlike a log line.
  const record = (sample: StatsSample): void => {
    let file = files.get(sample.id);
    if (!file) {
      file = new AppendFile(join(dir, `${containerFileStem(sample.id, sample.name)}.stats.jsonl`));
      files.set(sample.id, file);
    }
    const jsonLine = JSON.stringify(sample);
    try {
      file.append(`${jsonLine}\n`);
      writes.succeeded();
      samples++;
    } catch (error) {
      if (!(error instanceof FileWriteError)) throw error;
      writeFailure ??= error;
      writes.failed(error);
    }
    reporter.sample(sample, jsonLine);
  };
  const engine = new EngineGate(context, reporter.notice, request.signal);
  try {
    const following = { labelFilters, engine, request, reporter, record, inScope };
    if (!streaming) await pollStats(context, { ...following, notice: reporter.notice });
    // On a dock the dock's own docker stats gathers the samples, unless its CLI cannot.
    else if (!(onDock && (await followDockStats(context, following))) && !request.signal.aborted)
      await followStatsStreams(context, following);
  } finally {
    for (const file of files.values()) file.close();
    unlock();
  }
  if (request.once && writeFailure) {
    throw new UserError(`cannot write ${dir} (${writeFailure.reason}): ${writeFailure.path}`, { exitCode: 1 });
  }
  return { dir, samples };
}

interface StatsFollowing {
  readonly labelFilters: readonly string[];
  readonly engine: EngineGate;
  readonly request: StatsAllRequest;
  readonly reporter: StatsAllReporter;
  readonly record: (sample: StatsSample) => void;
  readonly inScope: (containers: readonly ListedContainer[]) => ListedContainer[];
}

/** A container's stats stream, read once a tick. */
interface SampledStream {
  readonly name: string;
  readonly response: EngineResponse;
  /** A sample cut by the end of the last read. */
  carry: string;
  /** The engine sent a zero-time sample: the container stopped. */
  stopped: boolean;
}

// One stream per container, as `docker stats` opens them. Every interval all streams are read at
// once and then paused again: between ticks the engine's samples wait in the sockets, so hundreds of
// streams wake this process once a tick rather than once per sample, and only the newest is parsed.
async function followStatsStreams(context: CommandContext, following: StatsFollowing): Promise<void> {
  const { request, reporter, engine } = following;
  const sampled = new Map<string, SampledStream>();
  const followed = new Map<string, Promise<void>>();
  /** Containers whose die or destroy event came: their stream ending is a leave, not a retry. */
  const died = new Set<string>();

  const takeNewestSample = (id: string, stream: SampledStream): void => {
    const { newest, carry } = newestLine(stream.carry, stream.response.takeBody().toString('utf8'));
    stream.carry = carry;
    if (newest === undefined) return;
    // A stopped container's stream goes on with empty samples read at the zero time.
    if (newest.includes('"read":"0001-01-01')) {
      stream.stopped = true;
      stream.response.destroy();
      return;
    }
    following.record(statsSample(id, stream.name, JSON.parse(newest) as RawStats));
  };
  const tick = setInterval(() => {
    for (const stream of sampled.values()) stream.response.resume();
    setImmediate(() => {
      for (const [id, stream] of sampled) {
        stream.response.pause();
        takeNewestSample(id, stream);
      }
    });
  }, request.intervalSeconds * 1000);

  // A stream ends when its container stops, and idle streams can be closed by the engine: a stream
  // that ends while its container runs is opened again.
  const follow = async (id: string, name: string): Promise<void> => {
    for (let attempt = 0; !request.signal.aborted; attempt++) {
      try {
        if (attempt > 0) {
          await sleep(1000, request.signal);
          if (request.signal.aborted || !(await inspectContainerState(context, id)).running) return;
        }
        const response = await openContainerStats(context, id, { stream: true, label: name });
        response.pause();
        const stream: SampledStream = { name, response, carry: '', stopped: false };
        sampled.set(id, stream);
        const stop = (): void => response.destroy();
        request.signal.addEventListener('abort', stop, { once: true });
        try {
          await response.finished;
        } finally {
          sampled.delete(id);
          request.signal.removeEventListener('abort', stop);
        }
        if (stream.stopped) return;
      } catch (error) {
        if (request.signal.aborted || died.delete(id)) return;
        if (error instanceof EngineApiError && error.statusCode === 404) return;
        if (isEngineUnreachable(error)) await engine.waitUntilReachable(error);
        else reporter.notice(`${name}: ${errorMessage(error)}`);
      }
      if (died.delete(id)) return;
    }
  };
  const startFollowing = (id: string, name: string): void => {
    if (followed.has(id) || !matchesNamePatterns(name, request.namePatterns)) return;
    died.delete(id);
    followed.set(
      id,
      follow(id, name).finally(() => {
        followed.delete(id);
        // Stopping stats-all ends every stream: that is not every container leaving.
        if (!request.signal.aborted) reporter.left(id, name);
      }),
    );
  };

  try {
    // A container leaves when its stream ends (stop, removal): a die or destroy ends it.
    await followScope(context, following, request.signal, {
      followed,
      join: startFollowing,
      leave: (id) => {
        if (!followed.has(id)) return;
        died.add(id);
        sampled.get(id)?.response.destroy();
      },
    });
    await Promise.all(followed.values());
  } finally {
    clearInterval(tick);
  }
}

// The dock's `docker stats` samples every followed container there and sends their rows together
// (src/docker/dock-stats.ts); which containers are followed is decided here, by events as for streams.
// False, with nothing recorded, when the dock's CLI cannot give rows.
async function followDockStats(context: CommandContext, following: StatsFollowing): Promise<boolean> {
  const { request, reporter } = following;
  const followed = new Map<string, string>();
  const fallingBack = new AbortController();
  const signal = AbortSignal.any([request.signal, fallingBack.signal]);
  const runs = new DockStatsRuns(context, () => [...followed.keys()], signal);
  void runs.unavailable.then(() => fallingBack.abort());
  const tick = setInterval(() => {
    for (const [id, name] of followed) {
      const received = runs.takeNewest(id);
      if (received) following.record(dockStatsSample(id, name, received.row, received.atMs));
    }
  }, request.intervalSeconds * 1000);
  const join = (id: string, name: string): void => {
    if (followed.has(id) || !matchesNamePatterns(name, request.namePatterns)) return;
    followed.set(id, name);
    runs.joined();
  };
  const leave = (id: string): void => {
    const name = followed.get(id);
    if (name === undefined) return;
    followed.delete(id);
    runs.left(id);
    reporter.left(id, name);
  };
  try {
    await followScope(context, following, signal, { followed, join, leave });
  } finally {
    clearInterval(tick);
    runs.stop();
  }
  return !fallingBack.signal.aborted;
}

// Containers in scope join on start events and on the listing after every (re)open of the events
// (starts missed meanwhile), and leave on die and destroy events or when a listing lacks them.
async function followScope(
  context: CommandContext,
  following: StatsFollowing,
  signal: AbortSignal,
  members: {
    readonly followed: ReadonlyMap<string, unknown>;
    join(id: string, name: string): void;
    leave(id: string): void;
  },
): Promise<void> {
  const { followed, join, leave } = members;
  const { labelFilters, engine, reporter } = following;
  await followContainerEvents(
    context,
    { labelFilters, events: capturedContainerEvents, engine, signal, notice: reporter.notice },
    (event) => {
      if (event.Action === 'start') join(event.Actor.ID, event.Actor.Attributes.name ?? event.Actor.ID);
      else leave(event.Actor.ID);
    },
    async () => {
      const running = following.inScope(await listContainersByLabel(context, labelFilters, false));
      for (const container of running) join(container.id, container.name);
      for (const id of followed.keys()) if (!running.some((container) => container.id === id)) leave(id);
    },
  );
}

interface StatsPolling {
  readonly labelFilters: readonly string[];
  readonly engine: EngineGate;
  readonly request: StatsAllRequest;
  readonly record: (sample: StatsSample) => void;
  readonly inScope: (containers: readonly ListedContainer[]) => ListedContainer[];
  readonly notice: (text: string) => void;
}

// --once and long intervals: one one-shot sample per container per interval (streaming would make
// the engine sample every second for nothing), CPU against the previous poll; --once waits for the
// engine's own two reads, so its CPU figure is real.
async function pollStats(context: CommandContext, polling: StatsPolling): Promise<void> {
  const { request, engine, labelFilters } = polling;
  const earlier = new Map<string, RawStats>();
  const sampleOnce = async (id: string, name: string): Promise<void> => {
    try {
      const raw = JSON.parse(
        await (await openContainerStats(context, id, { stream: false, oneShot: !request.once, label: name })).text(),
      ) as RawStats;
      polling.record(statsSample(id, name, raw, earlier.get(id)));
      earlier.set(id, raw);
    } catch (error) {
      polling.notice(`${name}: ${errorMessage(error)}`);
    }
  };
  for (let poll = 0; ; poll++) {
    let running;
    try {
      running = polling.inScope(await listContainersByLabel(context, labelFilters, false));
    } catch (error) {
      if (!isEngineUnreachable(error) || poll === 0) throw error;
      await engine.waitUntilReachable(error);
      continue;
    }
    await Promise.all(running.map((container) => sampleOnce(container.id, container.name)));
    for (const id of earlier.keys()) if (!running.some((container) => container.id === id)) earlier.delete(id);
    if (request.once || request.signal.aborted) break;
    await sleep(request.intervalSeconds * 1000, request.signal);
    if (request.signal.aborted) break;
  }
}

/**
 * stats-all on several docks in one process: each dock's files under `<dir>/<dock>/`, samples told
 * as `dock/name` (and with a `dock` field in JSON); a dock that is not there is tried again.
 */
export async function statsAllOnDocks(
  session: CommandSession,
  dockNames: readonly string[],
  request: StatsAllRequest,
  reporter: StatsAllReporter,
): Promise<{ dir: string; samples: number; failures: { dock: string; failure: string }[] }> {
  const docks = await expandDocks(session, dockNames);
  const dir = request.dir ?? defaultMonitorDir(session.cwd);
  const outcomes = await onEachDock(session, docks, (dockSession, dock) =>
    whenReachable(dock, { ...request, notice: reporter.notice }, () =>
      statsAll(
        dockSession,
        { ...request, dir: join(dir, dock) },
        {
          sample: (sample, jsonLine) =>
            reporter.sample(
              { ...sample, name: `${dock}/${sample.name}` },
              `{"dock":${JSON.stringify(dock)},${jsonLine.slice(1)}`,
            ),
          left: (id, name) => reporter.left(id, `${dock}/${name}`),
          notice: (text) => reporter.notice(`dock ${dock}: ${text}`),
        },
      ),
    ),
  );
  return {
    dir,
    samples: outcomes.reduce((sum, outcome) => sum + ('result' in outcome ? outcome.result.samples : 0), 0),
    failures: dockFailures(outcomes),
  };
}
