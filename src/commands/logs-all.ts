import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  containerEventsCommandLine,
  listContainersByLabel,
  listContainersCommandLine,
  type ListedContainer,
} from '../docker/engine-api.js';
import { errorMessage, UserError } from '../errors.js';
import { matchesNamePatterns } from '../monitor/capture-options.js';
import { ContainerCapture } from '../monitor/container-capture.js';
import { capturedContainerEvents, followContainerEvents } from '../monitor/container-events.js';
import { EngineGate, sleep } from '../monitor/engine-gate.js';
import type { LogLine } from '../monitor/log-decoder.js';
import { lockFolder } from '../monitor/folder-lock.js';
import { AppendFile, containerCursorPath, ensureFolder, FileWriteError } from '../monitor/log-files.js';
import { WriteGate } from '../monitor/write-gate.js';
import { resolveContainerScope, scopeLabelFilters, type ScopeRequest } from '../project/container-scope.js';
import { defaultMonitorDir } from '../project/project.js';
import { dockFailures, expandDocks, onEachDock, whenReachable } from './each-dock.js';
import { engineContext, type CommandSession } from './session.js';
import { statsAll } from './stats-all.js';

/** What logs-all was asked. */
export interface LogsAllRequest extends ScopeRequest {
  /** Where the files go; default `.dockerutils/logs` under the project root (or the current folder). */
  readonly dir?: string;
  readonly once: boolean;
  /** `--name` glob patterns; none means every container in scope. */
  readonly namePatterns: readonly string[];
  readonly firstSinceNanos?: bigint;
  readonly firstTail?: number;
  /** Stops following (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Also record the resource usage of the same containers, as stats-all does, into the same folder. */
  readonly stats?: boolean;
}

/** Where logs-all reports to: the cli decides how it looks. */
export interface LogsAllReporter {
  /** The lines as they are written, when someone shows them (not with --quiet). */
  lines?: (name: string, lines: readonly LogLine[]) => void;
  notice(text: string): void;
}

/** What a logs-all run did. */
export interface LogsAllSummary {
  readonly dir: string;
  readonly containers: number;
  readonly linesWritten: number;
  /** With `stats`: the samples written. */
  readonly samples?: number;
}

/**
 * logs-all: captures every container in scope into its own file (and all.log) until stopped,
 * including containers that start meanwhile; with `once`, catches every one up to now and returns.
 * With `stats`, stats-all's sampling runs beside it in this process, to the files only, with the same
 * scope, folder and stop; either one failing stops both.
 */
export async function logsAll(
  session: CommandSession,
  request: LogsAllRequest,
  reporter: LogsAllReporter,
): Promise<LogsAllSummary> {
  if (!request.stats) return captureLogs(session, request, reporter);
  const failed = new AbortController();
  const signal = AbortSignal.any([request.signal, failed.signal]);
  const stopBothOnFailure = <T>(running: Promise<T>): Promise<T> =>
    running.catch((error: unknown) => {
      failed.abort();
      throw error;
    });
  const [logs, stats] = await Promise.allSettled([
    stopBothOnFailure(captureLogs(session, { ...request, signal }, reporter)),
    stopBothOnFailure(
      statsAll(
        session,
        {
          all: request.all,
          image: request.image,
          dir: request.dir,
          once: request.once,
          namePatterns: request.namePatterns,
          intervalSeconds: statsIntervalSeconds,
          signal,
        },
        { sample: () => {}, left: () => {}, notice: reporter.notice },
      ),
    ),
  ]);
  if (logs.status === 'rejected') throw logs.reason;
  if (stats.status === 'rejected') throw stats.reason;
  return { ...logs.value, samples: stats.value.samples };
}

/** Marks a phase of a run (`performance.mark`): with DOCKERUTILS_TIMINGS=1 the cli prints where the time went. */
export function markPhase(name: string): void {
  performance.mark(`logs-all ${name}`);
}

// stats-all's own default.
const statsIntervalSeconds = 1;

async function captureLogs(
  session: CommandSession,
  request: LogsAllRequest,
  reporter: LogsAllReporter,
): Promise<LogsAllSummary> {
  const scope = resolveContainerScope(session.cwd, session.env, request);
  const context = { ...engineContext(session), notice: reporter.notice };
  const dir = request.dir ?? defaultMonitorDir(session.cwd);
  const labelFilters = scopeLabelFilters(scope);
  const events = { labelFilters, events: capturedContainerEvents };
  context.echo(listContainersCommandLine(context, labelFilters, true));
  if (!request.once) context.echo(containerEventsCommandLine(context, events));
  if (context.dryRun) return { dir, containers: 0, linesWritten: 0 };

  ensureFolder(dir);
  const unlock = lockFolder(dir, 'logs-all');
  const { signal } = request;
  // Every followed container listens for the one stop: hundreds of listeners are the design, not a leak.
  setMaxListeners(0, request.signal);
  const engine = new EngineGate(context, reporter.notice, signal);
  const allLog = new AppendFile(join(dir, 'all.log'));
  let writeFailure: FileWriteError | undefined;
  const captures = new Map<string, ContainerCapture>();
  const running: Promise<void>[] = [];
  const settings = {
    dir,
    once: request.once,
    firstSinceNanos: request.firstSinceNanos,
    firstTail: request.firstTail,
    signal,
  };
  const output = {
    allLog,
    engine,
    writes: new WriteGate(dir, reporter.notice),
    lines: reporter.lines,
    notice: reporter.notice,
  };

  const capture = (container: { id: string; name: string }): ContainerCapture => {
    let found = captures.get(container.id);
    if (!found) {
      found = new ContainerCapture(context, container.id, container.name, settings, output);
      captures.set(container.id, found);
      running.push(
        found.run().catch((error: unknown) => {
          if (error instanceof FileWriteError) writeFailure ??= error;
          else reporter.notice(`${container.name}: ${errorMessage(error)}`);
        }),
      );
    }
    return found;
  };
  // Running containers, and stopped ones that have a cursor here already (they may have lines not yet captured).
  const wanted = (container: ListedContainer): boolean =>
    matchesNamePatterns(container.name, request.namePatterns) &&
    (container.state === 'running' ||
      scope.includeStopped ||
      request.once ||
      existsSync(containerCursorPath(dir, container.id, container.name)));

  const scan = async (): Promise<void> => {
    const listed = await listContainersByLabel(context, labelFilters, true);
    markPhase('containers listed');
    for (const container of listed) {
      if (wanted(container)) capture(container).wake();
    }
  };

  try {
    if (request.once) {
      await scan();
    } else {
      // Events first, so that a container starting between the listing and the watch is not missed.
      const watching = followContainerEvents(
        context,
        { ...events, engine, signal, notice: reporter.notice },
        (event) => {
          if (
            event.Action === 'start' &&
            matchesNamePatterns(event.Actor.Attributes.name ?? '', request.namePatterns)
          ) {
            capture({ id: event.Actor.ID, name: event.Actor.Attributes.name ?? event.Actor.ID }).wake();
          } else if (event.Action === 'die') {
            const exitCode = event.Actor.Attributes.exitCode;
            captures.get(event.Actor.ID)?.noteDie(exitCode === undefined ? undefined : Number(exitCode));
          } else if (event.Action === 'destroy') {
            captures.get(event.Actor.ID)?.wake();
          }
        },
        scan,
      );
      running.push(watching);
    }
    // Captures started meanwhile join `running`: wait until every one has ended, its files closed.
    for (let settled = 0; settled < running.length;) {
      const batch = running.slice(settled);
      settled = running.length;
      await Promise.all(batch);
    }
    while (running.length > 0 && !request.once && !signal.aborted) await sleep(1000, signal);
    markPhase('logs read');
  } finally {
    allLog.close();
    unlock();
  }
  markPhase('files closed');
  if (writeFailure)
    throw new UserError(`cannot write ${dir} (${writeFailure.reason}): ${writeFailure.path}`, { exitCode: 1 });
  return {
    dir,
    containers: captures.size,
    linesWritten: [...captures.values()].reduce((sum, entry) => sum + entry.linesWritten, 0),
  };
}

/**
 * logs-all on several docks in one process: each dock's files under `<dir>/<dock>/`, lines and
 * notices told with their dock; a dock that is not there is tried again without holding up the others.
 */
export async function logsAllOnDocks(
  session: CommandSession,
  dockNames: readonly string[],
  request: LogsAllRequest,
  reporter: LogsAllReporter,
): Promise<{ summary: LogsAllSummary; failures: { dock: string; failure: string }[] }> {
  const docks = await expandDocks(session, dockNames);
  const dir = request.dir ?? defaultMonitorDir(session.cwd);
  const outcomes = await onEachDock(session, docks, (dockSession, dock) =>
    whenReachable(dock, { ...request, notice: reporter.notice }, () =>
      logsAll(
        dockSession,
        { ...request, dir: join(dir, dock) },
        {
          lines: reporter.lines && ((name, lines) => reporter.lines?.(`${dock}/${name}`, lines)),
          notice: (text) => reporter.notice(`dock ${dock}: ${text}`),
        },
      ),
    ),
  );
  const summaries = outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : []));
  return {
    summary: {
      dir,
      containers: summaries.reduce((sum, summary) => sum + summary.containers, 0),
      linesWritten: summaries.reduce((sum, summary) => sum + summary.linesWritten, 0),
    },
    failures: dockFailures(outcomes),
  };
}
