import t from 'tap';
import { BackgroundCapture, type CaptureSummary } from '../../../src/shell/background-capture.js';

const summary: CaptureSummary = { dir: '/logs', containers: 2, linesWritten: 10 };

// A capture that runs until its signal aborts, as logs-all does, and then closes its files.
function untilAborted(log: string[]): (signal: AbortSignal) => Promise<CaptureSummary> {
  return (signal) =>
    new Promise((resolve) => {
      log.push('started');
      signal.addEventListener('abort', () => {
        setTimeout(() => {
          log.push('files closed');
          resolve(summary);
        }, 10);
      });
    });
}

t.test('one capture at a time; stop waits until its files are closed', async (t) => {
  const log: string[] = [];
  const capture = new BackgroundCapture(untilAborted(log), () => t.fail('no failure'));
  t.equal(capture.runningSince, undefined);
  const since = new Date(2026, 0, 1, 9, 30);
  t.equal(capture.start(since), true);
  t.equal(capture.start(), false, 'a second start while it runs does nothing');
  t.same(log, ['started']);
  t.equal(capture.runningSince, since);
  t.same(await capture.stop(), summary);
  t.same(log, ['started', 'files closed'], 'stop resolved after the files closed');
  t.equal(capture.runningSince, undefined);
  t.equal(await capture.stop(), undefined, 'stopping a stopped capture is nothing');
  t.equal(capture.start(), true, 'it can start again');
  await capture.stop();
});

t.test('a capture that fails by itself is reported once and is off', async (t) => {
  const failures: unknown[] = [];
  const capture = new BackgroundCapture(
    () => Promise.reject(new Error('cannot reach the Docker engine')),
    (error) => failures.push(error),
  );
  capture.start();
  await new Promise((resolve) => setImmediate(resolve));
  t.match(failures, [{ message: 'cannot reach the Docker engine' }]);
  t.equal(capture.runningSince, undefined, 'off after its failure');
  t.equal(await capture.stop(), undefined);
});
