import type { FileWriteError } from './log-files.js';

/** The delays between attempts to write a folder that failed, doubling from half a second to 30 s. */
export function writeRetryDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 30_000);
}

/**
 * One notice when the folder cannot be written (a full disk fails every file at once) and one when
 * it can again, whoever of many writers notices.
 */
export class WriteGate {
  private failing = false;

  constructor(
    private readonly dir: string,
    private readonly notice: (text: string) => void,
  ) {}

  failed(error: FileWriteError): void {
    if (this.failing) return;
    this.failing = true;
    this.notice(`cannot write ${this.dir} (${error.reason}): retrying with backoff; nothing is lost meanwhile`);
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.notice(`writing ${this.dir} again`);
  }
}
