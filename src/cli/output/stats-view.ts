import type { StatsSample } from '../../monitor/stats-sample.js';
import { formatStatsLine, formatStatsTable, type StatsOrder } from './tables.js';
import { paint, writesToDevNull } from './terminal.js';

const redrawDelayMs = 100;

/**
 * What stats-all shows while it samples: JSON lines with --json, a live table on a terminal, plain
 * lines otherwise, nothing when stdout is /dev/null.
 */
export class StatsView {
  private readonly live: boolean;
  private readonly discarded = writesToDevNull(1);
  private readonly latest = new Map<string, StatsSample>();
  private redraw: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { json: boolean; order: StatsOrder },
    stdout: NodeJS.WriteStream = process.stdout,
  ) {
    this.live = !options.json && Boolean(stdout.isTTY);
  }

  sample(sample: StatsSample, jsonLine: string): void {
    if (this.discarded) return;
    if (this.options.json) process.stdout.write(`${jsonLine}\n`);
    else if (!this.live) process.stdout.write(`${formatStatsLine(sample)}\n`);
    else {
      this.latest.set(sample.id, sample);
      this.scheduleRedraw();
    }
  }

  left(id: string, name: string): void {
    this.latest.delete(id);
    if (this.live) this.scheduleRedraw();
    else process.stderr.write(paint.dim(`${name} left\n`));
  }

  close(): void {
    clearTimeout(this.redraw);
  }

  private scheduleRedraw(): void {
    this.redraw ??= setTimeout(() => {
      this.redraw = undefined;
      process.stdout.write(`\u001b[H\u001b[J${formatStatsTable([...this.latest.values()], this.options.order)}`);
    }, redrawDelayMs);
  }
}
