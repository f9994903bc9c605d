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
