import { engineRequest, unreachableReason } from '../docker/engine-api.js';
import type { CommandContext } from '../docker/exec.js';

/** Waits for the given time, or less when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The reconnect delays, doubling from a quarter second up to eight seconds. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 8000);
}

/**
 * One wait for the engine, shared by every stream that lost it: when dockerd restarts, hundreds of
 * followers fail at once and should neither each poll nor each print.
 */
export class EngineGate {
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly context: CommandContext,
    private readonly notice: (text: string) => void,
    private readonly signal: AbortSignal,
  ) {}

  /** Resolves when the engine answers `/_ping` again (or the run is stopped). */
  waitUntilReachable(cause: unknown): Promise<void> {
    this.waiting ??= this.poll(cause).finally(() => {
      this.waiting = undefined;
    });
    return this.waiting;
  }

  private async poll(cause: unknown): Promise<void> {
    const reason = unreachableReason(cause);
    this.notice(`lost the engine at ${this.context.target.endpoint} (${reason}); reconnecting with backoff`);
    for (let attempt = 0; !this.signal.aborted; attempt++) {
      await sleep(reconnectDelayMs(attempt), this.signal);
      try {
        await (await engineRequest(this.context, 'GET', '/_ping')).text();
        this.notice(`reconnected to the engine at ${this.context.target.endpoint}`);
        return;
      } catch {
        // still down: the next attempt waits longer
      }
    }
  }
}
