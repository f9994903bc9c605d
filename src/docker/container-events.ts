import { scopeLabelFilters, type ContainerScope } from '../project/container-scope.js';
import type { Arg } from './command-line.js';
import { anyExitCode, runDocker, type CommandContext } from './exec.js';

/** A container of the scope that stopped or died, as `docker events` reported it. */
export interface ContainerDeath {
  readonly id: string;
  readonly name: string;
  readonly exitCode: string;
  /** The engine's clock, in nanoseconds since the epoch. */
  readonly timeNano: bigint;
}

/** `docker events` for the `die` events of a scope's containers, one JSON object a line. */
export function containerDeathEventsArgs(scope: ContainerScope, since?: string): Arg[] {
  return [
    'events',
    '--filter',
    'type=container',
    '--filter',
    'event=die',
    ...scopeLabelFilters(scope).flatMap((filter) => ['--filter', filter]),
    ...(since === undefined ? [] : ['--since', since]),
    '--format',
    '{{json .}}',
  ];
}

/** The exact time of an event line: JSON numbers lose the last digits of timeNano, the text keeps them. */
export function eventTimeNanos(line: string): bigint | undefined {
  const digits = /"timeNano":(\d+)/.exec(line)?.[1];
  return digits === undefined ? undefined : BigInt(digits);
}

/** One `die` event line; undefined for anything else. */
export function parseContainerDeath(line: string): ContainerDeath | undefined {
  let event: {
    Action?: string;
    Actor?: { ID?: string; Attributes?: Record<string, string> };
    timeNano?: number | string;
    time?: number;
  };
  try {
    event = JSON.parse(line) as typeof event;
  } catch {
    return undefined;
  }
  if (event.Action !== 'die' || !event.Actor?.ID) return undefined;
  const attributes = event.Actor.Attributes ?? {};
  const timeNano = eventTimeNanos(line) ?? BigInt(event.time ?? 0) * 1_000_000_000n;
  return {
    id: event.Actor.ID,
    name: attributes.name ?? event.Actor.ID.slice(0, 12),
    exitCode: attributes.exitCode ?? '?',
    timeNano,
  };
}

/**
 * Streams the scope's container deaths until `signal` aborts or docker events ends (engine gone,
 * interrupted); resolves then. `since` replays the events from that time (docker's `--since`).
 */
export async function watchContainerDeaths(
  context: CommandContext,
  scope: ContainerScope,
  options: { since?: string; quiet?: boolean; signal: AbortSignal; onDeath: (death: ContainerDeath) => void },
): Promise<void> {
  await runDocker({ ...context, dryRun: false }, containerDeathEventsArgs(scope, options.since), {
    quiet: options.quiet,
    acceptExitCode: anyExitCode,
    cancelSignal: options.signal,
    onStdoutLine: (line) => {
      const death = parseContainerDeath(line);
      if (death) options.onDeath(death);
    },
  });
}
