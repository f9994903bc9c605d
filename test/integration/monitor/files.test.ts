// logs-all's folder: one writer at a time, a full disk that neither tears nor loses lines, and a
// stopped container's log complete as soon as the engine has it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerOk,
  makeTempFolder,
  removeLabelled,
  requireEngine,
  runBin,
  spawnBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { entriesOf } from '../../helpers/log-files.js';

t.before(requireEngine);

function startCounter(suffix: string, name: string, script: string): Promise<string> {
  return dockerOk(testContainerArgs(suffix, name, ['sh', '-c', script]));
}

async function waitUntil(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const numbersOf = (dir: string, name: string): number[] =>
  entriesOf(dir, name).flatMap((entry) => (entry.kind === 'line' ? [Number(entry.line.text)] : []));

const contiguous = (numbers: readonly number[]): boolean => numbers.every((value, index) => value === index + 1);

t.test('one writer per folder: a second logs-all stops; the lock of a SIGKILLed one is taken over', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const name = `locked-${suffix}`;
  await startCounter(suffix, name, 'seq 1 5; exec sleep 300');
  const dir = makeTempFolder('folder-lock');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['--all', '--name', name, '-q', '--dir', dir];
  const first = spawnBin(t, 'logs-all', args);
  await waitUntil('the first run to write', 30_000, () => numbersOf(dir, name).length === 5);

  const second = await runBin('logs-all', [...args, '--once'], { timeoutMs: 30_000 });
  t.equal(second.exitCode, 1);
  t.equal(second.stderr.trim().split('\n').at(-1), `error: logs-all (pid ${first.pid}) is already writing ${dir}`);
  const stats = await runBin('stats-all', [...args.filter((arg) => arg !== '-q'), '--once'], { timeoutMs: 30_000 });
  t.equal(stats.exitCode, 0, 'stats-all writes the same folder beside it');

  first.kill('SIGKILL');
  await first;
  const third = await runBin('logs-all', [...args, '--once'], { timeoutMs: 30_000 });
  t.equal(third.exitCode, 0, third.stderr);
  t.same(numbersOf(dir, name), [1, 2, 3, 4, 5], 'took the lock over; nothing repeated');
});

t.test(
  'a full disk: --once exits 1 naming the folder; a follower waits, then goes on without a line lost or torn',
  async (t) => {
    const suffix = uniqueSuffix();
    t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
    const mount = makeTempFolder('full-disk');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
    t.teardown(() => {
      execFileSync('umount', ['-l', mount]);
      rmSync(mount, { recursive: true, force: true });
    });
    const dir = join(mount, 'logs');
    mkdirSync(dir);
    const filler = join(mount, 'filler');
    // Fills the disk but for a few bytes.
    const fill = (): void => {
      try {
        writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
      } catch {
        // ENOSPC once it is full: what fitted stays.
      }
    };

    const burst = `burst-${suffix}`;
    await startCounter(suffix, burst, 'seq 1 20000');
    await dockerOk(['wait', burst], { timeoutMs: 30_000 });
    fill();
    const once = await runBin('logs-all', ['--all', '--name', burst, '-q', '--once', '--dir', dir], {
      timeoutMs: 60_000,
    });
    t.equal(once.exitCode, 1, once.stderr);
    t.match(
      once.stderr.trim().split('\n').at(-1),
      new RegExp(`^error: cannot write ${dir} \\(no space left on device\\): `),
    );

    const name = `counter-${suffix}`;
    await startCounter(suffix, name, 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.01; done');
    const follower = spawnBin(t, 'logs-all', ['--all', '--name', name, '-q', '--dir', dir]);
    await waitUntil('the full disk to be noticed', 30_000, () => /cannot write/.test(follower.output().stderr));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    rmSync(filler);
    await waitUntil('the follower to write again', 60_000, () => numbersOf(dir, name).length > 300);
    follower.kill('SIGTERM');
    await follower;
    const stderr = follower.output().stderr;
    t.equal(stderr.match(/cannot write/g)?.length, 1, 'the full disk is said once');
    t.match(stderr, `writing ${dir} again`);
    const numbers = numbersOf(dir, name);
    t.ok(contiguous(numbers), `every line once, in order, none torn (${numbers.length} lines)`);
    t.notOk(
      readFileSync(join(dir, 'all.log'), 'utf8')
        .split('\n')
        .slice(0, -1)
        .some((line) => !/^\S+ \S+Z (stdout|stderr|start|exit) /.test(line)),
      'all.log has no torn line either',
    );
    const written = Number(/(\d+) new lines from/.exec(stderr)?.[1]);
    t.equal(written, numbers.length, 'the summary counts the lines in the file');
  },
);

t.test('a burst-then-exit container: every line, then the exit banner', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = makeTempFolder('after-exit');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const name = `burst-${suffix}`;
  const lineCount = 100_000;
  const follower = spawnBin(t, 'logs-all', ['--all', '--name', name, '-q', '--dir', dir]);
  await waitUntil('logs-all to follow', 30_000, () => /docker events/.test(follower.output().stderr));
  await startCounter(suffix, name, `sleep 1; seq 1 ${lineCount}`);
  await dockerOk(['wait', name], { timeoutMs: 60_000 });
  // How soon after the engine the file is complete is measured by bench/monitor.ts, not here.
  await waitUntil('the exit banner', 60_000, () => entriesOf(dir, name).some((entry) => entry.kind === 'exit'));
  const entries = entriesOf(dir, name);
  t.equal(entries.at(-1)?.kind, 'exit', 'the exit banner comes after every line');
  t.ok(contiguous(numbersOf(dir, name)) && numbersOf(dir, name).length === lineCount, 'every line once');
  follower.kill('SIGTERM');
  await follower;
});
