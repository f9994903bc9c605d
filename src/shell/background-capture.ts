/** What a background capture reports when it ends: where its files are and what it wrote. */
export interface CaptureSummary {
  readonly dir: string;
  readonly containers: number;
  readonly linesWritten: number;
}

/** The shell's `capture`: one logs-all at a time, run in the shell's process until stopped. */
export class BackgroundCapture {
  private current:
    | { readonly stopper: AbortController; readonly done: Promise<CaptureSummary | undefined>; readonly since: Date }
    | undefined;

  constructor(
    /** Runs logs-all until the signal aborts. */
    private readonly run: (signal: AbortSignal) => Promise<CaptureSummary>,
    /** Told when the capture ended by itself, with why. */
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Since when the capture runs, or undefined when it does not. */
  get runningSince(): Date | undefined {
    return this.current?.since;
  }

  /** Starts the capture; false when one runs already. */
  start(now: Date = new Date()): boolean {
    if (this.current) return false;
    const stopper = new AbortController();
    const done = this.run(stopper.signal).catch((error: unknown) => {
      if (this.current?.stopper === stopper) this.current = undefined;
      this.onFailure(error);
      return undefined;
    });
    this.current = { stopper, done, since: now };
    return true;
  }

  /** Stops the capture and waits until its files are closed; undefined when none ran (or it had failed). */
  async stop(): Promise<CaptureSummary | undefined> {
    const current = this.current;
    if (!current) return undefined;
    this.current = undefined;
    current.stopper.abort();
    return current.done;
  }
}
