import { execa, type ResultPromise } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { entriesOf, runsOf } from '../../helpers/log-files.js';
import { range, waitFor } from '../../helpers/wait.js';

t.before(requireEngine);

function startContainer(suffix: string, name: string, script: string, extra: string[] = []): Promise<string> {
  return dockerOk(testContainerArgs(suffix, name, ['sh', '-c', script], { flags: extra }));
}

/** logs-all in the background, as a user runs it; killed (SIGKILL) at teardown at the latest. */
function startLogsAll(t: { teardown(fn: () => void): void }, args: string[]): ResultPromise & { output: () => string } {
  const child = execa(process.execPath, [join(repoRoot, 'bin', 'logs-all.js'), ...args], {
    reject: false,
    all: true,
    buffer: true,
    timeout: 240_000,
    killSignal: 'SIGKILL',
  });
  let output = '';
  child.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => output });
}

t.test('a burst-then-exit container is captured completely, and --once twice adds nothing', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const name = `burst-${suffix}`;
  const id = await startContainer(suffix, name, 'seq 1 500000');
  await dockerOk(['wait', id], { timeoutMs: 60_000 });

  const first = await runBin('logs-all', ['--all', '--name', name, '--once', '--dir', dir, '-q'], {
    timeoutMs: 120_000,
  });
  t.equal(first.exitCode, 0, first.stderr);
  t.match(first.stderr, `docker logs --timestamps ${name}`, 'the equivalent docker command is echoed');
  t.match(first.stderr, `${name} exited (code 0)`);
  t.same(runsOf(dir, name), [range(1, 500000)], 'every number exactly once, in order');
  const entries = entriesOf(dir, name);
  t.equal(entries[0]?.kind, 'start', 'a start banner first');
  t.match(entries.at(-1), { kind: 'exit', text: /exited with code 0, not OOM-killed/ }, 'an exit banner last');
  const allLog = readFileSync(join(dir, 'all.log'), 'utf8');
  t.equal(
    allLog.split('\n').filter((line) => line.startsWith(`${name} `) && line.includes(' stdout ')).length,
    500000,
    'all.log has every line, prefixed with the name',
  );
  const cursor = JSON.parse(readFileSync(join(dir, `${id.slice(0, 12)}-${name}.cursor.json`), 'utf8')) as {
    lastTimestamp: string;
  };
  t.match(
    cursor.lastTimestamp,
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/,
    "the cursor keeps docker's exact timestamp",
  );

  const fileBefore = readFileSync(join(dir, `${id.slice(0, 12)}-${name}.log`), 'utf8');
  const second = await runBin('logs-all', ['--all', '--name', name, '--once', '--dir', dir, '-q'], {
    timeoutMs: 120_000,
  });
  t.equal(second.exitCode, 0, second.stderr);
  t.match(second.stderr, `--since ${cursor.lastTimestamp.slice(0, 17)}`, 'resumes with --since from the cursor');
  t.match(second.stderr, /^0 new lines from 1 container in /m);
  t.equal(readFileSync(join(dir, `${id.slice(0, 12)}-${name}.log`), 'utf8'), fileBefore, 'the second run adds nothing');
});

t.test('TTY output, lines over 16 KiB and a last line without newline arrive whole', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const script = 'echo first; head -c 40000 /dev/zero | tr "\\0" x; echo; echo err >&2; printf last';
  const ttyId = await startContainer(suffix, `tty-${suffix}`, script, ['-t']);
  const plainId = await startContainer(suffix, `plain-${suffix}`, script);
  await dockerOk(['wait', ttyId, plainId]);
  const result = await runBin('logs-all', ['--all', '--name', `*-${suffix}`, '--once', '--dir', dir, '-q'], {
    timeoutMs: 60_000,
  });
  t.equal(result.exitCode, 0, result.stderr);
  const lines = (name: string): string[] =>
    entriesOf(dir, name).flatMap((entry) =>
      entry.kind === 'line'
        ? [
            `${entry.line.stream}:${entry.line.text.length > 100 ? `${entry.line.text[0]}*${entry.line.text.length}` : entry.line.text}`,
          ]
        : [],
    );
  t.same(
    lines(`tty-${suffix}`),
    ['stdout:first', 'stdout:x*40000', 'stdout:err', 'stdout:last'],
    'a TTY has only stdout',
  );
  t.same(lines(`plain-${suffix}`).sort(), ['stderr:err', 'stdout:first', 'stdout:last', 'stdout:x*40000']);
});

t.test(
  'following: restart, stop and start, removal, a late container, and SIGKILL of logs-all lose and repeat nothing',
  async (t) => {
    const suffix = uniqueSuffix();
    t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
    const dir = t.testdir();
    const counter = (count: number, pause = '0.005'): string =>
      `i=0; while [ $i -lt ${count} ]; do i=$((i+1)); echo $i; sleep ${pause}; done; sleep 600`;
    const restarted = `restart-${suffix}`;
    const removed = `removed-${suffix}`;
    await startContainer(suffix, restarted, counter(200));
    await startContainer(suffix, removed, counter(100));
    const args = ['--all', '--name', `*-${suffix}`, '--dir', dir];
    let follower = startLogsAll(t, args);

    await waitFor(
      'the first run captured',
      () => runsOf(dir, restarted)[0]?.length === 200 && runsOf(dir, removed)[0]?.length === 100,
    );
    t.match(follower.output(), `${restarted} | 200`, 'lines are mirrored with a name prefix');

    await dockerOk(['restart', '-t', '0', restarted]);
    await waitFor('the restarted run captured', () => runsOf(dir, restarted)[1]?.length === 200);
    await dockerOk(['stop', '-t', '0', restarted]);
    await dockerOk(['start', restarted]);
    await waitFor('the run after stop and start captured', () => runsOf(dir, restarted)[2]?.length === 200);
    t.same(runsOf(dir, restarted), [range(1, 200), range(1, 200), range(1, 200)], 'each run complete, once, in order');

    await dockerOk(['rm', '-f', removed]);
    await waitFor('the removal noted', () => entriesOf(dir, removed).some((entry) => entry.kind === 'removed'));
    t.same(runsOf(dir, removed), [range(1, 100)], 'a removed container keeps all its lines');

    const late = `late-${suffix}`;
    const lateId = await startContainer(suffix, late, 'seq 1 50000');
    const midstream = `midstream-${suffix}`;
    await startContainer(suffix, midstream, counter(3000, '0.002'));
    await waitFor('the late container captured', () => runsOf(dir, late)[0]?.length === 50000);
    await waitFor('the mid-stream container half done', () => (runsOf(dir, midstream)[0]?.length ?? 0) > 500);
    follower.kill('SIGKILL');
    await follower;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    follower = startLogsAll(t, args);
    await waitFor(
      'the mid-stream container captured after the restart of logs-all',
      () => runsOf(dir, midstream)[0]?.length === 3000,
      90_000,
    );
    t.same(runsOf(dir, midstream), [range(1, 3000)], 'SIGKILL and restart lose and repeat nothing');
    t.same(runsOf(dir, late), [range(1, 50000)]);
    t.match(entriesOf(dir, late).at(-1), { kind: 'exit' });
    t.ok(
      follower.output().includes(`${late} exited (code 0)`) ||
        readFileSync(join(dir, `${lateId.slice(0, 12)}-${late}.log`), 'utf8').includes(' exit --- '),
    );

    follower.kill('SIGTERM');
    const ended = await follower;
    t.equal(ended.exitCode, 0, 'Ctrl-C / SIGTERM ends logs-all cleanly');
  },
);

t.test('lines dropped by docker log rotation before capture leave a gap marker', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const name = `rotated-${suffix}`;
  await startContainer(suffix, name, 'seq 1 5; while [ ! -e /go ]; do sleep 0.1; done; seq 6 3000; sleep 600', [
    '--log-opt',
    'max-size=1k',
    '--log-opt',
    'max-file=2',
  ]);
  // Bounded waits that fail at their deadline: a container that never printed makes the checks below meaningless.
  const waitForLogs = async (what: string, done: (logs: string) => boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!done((await docker(['logs', name])).stdout)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await waitForLogs('the first five lines', (logs) => logs.split('\n').length >= 6);
  const first = await runBin('logs-all', ['--all', '--name', name, '--once', '--dir', dir, '-q']);
  t.equal(first.exitCode, 0, first.stderr);
  t.same(runsOf(dir, name), [range(1, 5)]);
  await dockerOk(['exec', name, 'touch', '/go']);
  await waitForLogs('line 3000', (logs) => logs.trimEnd().endsWith('\n3000'));
  const second = await runBin('logs-all', ['--all', '--name', name, '--once', '--dir', dir, '-q']);
  t.equal(second.exitCode, 0, second.stderr);
  const entries = entriesOf(dir, name);
  const gapIndex = entries.findIndex((entry) => entry.kind === 'gap');
  t.ok(gapIndex > 0, 'a gap marker is written');
  const numbers = entries.flatMap((entry) => (entry.kind === 'line' ? [Number(entry.line.text)] : []));
  t.same(numbers.slice(0, 5), range(1, 5));
  t.ok(numbers[5]! > 6, 'the first lines after the gap are what docker still had');
  t.same(numbers.slice(5), range(numbers[5]!, 3000), 'after the gap: every line docker still had, once, in order');
});
