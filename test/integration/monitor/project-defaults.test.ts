// logs-all and stats-all run in a project with no scope or folder given: what the README promises.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { writeHelloProject } from '../../helpers/lifecycle-project.js';
import { runsOf } from '../../helpers/log-files.js';
import { range } from '../../helpers/wait.js';

t.before(requireEngine);

t.test("in a project: the project's containers only, into .dockerutils/logs; --tail and --since", async (t) => {
  const suffix = uniqueSuffix();
  const project = writeHelloProject(t.testdir(), suffix, []);
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const container = (name: string, projectName: string, command: string): Promise<string> =>
    dockerOk(
      testContainerArgs(suffix, name, ['sh', '-c', command], { labels: [`dockerutils.project=${projectName}`] }),
    );
  const mine = `mine-${suffix}`;
  const theirs = `theirs-${suffix}`;
  // Two bursts a second apart, so that a --since between them has a line on each side.
  await container(mine, project.name, 'seq 1 5; sleep 1; seq 6 10');
  await container(theirs, `other${suffix}`, 'seq 1 10');
  await dockerOk(['wait', mine], { timeoutMs: 30_000 });
  await dockerOk(['wait', theirs], { timeoutMs: 30_000 });
  const options = { cwd: project.root, env: project.env, timeoutMs: 60_000 };

  await t.test('logs-all --once: the default folder, the project scope', async (t) => {
    const result = await runBin('logs-all', ['--once', '-q'], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, `docker ps -a --filter label=dockerutils.project=${project.name} `);
    const dir = join(project.root, '.dockerutils', 'logs');
    t.ok(existsSync(dir), '.dockerutils/logs under the project root');
    t.same(runsOf(dir, mine), [range(1, 10)], "the project's container, every line");
    t.notOk(
      readdirSync(dir).some((file) => file.includes(theirs)),
      "another project's container is left out",
    );
  });

  await t.test('--tail N starts a container with nothing captured yet at its last N lines', async (t) => {
    const dir = t.testdir();
    const result = await runBin('logs-all', ['--once', '-q', '--tail', '3', '--dir', dir], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.same(runsOf(dir, mine), [[8, 9, 10]]);
  });

  await t.test('--since TIME starts it at TIME', async (t) => {
    const stamped = (await dockerOk(['logs', '--timestamps', mine])).split('\n');
    const nanos = (line: string | undefined): bigint => {
      const [, seconds, fraction] = /^(\S+?)(\.\d+)?Z /.exec(line ?? '') ?? [];
      return BigInt(Date.parse(`${seconds}Z`)) * 1_000_000n + BigInt((fraction ?? '.0').slice(1).padEnd(9, '0'));
    };
    // Half-way between lines 5 and 6, in unix seconds with nanoseconds.
    const between = (nanos(stamped[4]) + nanos(stamped[5])) / 2n;
    const since = `${between / 1_000_000_000n}.${String(between % 1_000_000_000n).padStart(9, '0')}`;
    const dir = t.testdir();
    const result = await runBin('logs-all', ['--once', '-q', '--since', since, '--dir', dir], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.same(runsOf(dir, mine), [range(6, 10)]);
  });
});

t.test("stats-all in a project: its echoed lines name the project's filter and its containers", async (t) => {
  const suffix = uniqueSuffix();
  const project = writeHelloProject(t.testdir(), suffix, []);
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const sleeper = (name: string, projectName: string): Promise<string> =>
    dockerOk(testContainerArgs(suffix, name, ['sleep', '120'], { labels: [`dockerutils.project=${projectName}`] }));
  const mine = `mine-${suffix}`;
  const theirs = `theirs-${suffix}`;
  await sleeper(mine, project.name);
  await sleeper(theirs, `other${suffix}`);
  const result = await runBin('stats-all', ['--once'], { cwd: project.root, env: project.env, timeoutMs: 60_000 });
  t.equal(result.exitCode, 0, result.stderr);
  const echoed = result.stderr.split('\n');
  t.ok(
    echoed.includes(`docker ps --filter label=dockerutils.project=${project.name} --format '{{json .}}'`),
    result.stderr,
  );
  t.ok(echoed.includes(`docker stats --no-stream --format '{{json .}}' ${mine}`), 'docker stats names the container');
  t.notMatch(result.stdout + result.stderr, theirs, "another project's container is neither sampled nor named");
  t.match(result.stdout, mine);
  const dir = join(project.root, '.dockerutils', 'logs');
  t.ok(
    readdirSync(dir).some((file) => file.endsWith(`-${mine}.stats.jsonl`)),
    'the sample is in .dockerutils/logs',
  );
});
