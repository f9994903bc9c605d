import type { TransferProgress as StreamProgress } from '../../commands/transfer-image.js';

/** A progress bar only on a terminal, which can redraw a line. */
export function wantsProgress(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** One progress line: bar, bytes, rate, ETA; fits in `width` columns. */
export function formatProgress(progress: StreamProgress, elapsedMs: number, width: number): string {
  const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const rate = elapsedMs > 0 ? (progress.bytes / elapsedMs) * 1000 : 0;
  const fraction = progress.totalBytes > 0 ? Math.min(progress.bytes / progress.totalBytes, 1) : 0;
  const remainingSeconds =
    rate > 0 && progress.totalBytes > progress.bytes ? Math.ceil((progress.totalBytes - progress.bytes) / rate) : 0;
  const text = ` ${megabytes(progress.bytes)} / ${megabytes(progress.totalBytes)}  ${megabytes(rate)}/s  ETA ${remainingSeconds} s`;
  const barWidth = Math.max(10, Math.min(40, width - text.length - 3));
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${text}`;
}

/**
 * One progress line per dock, redrawn in place on a terminal (the cursor goes back up over the
 * block); elsewhere only each dock's final line is written.
 */
export function createDockProgress(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv,
): { update(dock: string, progress: StreamProgress): void; done(dock: string, text: string): void } {
  const live = wantsProgress(stream, env);
  const lines = new Map<string, string>();
  const started = new Map<string, number>();
  let drawn = 0;
  let lastDrawMs = 0;
  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastDrawMs < 200) return;
    lastDrawMs = now;
    const up = drawn > 0 ? `\x1b[${drawn}A` : '';
    stream.write(`${up}${[...lines.values()].map((line) => `\r\x1b[K${line}\n`).join('')}`);
    drawn = lines.size;
  };
  const width = (): number => stream.columns ?? 80;
  return {
    update(dock, progress) {
      if (!live) return;
      if (!started.has(dock)) started.set(dock, Date.now());
      const label = `${dock} `;
      lines.set(dock, label + formatProgress(progress, Date.now() - started.get(dock)!, width() - label.length));
      draw(false);
    },
    done(dock, text) {
      if (!live) {
        stream.write(`${text}\n`);
        return;
      }
      lines.set(dock, text);
      draw(true);
    },
  };
}
