import { isEngineUnreachable, openContainerEvents } from '../docker/engine-api.js';
import type { CommandContext } from '../docker/exec.js';
import { eventTimeNanos } from '../docker/timestamps.js';
import { errorMessage } from '../errors.js';
import { sleep, type EngineGate } from './engine-gate.js';

/** One container event as the API streams it, with its exact time. */
export interface ContainerEvent {
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string | undefined> };
  /** The engine's clock, in nanoseconds since the epoch. */
  readonly timeNanos: bigint;
}

/** The container events logs-all and stats-all follow: starts join, deaths and removals leave. */
export const capturedContainerEvents = ['start', 'die', 'destroy'] as const;

/** What `followContainerEvents` needs. */
export interface ContainerEventsOptions {
  readonly labelFilters: readonly string[];
  /** The event kinds to follow (docker's `event=` filter). */
  readonly events: readonly string[];
  readonly engine: EngineGate;
  readonly signal: AbortSignal;
  notice(text: string): void;
}

/**
 * Follows container events until `signal` aborts. The stream can end or break (engine restart): it
 * is reopened from the last event seen, and `rescan` runs after every (re)open, since events may have
 * been missed in between; its first run is the initial listing. A failure of the first open or
 * listing is thrown: an engine that is not there at the start is the user's to fix, not ours to wait for.
 */
export async function followContainerEvents(
  context: CommandContext,
  options: ContainerEventsOptions,
  onEvent: (event: ContainerEvent) => void,
  rescan: () => Promise<void>,
): Promise<void> {
  let sinceNanos = BigInt(Date.now()) * 1_000_000n;
  let first = true;
  while (!options.signal.aborted) {
    try {
      const response = await openContainerEvents(context, {
        sinceNanos,
        labelFilters: options.labelFilters,
        events: options.events,
      });
      const lines = response.lines(options.signal);
      await rescan();
      first = false;
      for await (const line of lines) {
        const text = line.trim();
        if (text === '') continue;
        const event = JSON.parse(text) as Omit<ContainerEvent, 'timeNanos'>;
        sinceNanos = eventTimeNanos(text) ?? sinceNanos;
        onEvent({ ...event, timeNanos: sinceNanos });
      }
    } catch (error) {
      if (options.signal.aborted) return;
      if (first) throw error;
      if (isEngineUnreachable(error)) await options.engine.waitUntilReachable(error);
      else {
        options.notice(`docker events: ${errorMessage(error)}; reopening`);
        await sleep(1000, options.signal);
      }
    }
  }
}
