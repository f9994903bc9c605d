import { runDockStats, type DockStatsRow } from '../docker/dock-stats.js';
import type { CommandContext } from '../docker/exec.js';
import { reconnectDelayMs, sleep } from './engine-gate.js';

/** A row of the dock's `docker stats`, and when it came (ms since the epoch). */
export interface ReceivedRow {
  readonly row: DockStatsRow;
  readonly atMs: number;
}

/** Joins within this long start one new run, not one each (a stack coming up). */
const joinDelayMs = 500;
/** Lines without a row after which the dock's CLI is taken to print its rows some other way. */
const unreadableLineCount = 20;
/** A shell's "command not found": no docker CLI on the dock's PATH. */
const commandNotFound = 127;

interface Run {
  readonly controller: AbortController;
  printed: boolean;
}

/**
 * The dock's `docker stats` over the followed containers, one run at a time. When containers join, a
 * run over all of them starts and replaces the current one once it prints, so no row is missed in the
 * handover; a run that ends is started again with backoff. `unavailable` resolves when the dock's CLI
 * cannot give rows (not there, or printing them otherwise) before any came: the caller samples another way.
 */
export class DockStatsRuns {
  readonly unavailable: Promise<void>;
  private markUnavailable!: () => void;
  private readonly rows = new Map<string, ReceivedRow>();
  private current: Run | undefined;
  private pending: Run | undefined;
  private joinTimer: NodeJS.Timeout | undefined;
  private anyRow = false;
  private failedStarts = 0;

  constructor(
    private readonly context: CommandContext,
    private readonly followedIds: () => string[],
    private readonly signal: AbortSignal,
  ) {
    this.unavailable = new Promise((resolve) => (this.markUnavailable = resolve));
  }

  /** The newest row of a container printed since the last take, if any. */
  takeNewest(id: string): ReceivedRow | undefined {
    const received = this.rows.get(id);
    this.rows.delete(id);
    return received;
  }

  /** Containers joined: a run over every followed container starts shortly. */
  joined(): void {
    this.joinTimer ??= setTimeout(() => {
      this.joinTimer = undefined;
      this.start();
    }, joinDelayMs);
  }

  /** A container left: its rows are dropped (its run goes on until the next join, showing it stopped). */
  left(id: string): void {
    this.rows.delete(id);
  }

  stop(): void {
    clearTimeout(this.joinTimer);
    this.current?.controller.abort();
    this.pending?.controller.abort();
  }

  private start(): void {
    if (this.signal.aborted) return;
    this.pending?.controller.abort();
    this.pending = undefined;
    const ids = this.followedIds();
    // With no container named, `docker stats` would show every running container of the dock.
    if (ids.length === 0) {
      this.current?.controller.abort();
      this.current = undefined;
      return;
    }
    const run: Run = { controller: new AbortController(), printed: false };
    this.pending = run;
    let otherLines = 0;
    const ended = runDockStats(this.context, {
      ids,
      signal: AbortSignal.any([this.signal, run.controller.signal]),
      onRow: (row) => {
        if (run.controller.signal.aborted) return;
        if (!run.printed) this.promote(run);
        if (row.running) this.rows.set(row.id, { row, atMs: Date.now() });
      },
      onOtherLine: () => {
        if (!this.anyRow && ++otherLines >= unreadableLineCount) {
          run.controller.abort();
          this.markUnavailable();
        }
      },
    });
    const onEnd = async (result: { exitCode: number }): Promise<void> => {
      if (run.controller.signal.aborted || this.signal.aborted) return;
      if (this.current === run) this.current = undefined;
      if (this.pending === run) this.pending = undefined;
      if (!this.anyRow && result.exitCode === commandNotFound) return this.markUnavailable();
      // The dock went away, or a container named was removed before the run began: again, over the
      // containers followed then.
      await sleep(reconnectDelayMs(this.failedStarts++), this.signal);
      if (this.current === undefined && this.pending === undefined) this.start();
    };
    // No ssh to run it with: the caller's own way needs none.
    void ended.then(onEnd, () => this.markUnavailable());
  }

  private promote(run: Run): void {
    run.printed = true;
    this.anyRow = true;
    this.failedStarts = 0;
    this.current?.controller.abort();
    this.current = run;
    if (this.pending === run) this.pending = undefined;
  }
}
