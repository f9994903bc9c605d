import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerOk,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { runsOf } from '../../helpers/log-files.js';
import { range, waitFor } from '../../helpers/wait.js';

t.before(requireEngine);

function startCounter(suffix: string, name: string, count: number): Promise<string> {
  return dockerOk(
    testContainerArgs(suffix, name, [
      'sh',
      '-c',
      `i=0; while [ $i -lt ${count} ]; do i=$((i+1)); echo $i; sleep 0.02; done; exec sleep 600`,
    ]),
  );
}

function samplesIn(dir: string, id: string, name: string): { id: string; name: string; pids: number }[] {
  const file = join(dir, `${id.slice(0, 12)}-${name}.stats.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { id: string; name: string; pids: number });
}

t.test('logs-all --stats: logs and stats of the same containers from one process, one stop', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const first = `first-${suffix}`;
  const firstId = await startCounter(suffix, first, 100);
  const follower = execa(
    process.execPath,
    [join(repoRoot, 'bin', 'logs-all.js'), '--all', '--name', `*-${suffix}`, '--dir', dir, '--stats'],
    { reject: false, timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } },
  );
  t.teardown(() => {
    follower.kill('SIGKILL');
  });
  await waitFor('the first container: its lines and two samples', () => {
    return runsOf(dir, first).flat().length === 100 && samplesIn(dir, firstId, first).length >= 2;
  });
  // A container that starts later joins both.
  const late = `late-${suffix}`;
  const lateId = await startCounter(suffix, late, 50);
  await waitFor('the late container: its lines and two samples', () => {
    return runsOf(dir, late).flat().length === 50 && samplesIn(dir, lateId, late).length >= 2;
  });
  follower.kill('SIGINT');
  const result = await follower;
  t.equal(result.exitCode, 0, String(result.stderr));
  const stdout = String(result.stdout);
  const stderr = String(result.stderr);
  t.same(runsOf(dir, first), [range(1, 100)], 'every line of the first, once');
  t.same(runsOf(dir, late), [range(1, 50)], 'every line of the late one, once');
  for (const [id, name] of [
    [firstId, first],
    [lateId, late],
  ] as const) {
    const samples = samplesIn(dir, id, name);
    t.ok(
      samples.every((sample) => sample.id === id && sample.name === name && sample.pids >= 1),
      `${name}: samples with numbers`,
    );
  }
  t.match(stdout, `${first} | 100\n`, 'the terminal mirrors the logs');
  t.notMatch(stdout, /cpuPercent|CPU %|\bcpu \d/, 'and shows no stats');
  t.match(stderr, `docker stats --format '{{json .}}' ${first}\n`, 'the stats command is echoed');
  t.match(stderr, `docker logs --follow --timestamps --since `, 'the logs command is echoed');
  t.match(stderr, /^150 new lines from 2 containers, \d+ stats samples in /m, 'one summary for both');
  t.ok(readdirSync(dir).includes('all.log'));
});

t.test('logs-all --once --stats: the logs up to now and one sample each, then exit 0', async (t) => {
  const suffix = uniqueSuffix();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dir = t.testdir();
  const name = `once-${suffix}`;
  const id = await startCounter(suffix, name, 20);
  const deadline = Date.now() + 30_000;
  while ((await dockerOk(['logs', '--tail', '1', name])) !== '20') {
    if (Date.now() > deadline) throw new Error(`${name} did not print 20 lines`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const result = await runBin('logs-all', ['--all', '--name', name, '--dir', dir, '--once', '--stats', '-q'], {
    timeoutMs: 60_000,
  });
  t.equal(result.exitCode, 0, result.stderr);
  t.same(runsOf(dir, name), [range(1, 20)]);
  t.equal(samplesIn(dir, id, name).length, 1, 'one sample');
  t.match(result.stderr, `docker stats --no-stream --format '{{json .}}' ${name}\n`);
  t.match(result.stderr, /^20 new lines from 1 container, 1 stats sample in /m);
});
