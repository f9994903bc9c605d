import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { EngineApiError, equivalentCommandLine, inspectContainerState, isEngineUnreachable, listContainersByLabel, openContainerStats, prepareTransport, readBody, responseLines } from '../docker/engine-api.js';
import type { CommandContext } from '../docker/exec.js';
import { scopeLabelFilters } from '../project/container-scope.js';
import { matchesNamePatterns } from '../monitor/capture-options.js';
import { followContainerEvents } from '../monitor/container-events.js';
import { EngineGate, sleep } from '../monitor/engine-gate.js';
import { containerFileStem, RecordFile } from '../monitor/log-files.js';
import { statsSample, type RawStats, type StatsSample } from '../monitor/stats-sample.js';
import { resolveContainerScope, type ScopeRequest } from './list-containers.js';
import { defaultMonitorDir } from './logs-all.js';

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
export async function statsAll(context: CommandContext, request: StatsAllRequest, reporter: StatsAllReporter): Promise<{ dir: string; samples: number }> {
  const scope = resolveContainerScope(context, request);
  const dir = request.dir ?? defaultMonitorDir(context.cwd);
  const labelFilters = scopeLabelFilters(scope);
  const streaming = !request.once && request.intervalSeconds <= 2;
  const events = ['start', 'die', 'destroy'];
  context.echo(equivalentCommandLine(context, ['stats', ...(streaming ? [] : ['--no-stream']), '--format', '{{json .}}']));
  if (streaming) {
    context.echo(equivalentCommandLine(context, ['events', '--filter', 'type=container', ...events.flatMap((event) => ['--filter', `event=${event}`]), ...labelFilters.flatMap((filter) => ['--filter', filter]), '--format', '{{json .}}']));
  }
  if (context.dryRun) return { dir, samples: 0 };
  mkdirSync(dir, { recursive: true });
  await prepareTransport(context);

  const files = new Map<string, RecordFile>();
  const followed = new Map<string, Promise<void>>();
  let samples = 0;
  const record = (id: string, name: string, raw: RawStats): void => {
    const sample = statsSample(id, name, raw);
    let file = files.get(id);
    if (!file) files.set(id, (file = new RecordFile(join(dir, `${containerFileStem(id, name)}.stats.jsonl`))));
    const jsonLine = JSON.stringify(sample);
    file.append(`${jsonLine}\n`);
    samples++;
    reporter.sample(sample, jsonLine);
  };
  const lastSampleMs = new Map<string, number>();
  const engine = new EngineGate(context, reporter.notice, request.signal);
  const streams = new Map<string, IncomingMessage>();
  /** Containers whose die or destroy event came: their stream ending is a leave, not a retry. */
  const died = new Set<string>();

  // One stream per container; it ends when the container stops, and idle streams can be closed by
  // the engine: a stream that ends while its container runs is opened again.
  const follow = async (id: string, name: string): Promise<void> => {
    for (let attempt = 0; !request.signal.aborted; attempt++) {
      if (attempt > 0) {
        await sleep(1000, request.signal);
        const state = await inspectContainerState(context, id).catch(() => undefined);
        if (!state?.running || request.signal.aborted) return;
      }
      try {
        const response = await openContainerStats(context, id, true);
        streams.set(id, response);
        try {
          for await (const text of responseLines(response, request.signal)) {
            // A stopped container's stream goes on with empty samples read at the zero time.
            if (text.includes('"read":"0001-01-01')) {
              response.destroy();
              return;
            }
            const nowMs = Date.now();
            // Checked without trim(): that would copy every sample of a few kilobytes.
            if (!/\S/.test(text) || nowMs - (lastSampleMs.get(id) ?? 0) < request.intervalSeconds * 1000 - 250) continue;
            lastSampleMs.set(id, nowMs);
            record(id, name, JSON.parse(text) as RawStats);
          }
        } finally {
          streams.delete(id);
        }
      } catch (error) {
        if (request.signal.aborted || died.delete(id)) return;
        if (error instanceof EngineApiError && error.statusCode === 404) return;
        if (isEngineUnreachable(error)) await engine.waitUntilReachable(error);
        else reporter.notice(`${name}: ${error instanceof Error ? error.message : String(error)}`);
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
        reporter.left(id, name);
      }),
    );
  };

  const sampleOnce = async (id: string, name: string): Promise<void> => {
    try {
      record(id, name, JSON.parse(await readBody(await openContainerStats(context, id, false))) as RawStats);
    } catch (error) {
      reporter.notice(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  try {
    if (streaming) {
      // Containers join on start events and leave when their stream ends (stop, removal); the
      // listing after every (re)open of the events catches starts missed meanwhile.
      const rescan = async (): Promise<void> => {
        for (const container of await listContainersByLabel(context, labelFilters, false)) startFollowing(container.id, container.name);
      };
      await followContainerEvents(context, { labelFilters, events, engine, signal: request.signal, notice: reporter.notice }, (event) => {
        if (event.Action === 'start') startFollowing(event.Actor.ID, event.Actor.Attributes.name ?? event.Actor.ID);
        else if (followed.has(event.Actor.ID)) {
          died.add(event.Actor.ID);
          streams.get(event.Actor.ID)?.destroy();
        }
      }, rescan);
    } else {
      for (;;) {
        let running;
        try {
          running = (await listContainersByLabel(context, labelFilters, false)).filter((container) => matchesNamePatterns(container.name, request.namePatterns));
        } catch (error) {
          if (!isEngineUnreachable(error) || request.once) throw error;
          await engine.waitUntilReachable(error);
          continue;
        }
        await Promise.all(running.map((container) => sampleOnce(container.id, container.name)));
        if (request.once || request.signal.aborted) break;
        await sleep(request.intervalSeconds * 1000, request.signal);
        if (request.signal.aborted) break;
      }
    }
    await Promise.all(followed.values());
  } finally {
    for (const file of files.values()) file.close();
  }
  return { dir, samples };
}
