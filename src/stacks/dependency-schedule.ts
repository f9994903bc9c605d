/** One piece of work of a run in dependency order: an image's containers on one engine. */
export interface ScheduledUnit {
  readonly key: string;
  /** Keys of the units that must have finished first. */
  readonly after: readonly string[];
}

/** A unit that failed, and those that were never started because of it (or of another failure). */
export class ScheduleFailure extends Error {
  override readonly name = 'ScheduleFailure';

  constructor(
    readonly failedKey: string,
    readonly cause: unknown,
    readonly notStarted: readonly string[],
  ) {
    super(`${failedKey} failed`);
  }
}

/**
 * Runs units as soon as what they come after has finished, at most `limit` at a time. The first
 * failure stops the run there: nothing new starts, the running units finish, and it rejects with a
 * ScheduleFailure naming the failed unit and the units that were not started.
 */
export async function runInDependencyOrder<Unit extends ScheduledUnit>(
  units: readonly Unit[],
  limit: number,
  run: (unit: Unit) => Promise<void>,
): Promise<void> {
  const keys = new Set(units.map((unit) => unit.key));
  const done = new Set<string>();
  const started = new Set<string>();
  let failure: { key: string; error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  const ready = (unit: Unit): boolean =>
    !started.has(unit.key) && unit.after.every((key) => done.has(key) || !keys.has(key));
  for (;;) {
    if (failure === undefined) {
      for (const unit of units) {
        if (running.size >= limit) break;
        if (!ready(unit)) continue;
        started.add(unit.key);
        const task = run(unit).then(
          () => {
            done.add(unit.key);
          },
          (error: unknown) => {
            failure ??= { key: unit.key, error };
          },
        );
        const tracked = task.finally(() => running.delete(tracked));
        running.add(tracked);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (failure !== undefined)
    throw new ScheduleFailure(
      failure.key,
      failure.error,
      units.filter((unit) => !started.has(unit.key)).map((unit) => unit.key),
    );
}
