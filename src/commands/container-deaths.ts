import { containerEventsCommandLine } from '../docker/engine-api.js';
import { followContainerEvents } from '../monitor/container-events.js';
import { EngineGate } from '../monitor/engine-gate.js';
import { scopeLabelFilters } from '../project/container-scope.js';
import { engineContext, type CommandSession } from './session.js';

/** Hears the containers this process's own commands change (the shell tells its own stops by them). */
export { listenToContainerChanges } from '../docker/container-changes.js';

/** A container of the project that stopped or died, as docker events reported it. */
export interface ContainerDeath {
  readonly id: string;
  readonly name: string;
  readonly exitCode: string;
  /** The engine's clock, in nanoseconds since the epoch. */
  readonly timeNanos: bigint;
}

/** A container of the project that started, as docker events reported it. */
export type ContainerStart = Pick<ContainerDeath, 'id' | 'name' | 'timeNanos'>;

/**
 * The shell's watch: follows the `die` events of a project's containers until `signal` aborts,
 * reopening the stream (from the last event) when it breaks. An engine that is not there at the
 * start rejects; a later outage is waited out.
 */
export async function watchContainerDeaths(
  session: CommandSession,
  request: {
    project: string;
    signal: AbortSignal;
    onDeath: (death: ContainerDeath) => void;
    /** A container of the project started (a death after it is not one a command before it caused). */
    onStart?: (start: ContainerStart) => void;
    notice: (text: string) => void;
  },
): Promise<void> {
  const context = engineContext(session);
  const following = {
    labelFilters: scopeLabelFilters({ project: request.project, includeStopped: true }),
    events: request.onStart ? ['die', 'start'] : ['die'],
    engine: new EngineGate(context, request.notice, request.signal),
    signal: request.signal,
    notice: request.notice,
  };
  context.echo(containerEventsCommandLine(context, following));
  await followContainerEvents(
    context,
    following,
    (event) => {
      const attributes = event.Actor.Attributes;
      const container = {
        id: event.Actor.ID,
        name: attributes.name ?? event.Actor.ID.slice(0, 12),
        timeNanos: event.timeNanos,
      };
      if (event.Action === 'start') request.onStart?.(container);
      else request.onDeath({ ...container, exitCode: attributes.exitCode ?? '?' });
    },
    async () => {},
  );
}
