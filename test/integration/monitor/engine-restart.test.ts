import { execa } from 'execa';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { repoRoot, requireEngine, uniqueSuffix } from '../../helpers/engine.js';
import {
  loadImageInto,
  privateDockerOk,
  startPrivateEngine,
  type PrivateEngine,
} from '../../helpers/private-engine.js';
import { runsOf } from '../../helpers/log-files.js';
import { range, waitFor } from '../../helpers/wait.js';

// The engine restarts run on a private dockerd: the main engine is shared and never restarted by a test.
t.before(requireEngine);

// The bounds of one test's waits: the private engine's start (60 s to answer) and its restart, the
// busybox load and docker run (60 s each), the waits of the follow (at most 30 + 20 + 2 + 30 s, then
// 30 + 20 + 30 s after it) and the engine's stop (10 s to list, 30 s to remove, 10 s to end).
const testBoundMs = 60_000 * 2 + 60_000 * 2 + (30_000 + 20_000 + 2_000 + 30_000) + 80_000 + 50_000;
// Both tests, one after the other: the runner's timeout (package.json) would end the file before them.
t.setTimeout(2 * testBoundMs + 30_000);

/** Follows a container printing 1..count on the private engine, kills dockerd mid-stream and starts it again. */
async function followAcrossEngineRestart(
  t: Test,
  engine: PrivateEngine,
  runArgs: string[],
  count: number,
): Promise<{ dir: string; name: string; output: () => string; stop: () => Promise<number> }> {
  await loadImageInto(engine, 'busybox:latest');
  const dir = t.testdir();
  const name = `counter-${uniqueSuffix()}`;
  await privateDockerOk(engine, [
    'run',
    '-d',
    '--network',
    'none',
    '--name',
    name,
    ...runArgs,
    'busybox',
    'sh',
    '-c',
    `i=0; while [ $i -lt ${count} ]; do i=$((i+1)); echo $i; sleep 0.05; done; sleep 600`,
  ]);
  const follower = execa(
    process.execPath,
    [join(repoRoot, 'bin', 'logs-all.js'), '--all', '--name', name, '--dir', dir, '-q'],
    // Outlives every wait of its test, never the other way round: 30 + 20 + 2 s and the engine's restart
    // (60 s) here, then at most 20 + 60 (docker start) + 30 s in the test that follows: 222 s.
    { env: engine.env, reject: false, all: true, timeout: 240_000, killSignal: 'SIGKILL' },
  );
  let output = '';
  follower.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.teardown(() => {
    follower.kill('SIGKILL');
  });

  await waitFor('the first lines', () => (runsOf(dir, name)[0]?.length ?? 0) >= 40, 30_000);
  await engine.kill();
  await waitFor('logs-all noticing the engine is gone', () => output.includes('lost the engine'), 20_000);
  // Long enough for a few reconnect attempts to fail and the backoff to grow.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await engine.start();
  await waitFor('logs-all reconnected', () => output.includes('reconnected to the engine'), 30_000);
  return {
    dir,
    name,
    output: () => output,
    stop: async () => {
      follower.kill('SIGTERM');
      return (await follower).exitCode ?? 128;
    },
  };
}

t.test(
  'dockerd killed and restarted mid-stream (live-restore): one run, every line once, and the terminal says so',
  { timeout: testBoundMs },
  async (t) => {
    const engine = await startPrivateEngine({ liveRestore: true });
    t.teardown(() => engine.stop());
    const count = 300;
    const run = await followAcrossEngineRestart(t, engine, [], count);
    await waitFor('every line', () => (runsOf(run.dir, run.name)[0]?.length ?? 0) >= count, 30_000);
    t.same(runsOf(run.dir, run.name), [range(1, count)], 'every number exactly once, in order');
    t.match(run.output(), `lost the engine at ${engine.host}`, 'the terminal says the engine was lost');
    t.match(run.output(), `reconnected to the engine at ${engine.host}`, 'and that it came back');
    t.equal(await run.stop(), 0, run.output());
  },
);

t.test(
  'dockerd killed and restarted mid-stream (no live-restore): the killed run keeps its lines, a new run is complete',
  { timeout: testBoundMs },
  async (t) => {
    const engine = await startPrivateEngine();
    t.teardown(() => engine.stop());
    const count = 100;
    // Without live-restore the restarted dockerd stops the container (sh ignores SIGTERM: keep the grace short).
    const run = await followAcrossEngineRestart(t, engine, ['--stop-timeout', '1'], count);
    await waitFor('the killed run noticed', () => run.output().includes(`${run.name} exited`), 20_000);
    await privateDockerOk(engine, ['start', run.name]);
    await waitFor('the second run complete', () => (runsOf(run.dir, run.name)[1]?.length ?? 0) >= count, 30_000);
    const [killed = [], second = [], ...more] = runsOf(run.dir, run.name);
    t.ok(killed.length >= 40, `the first run kept what was read before the kill (${killed.length})`);
    t.same(killed, range(1, killed.length), 'the killed run: a prefix of the sequence, once, in order');
    t.same(second, range(1, count), 'the run started after the engine restart: every number once, in order');
    t.same(more, [], 'no other run');
    t.match(run.output(), `lost the engine at ${engine.host}`);
    t.match(run.output(), `reconnected to the engine at ${engine.host}`);
    t.equal(await run.stop(), 0, run.output());
  },
);
