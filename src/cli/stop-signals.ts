/**
 * An abort signal for SIGINT and SIGTERM while `run` runs: the first asks the command to stop (it
 * then writes its summary); a second one ends the process at once, without waiting for files to close.
 */
export async function untilStopped<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stopper = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    if (stopper.signal.aborted) {
      process.off('SIGINT', stop);
      process.kill(process.pid, signal);
    }
    stopper.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await run(stopper.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
