import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { dockerOk, requireEngine, runBin, uniqueSuffix } from '../../helpers/engine.js';
import { startRemoteRig } from '../../helpers/remote-rig.js';

const shellWord = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

interface DockRow {
  name: string;
  state: string;
  machine: string | null;
  version: string | null;
}

// The rig plays a machine that is started and stopped: its own commands stop every process of its
// network namespace (as a shutdown does) and start its sshd and dockerd again after a moment (as a
// boot does), returning at once like a cloud API.
t.test('docks that are machines: start-dock, stop-dock and the machine state in dock ls', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const env = { ...rig.clientEnv, XDG_CONFIG_HOME: join(rig.clientHome, '.config'), NO_COLOR: '1' };
  const client = { ...rig.client, env };
  const docksIni = join(rig.clientHome, '.config', 'dockerutils', 'docks.ini');
  const suffix = uniqueSuffix();
  const dock = `m${suffix}`;
  const half = `h${suffix}`;
  const never = `n${suffix}`;

  const background = (argv: readonly string[], log: string): string =>
    `  setsid ${argv.map(shellWord).join(' ')} >> ${shellWord(join(rig.dir, log))} 2>&1 < /dev/null &`;
  const script = (name: string, lines: readonly string[]): string => {
    const path = join(rig.dir, name);
    writeFileSync(path, ['#!/bin/sh', ...lines, ''].join('\n'));
    return `sh ${path}`;
  };
  const boot = (daemons: readonly ('dockerd' | 'sshd')[]): string[] => [
    '( sleep 2',
    ...daemons.map((daemon) => background(rig.daemonCommands[daemon], `machine-${daemon}.log`)),
    ') > /dev/null 2>&1 < /dev/null &',
    'echo "machine starting"',
  ];
  const start = script('start.sh', boot(['dockerd', 'sshd']));
  const startSshdOnly = script('start-sshd.sh', boot(['sshd']));
  const stop = script('stop.sh', [
    `pids=$(ip netns pids ${rig.namespace})`,
    '[ -n "$pids" ] && kill $pids',
    'for i in $(seq 1 100); do',
    `  [ -z "$(ip netns pids ${rig.namespace})" ] && exit 0`,
    '  sleep 0.2',
    'done',
    `kill -9 $(ip netns pids ${rig.namespace}) 2> /dev/null`,
    'exit 0',
  ]);
  const status = script('status.sh', [
    `if [ -n "$(ip netns pids ${rig.namespace})" ]; then echo running; else echo stopped; fi`,
  ]);

  const listed = async (): Promise<Map<string, DockRow>> => {
    const result = await runBin('dock', ['ls', '--json'], { ...client, timeoutMs: 30_000 });
    t.equal(result.exitCode, 0, result.stderr);
    return new Map((JSON.parse(result.stdout) as DockRow[]).map((row) => [row.name, row]));
  };

  await t.test('dock add --start --stop --status keeps the commands in docks.ini', async (t) => {
    const added = await runBin(
      'dock',
      ['add', dock, rig.sshUrl, '--start', start, '--stop', stop, '--status', status],
      client,
    );
    t.equal(added.exitCode, 0, added.stderr);
    t.match(added.stderr, `dock ${dock} added: Docker 20.`);
    const ini = readFileSync(docksIni, 'utf8');
    t.match(ini, `[${dock}]\nstart = ${start}\nstop = ${stop}\nstatus = ${status}\n`);
    const table = await runBin('dock', ['ls'], { ...client, timeoutMs: 30_000 });
    t.match(table.stdout, /^\s+NAME\s+ENDPOINT\s+STATE\s+VERSION\s+RUNNING\s+MACHINE\n/);
    t.match(table.stdout, new RegExp(`\\n\\s+${dock}\\s+\\S+\\s+answers\\s+20\\S+\\s+0\\s+running\\n`));
    t.match(table.stdout, /\n\*\s+default\s+.*answers\s+\S+\s+\d+\s+-\n/, 'a dock without a status command: -');
  });

  await t.test('stop-dock runs the stop command; dock ls shows the machine stopped', async (t) => {
    const stopped = await runBin('stop-dock', [dock], { ...client, timeoutMs: 60_000 });
    t.equal(stopped.exitCode, 0, stopped.stderr);
    t.match(stopped.stderr, `sh -c ${shellWord(stop)}`, 'the command is echoed');
    const row = (await listed()).get(dock);
    t.match(row, { state: 'unreachable', machine: 'stopped', version: null });
  });

  await t.test('a stopped machine can be added when it has a start command', async (t) => {
    const added = await runBin('dock', ['add', half, rig.sshUrl, '--start', startSshdOnly, '--stop', stop], client);
    t.equal(added.exitCode, 0, added.stderr);
    t.match(added.stderr, `it does not answer now: \`start-dock ${half}\` starts it`);
    const refused = await runBin('dock', ['add', `x${suffix}`, rig.sshUrl], client);
    t.equal(refused.exitCode, 1, 'without a start command an unreachable host is still refused');
    t.match(refused.stderr, /cannot reach .* over ssh/);
    const neverAdded = await runBin('dock', ['add', never, rig.sshUrl, '--start', 'true'], client);
    t.equal(neverAdded.exitCode, 0, neverAdded.stderr);
  });

  await t.test('start-dock --dry-run prints the start command and starts nothing', async (t) => {
    const dry = await runBin('start-dock', [dock, '--dry-run'], client);
    t.equal(dry.exitCode, 0, dry.stderr);
    t.equal(dry.stdout, `sh -c ${shellWord(start)}\n`);
    t.equal((await listed()).get(dock)?.machine, 'stopped');
  });

  await t.test('start-dock runs the start command and waits, saying so, until ssh and the engine answer', async (t) => {
    const begun = Date.now();
    const started = await runBin('start-dock', [dock, '--timeout', '120'], { ...client, timeoutMs: 150_000 });
    const elapsedMs = Date.now() - begun;
    t.equal(started.exitCode, 0, started.stderr);
    t.match(started.stderr, `sh -c ${shellWord(start)}\nmachine starting\n`);
    t.match(started.stderr, `waiting for ${dock}: no answer over ssh yet (`, 'a progress line while the machine boots');
    t.match(started.stderr, new RegExp(`${dock} is up: Docker 20\\.\\S+ answers \\(\\d+\\.\\d s\\)\\n$`));
    t.ok(elapsedMs >= 2_000, `it waited for the boot: ${elapsedMs} ms`);
    const row = (await listed()).get(dock);
    t.match(row, { state: 'answers', machine: 'running', version: /^20\./ });
    t.match(await dockerOk(['--context', dock, 'info', '--format', '{{.DockerRootDir}}'], client), /^\/tmp\/durig-/);
    t.equal((await runBin('stop-dock', [dock], { ...client, timeoutMs: 60_000 })).exitCode, 0);
  });

  await t.test(
    'a machine whose ssh answers and engine does not: said so, with how to start it, within the bound',
    async (t) => {
      const begun = Date.now();
      const result = await runBin('start-dock', [half, '--timeout', '8'], { ...client, timeoutMs: 60_000 });
      const elapsedMs = Date.now() - begun;
      t.equal(result.exitCode, 1);
      t.match(result.stderr, `waiting for ${half}: ssh answers, its Docker engine not yet (`);
      t.match(
        result.stderr,
        new RegExp(
          `error: ${half} answers over ssh, but its Docker engine did not answer within 8 s \\(the Docker engine on root@\\S+ is not running\\): start it there, e\\.g\\. \`ssh-dock ${half} sudo systemctl start docker\`\\n$`,
        ),
      );
      t.ok(elapsedMs < 8_000 + 12_000, `bounded: ${elapsedMs} ms`);
      t.equal((await runBin('stop-dock', [half], { ...client, timeoutMs: 60_000 })).exitCode, 0);
    },
  );

  await t.test('a machine that never answers: the wait ends at the bound with what to check', async (t) => {
    const begun = Date.now();
    const result = await runBin('start-dock', [never, '--timeout', '4'], { ...client, timeoutMs: 60_000 });
    const elapsedMs = Date.now() - begun;
    t.equal(result.exitCode, 1);
    t.match(result.stderr, `waiting for ${never}: no answer over ssh yet (`);
    t.match(
      result.stderr,
      new RegExp(
        `error: ${never} did not answer over ssh within 4 s \\(.*\\): check the machine's state \\(dock ls\\)`,
      ),
    );
    t.ok(elapsedMs < 4_000 + 12_000, `bounded: ${elapsedMs} ms`);
  });

  await t.test('bad input: one line each', async (t) => {
    const unknown = await runBin('start-dock', [`nosuch${suffix}`], client);
    t.equal(unknown.exitCode, 2);
    t.match(unknown.stderr, /^error: no dock named "nosuch\S+": `dock ls` lists them/);
    const noStop = await runBin('stop-dock', [never], client);
    t.equal(noStop.exitCode, 2);
    t.match(noStop.stderr, new RegExp(`^error: dock "${never}" has no stop command: add one under \\[${never}\\] in `));
    const badTimeout = await runBin('start-dock', [dock, '--timeout', 'soon'], client);
    t.equal(badTimeout.exitCode, 2);
    t.match(badTimeout.stderr, /--timeout/);
  });

  await t.test('dock rm forgets the machine commands', async (t) => {
    for (const name of [dock, half, never]) t.equal((await runBin('dock', ['rm', name], client)).exitCode, 0);
    t.notMatch(readFileSync(docksIni, 'utf8'), new RegExp(`\\[(${dock}|${half}|${never})\\]`));
  });
});
