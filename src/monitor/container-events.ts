import { eventTimeNanos } from '../docker/container-events.js';
import { equivalentCommandLine, isEngineUnreachable, openContainerEvents } from '../docker/engine-api.js';
import type { CommandContext } from '../docker/exec.js';
import { sleep, type EngineGate } from './engine-gate.js';
import { sinceParameter } from './log-cursor.js';
import { errorMessage } from '../errors.js';

/** One container event as the API streams it. */
export interface ContainerEvent {
  readonly Action: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Record<string, string | undefined> };
}

/** The container events logs-all and stats-all follow: starts join, deaths and removals leave. */
const followedEvents = ['start', 'die', 'destroy'];

/** The `docker events` line equivalent to `followContainerEvents`, for the echo. */
export function containerEventsCommandLine(context: CommandContext, labelFilters: readonly string[]): string {
  return equivalentCommandLine(context, [
    'events',
    '--filter',
    'type=container',
    ...followedEvents.flatMap((event) => ['--filter', `event=${event}`]),
    ...labelFilters.flatMap((filter) => ['--filter', filter]),
    '--format',
    '{{json .}}',
  ]);
}

/** What `followContainerEvents` needs. */
export interface ContainerEventsOptions {
  readonly labelFilters: readonly string[];
  readonly engine: EngineGate;
  readonly signal: AbortSignal;
  notice(text: string): void;
}

/**
 * Follows the start, die and destroy events of containers until `signal` aborts. The stream can end or break (engine
 * restart): it is reopened from the last event seen, and `rescan` runs after every (re)open, since
 * starts may have been missed in between; its first run is the initial listing. A failure of the
 * first open or listing is thrown.
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
        since: sinceParameter(sinceNanos),
        labelFilters: options.labelFilters,
        events: followedEvents,
      });
      const lines = response.lines(options.signal);
      await rescan();
      first = false;
      for await (const line of lines) {
        const text = line.trim();
        if (text === '') continue;
        const event = JSON.parse(text) as ContainerEvent;
        sinceNanos = eventTimeNanos(text) ?? sinceNanos;
        onEvent(event);
      }
    } catch (error) {
      if (options.signal.aborted) return;
      // An engine that is not there at the start is the user's to fix, not ours to wait for.
      if (first) throw error;
      if (isEngineUnreachable(error)) await options.engine.waitUntilReachable(error);
      else {
        options.notice(`docker events: ${errorMessage(error)}; reopening`);
        await sleep(1000, options.signal);
      }
    }
  }
}
