import { listContexts } from '../docker/contexts.js';
import { dockTarget } from '../docks/engine-target.js';
import { EngineUnreachableError } from '../docker/engine-target.js';
import { errorMessage, UserError } from '../errors.js';
import { reconnectDelayMs, sleep } from '../monitor/engine-gate.js';
import { FileWriteError } from '../monitor/log-files.js';
import { engineContext, type CommandSession } from './session.js';

/** What one dock of a several-dock command did: its result, or why it failed. */
export type DockOutcome<T> =
  { readonly dock: string; readonly result: T } | { readonly dock: string; readonly failure: string };

/**
 * The docks `--dock` names, in order, without repeats: `all` is every registered dock (this machine's
 * engine among them, as `local`). An unknown name is a usage error, before anything runs.
 */
export async function expandDocks(session: CommandSession, names: readonly string[]): Promise<string[]> {
  const expanded: string[] = [];
  for (const name of names) {
    if (name === 'all') {
      const contexts = await listContexts({ ...engineContext({ ...session, dock: undefined }), dryRun: false });
      expanded.push(...contexts.map((context) => dockTarget(context.name, session.env).name));
    } else {
      expanded.push(dockTarget(name, session.env).name);
    }
  }
  return [...new Set(expanded)];
}

/** `--service` with several docks: refused, since one manager already answers for every node of its swarm. */
export function refuseServiceOnSeveralDocks(scope: { readonly service?: string }): void {
  if (scope.service !== undefined)
    throw new UserError(
      `--service ${scope.service} already covers every node of its swarm: give one --dock, a manager of it, instead of several`,
    );
}

/** Whether a command was asked for several docks, and so shows which dock each row is about. */
export function isSeveralDocks(names: readonly string[]): boolean {
  return names.length > 1 || names.includes('all');
}

/**
 * Runs one command on each dock at once, each with a session of its own; a dock that fails does not
 * hold up or fail the others: its outcome says why.
 */
export function onEachDock<T>(
  session: CommandSession,
  docks: readonly string[],
  run: (dockSession: CommandSession, dock: string) => Promise<T>,
): Promise<DockOutcome<T>[]> {
  return Promise.all(
    docks.map(async (dock): Promise<DockOutcome<T>> => {
      try {
        return { dock, result: await run({ ...session, dock }, dock) };
      } catch (error) {
        // Bad input is bad on every dock: it is the command's error, not one dock's.
        if (error instanceof UserError && !isDockFailure(error)) throw error;
        return { dock, failure: errorMessage(error) };
      }
    }),
  );
}

function isDockFailure(error: UserError): boolean {
  return error instanceof EngineUnreachableError || error instanceof FileWriteError;
}

/** The failures among outcomes. */
export function dockFailures<T>(outcomes: readonly DockOutcome<T>[]): { dock: string; failure: string }[] {
  return outcomes.flatMap((outcome) => ('failure' in outcome ? [outcome] : []));
}

/**
 * Runs a follower (logs-all, stats-all) on one dock of several: a dock that cannot be reached is told
 * and tried again with backoff until the run stops, without holding up the others; with `once` it is
 * that dock's failure.
 */
export async function whenReachable<T>(
  dock: string,
  options: { once: boolean; signal: AbortSignal; notice: (text: string) => void },
  run: () => Promise<T>,
): Promise<T> {
  let unreachable: EngineUnreachableError | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await run();
      // Stopped before the dock ever answered: a follower that returns then has followed nothing.
      if (unreachable && options.signal.aborted) throw unreachable;
      return result;
    } catch (error) {
      if (!(error instanceof EngineUnreachableError) || options.once || options.signal.aborted) throw error;
      unreachable = error;
      const delayMs = reconnectDelayMs(attempt + 2);
      options.notice(`dock ${dock}: ${error.message}; trying again in ${delayMs / 1000} s`);
      await sleep(delayMs, options.signal);
      if (options.signal.aborted) throw error;
    }
  }
}
