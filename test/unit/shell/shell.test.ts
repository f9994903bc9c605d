import t from 'tap';
import { join } from 'node:path';
import type { ContainerDeath } from '../../../src/commands/container-deaths.js';
import { containerLogsArgs, containerStatsArgs } from '../../../src/docker/container-output.js';
import { compareContainerNames } from '../../../src/docker/containers.js';
import { completeShellLine, type CompletionSources } from '../../../src/shell/completion.js';
import { DeathNotices } from '../../../src/shell/exit-notices.js';
import { appendHistory, historyFilePath, readHistory } from '../../../src/shell/history-file.js';
import { shellPrompt } from '../../../src/shell/prompt.js';
import { parseShellLine, type ShellCommandSpec } from '../../../src/shell/shell-line.js';

const specs: ShellCommandSpec[] = [
  { name: 'ps', aliases: ['ls'], usage: 'ps', summary: '', minArgs: 0, completes: 'none' },
  { name: 'run', usage: 'run IMAGE [run-image flags]', summary: '', minArgs: 1, completes: 'image' },
  { name: 'stop', usage: 'stop [CONTAINER...]', summary: '', minArgs: 0, completes: 'container' },
  { name: 'start', usage: 'start [CONTAINER...]', summary: '', minArgs: 0, completes: 'container' },
  { name: 'logs', usage: 'logs CONTAINER [-f]', summary: '', minArgs: 1, completes: 'container' },
  { name: 'dock', usage: 'dock use NAME', summary: '', minArgs: 1, completes: 'dock' },
  { name: 'help', usage: 'help [COMMAND]', summary: '', minArgs: 0, completes: 'command' },
  { name: 'capture', usage: 'capture [on|off]', summary: '', minArgs: 0, completes: 'none', choices: ['on', 'off'] },
];

t.test('lines are split like a shell and matched to a command', async (t) => {
  t.same(parseShellLine('   ', specs), { kind: 'empty' });
  t.same(parseShellLine('# a comment', specs), { kind: 'empty' });
  t.same(parseShellLine('run hello -c "echo hi there"', specs), {
    kind: 'command',
    spec: specs[1],
    args: ['hello', '-c', 'echo hi there'],
  });
  t.same(parseShellLine('ls', specs), { kind: 'command', spec: specs[0], args: [] });
  t.same(parseShellLine('stpo web', specs), {
    kind: 'error',
    message: 'unknown command "stpo" (did you mean "stop"?); "help" lists the commands',
  });
  t.same(parseShellLine('lgos web', specs), {
    kind: 'error',
    message: 'unknown command "lgos" (did you mean "logs"?); "help" lists the commands',
  });
  t.same(parseShellLine('frobnicate', specs), {
    kind: 'error',
    message: 'unknown command "frobnicate"; "help" lists the commands',
  });
  t.same(parseShellLine('logs -f', specs), { kind: 'error', message: 'usage: logs CONTAINER [-f]' });
  t.match(parseShellLine('run "hello', specs), { kind: 'error', message: /cannot split/ });
});

t.test('Tab completes commands, cfg images and live container names', async (t) => {
  const sources: CompletionSources = {
    images: ['hello', 'dev'],
    containers: async () => ['web_1', 'web_2', 'db'],
    docks: async () => ['default', 'gpu-box'],
  };
  t.same(await completeShellLine('s', specs, sources), [['start', 'stop'], 's']);
  t.same(await completeShellLine('ru', specs, sources), [['run '], 'ru']);
  t.same(await completeShellLine('run h', specs, sources), [['hello '], 'h']);
  t.same(await completeShellLine('run hello -', specs, sources), [[], '-']);
  t.same(await completeShellLine('stop web_1 w', specs, sources), [['web_1', 'web_2'], 'w']);
  t.same(await completeShellLine('logs d', specs, sources), [['db '], 'd']);
  t.same(await completeShellLine('dock ', specs, sources), [['add', 'env', 'ls', 'rm', 'use'], '']);
  t.same(await completeShellLine('dock u', specs, sources), [['use '], 'u']);
  t.same(await completeShellLine('dock use g', specs, sources), [['gpu-box '], 'g']);
  t.same(await completeShellLine('dock rm g', specs, sources), [['gpu-box '], 'g']);
  t.same(await completeShellLine('help lo', specs, sources), [['logs '], 'lo']);
  t.same(await completeShellLine('ps x', specs, sources), [[], 'x']);
  t.same(await completeShellLine('capture o', specs, sources), [['off', 'on'], 'o']);
  t.same(await completeShellLine('capture of', specs, sources), [['off '], 'of']);
  t.same(await completeShellLine('capture on x', specs, sources), [[], 'x'], 'choices are for the first word only');
});

t.test('history lives in the XDG state folder and comes back newest first', async (t) => {
  t.equal(historyFilePath({ XDG_STATE_HOME: '/state' }, '/home/ann'), '/state/dockerutils/history');
  t.equal(historyFilePath({ XDG_STATE_HOME: 'relative' }, '/home/ann'), '/home/ann/.local/state/dockerutils/history');
  t.equal(historyFilePath({}, '/home/ann'), '/home/ann/.local/state/dockerutils/history');
  const path = join(t.testdir(), 'new', 'history');
  t.same(readHistory(path, 10), []);
  for (const line of ['ps', 'run hello', 'stop web']) appendHistory(path, line);
  t.same(readHistory(path, 2), ['stop web', 'run hello']);
});

t.test("container deaths become notices, each once, not for the shell's own commands", async (t) => {
  const death: ContainerDeath = { id: 'abc123', name: 'web', exitCode: '137', timeNanos: 1700000000123456789n };
  let clock = 1_000_000_000_000_000_000n;
  const notices = new DeathNotices(() => clock);
  t.equal(notices.noticeFor(death), 'web exited (code 137)');
  t.equal(notices.noticeFor(death), undefined, 'a replayed event is not reported again');
  const change = notices.beginOwnChange();
  change.changes(['web']);
  clock += 5_000_000_000n;
  change.end();
  t.equal(
    notices.noticeFor({ ...death, timeNanos: clock - 1_000_000_000n }),
    undefined,
    "a death during the shell's own stop is not reported",
  );
  t.equal(
    notices.noticeFor({ ...death, timeNanos: clock + 1_000_000_000n }),
    undefined,
    'nor one of the same container that trails it by less than the grace',
  );
  t.equal(
    notices.noticeFor({ ...death, timeNanos: clock + 10_000_000_000n }),
    'web exited (code 137)',
    'one well after it is',
  );
});

t.test("the grace covers only the containers the shell's own command changed", async (t) => {
  let clock = 1_000_000_000_000_000_000n;
  const notices = new DeathNotices(() => clock);
  const change = notices.beginOwnChange();
  change.changes(['web', '4f3c2b']);
  const during = clock + 500_000_000n;
  clock += 1_000_000_000n;
  change.end();
  const shortlyAfter = clock + 1_000_000_000n;
  const death = (name: string, id: string, timeNanos: bigint): ContainerDeath => ({
    id,
    name,
    exitCode: '137',
    timeNanos,
  });
  t.equal(
    notices.noticeFor(death('db', 'ddd111', shortlyAfter)),
    'db exited (code 137)',
    'another container stopped from outside just after the shell stopped web is reported',
  );
  t.equal(
    notices.noticeFor(death('cache', 'eee222', during)),
    'cache exited (code 137)',
    'and so is one stopped from outside while the shell stopped web',
  );
  t.equal(notices.noticeFor(death('web', 'aaa999', shortlyAfter)), undefined, "web itself is the shell's own");
  t.equal(
    notices.noticeFor(death('worker', '4f3c2b9e8d7a', during)),
    undefined,
    "a container the command named by an id prefix is the shell's own too",
  );
});

t.test("the shell's own docker lines, its order and its prompt", async (t) => {
  t.same(containerLogsArgs('web', { follow: true }), ['logs', '-f', '--tail', '50', 'web']);
  t.same(containerLogsArgs('web', { tail: 5 }), ['logs', '--tail', '5', 'web']);
  t.same(containerStatsArgs(['a', 'b']), ['stats', '--no-stream', 'a', 'b']);
  t.same(
    [{ name: 'web_10' }, { name: 'web_2' }].sort(compareContainerNames).map((container) => container.name),
    ['web_2', 'web_10'],
    'replicas in the order people read them',
  );
  t.equal(shellPrompt('proj', 'local'), 'proj @local> ');
});

t.test('a container started again after the shell stopped it: its next death is news, however soon', async (t) => {
  let clock = 1_000_000_000_000_000_000n;
  const notices = new DeathNotices(() => clock);
  const change = notices.beginOwnChange();
  change.changes(['web']);
  clock += 1_000_000_000n;
  change.end();
  const web = { id: 'abc123', name: 'web' };
  t.equal(notices.noticeFor({ ...web, exitCode: '143', timeNanos: clock - 500_000_000n }), undefined, 'the own stop');
  notices.noteStart({ ...web, timeNanos: clock + 200_000_000n });
  t.equal(
    notices.noticeFor({ ...web, exitCode: '138', timeNanos: clock + 600_000_000n }),
    'web exited (code 138)',
    'within the grace, but after a start that came after the command',
  );
});
