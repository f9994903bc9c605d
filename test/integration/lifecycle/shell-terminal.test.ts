import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { dockerOk, repoRoot, requireEngine, runBin, uniqueSuffix } from '../../helpers/engine.js';
import { removeTestProject, writeHelloProject } from '../../helpers/lifecycle-project.js';
import { TmuxServer } from '../../helpers/tmux.js';

const suffix = uniqueSuffix();

t.test('dockerutils shell on a terminal (tmux)', async (t) => {
  await requireEngine();
  const stateHome = t.testdir();
  const project = writeHelloProject(t.testdir(), suffix, ['network=none'], { XDG_STATE_HOME: stateHome });
  t.teardown(() => removeTestProject(project, suffix));
  const tmux = new TmuxServer(`du-shell-${suffix}`);
  t.teardown(() => tmux.kill());
  const web = `web-${suffix}`;
  const bin = (name: string, args: string[]): ReturnType<typeof runBin> =>
    runBin(name, args, { cwd: project.root, env: project.env, timeoutMs: 120_000 });
  t.equal((await bin('build-image', ['hello'])).exitCode, 0, 'build-image hello');
  t.equal((await bin('run-image', ['hello', '-k', '--name', web])).exitCode, 0, 'run-image hello -k');

  const shellArgv = [
    'env',
    `XDG_STATE_HOME=${stateHome}`,
    `LOGNAME=${project.user}`,
    'NO_COLOR=1',
    process.execPath,
    join(repoRoot, 'bin', 'dockerutils.js'),
    'shell',
  ];
  const prompt = `${project.name} @`;
  const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  const noticePattern = new RegExp(`${escaped(web)} exited \\(code \\d+\\)`);
  await tmux.start('one', project.root, shellArgv);
  await tmux.waitFor('one', new RegExp(`${escaped(prompt)}\\S*> $`, 'm'));

  await t.test('Tab completes a live container name', async (t) => {
    await tmux.text('one', 'logs web-');
    await tmux.key('one', 'Tab');
    await tmux.waitFor('one', new RegExp(`> logs ${escaped(web)} $`, 'm'));
    await tmux.key('one', 'Enter');
    const screen = await tmux.waitFor('one', new RegExp(`docker logs --tail 50 ${escaped(web)}\\n(.*\\n)*.*> $`, 'm'));
    t.pass(`ran the completed line:\n${screen}`);
  });

  await t.test('a container stopped by another process is reported once', async (t) => {
    await dockerOk(['stop', '-t', '1', web], { timeoutMs: 30_000 });
    await tmux.waitFor('one', noticePattern);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    t.equal(count(await tmux.screen('one'), noticePattern), 1);
  });

  await t.test('Ctrl-C ends logs -f and returns to the prompt; the shell keeps watching', async (t) => {
    await dockerOk(['start', web]);
    await tmux.text('one', `logs -f ${web}`);
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`docker logs -f --tail 50 ${escaped(web)}`));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await tmux.key('one', 'C-c');
    await tmux.text('one', 'ps');
    await tmux.key('one', 'Enter');
    const screen = await tmux.waitFor(
      'one',
      new RegExp(`${escaped(web)} +${escaped(`${project.name}-hello:${project.user}`)} +running`),
    );
    t.notMatch(screen, /error/);
    // The Ctrl-C reached docker events too: the notices must come through its restart.
    await dockerOk(['stop', '-t', '1', web], { timeoutMs: 30_000 });
    await tmux.waitFor('one', new RegExp(`${noticePattern.source}(.*\\n)*.*${noticePattern.source}`));
  });

  await t.test('history is recalled in a new session', async (t) => {
    await tmux.key('one', 'C-d');
    await tmux.waitForEnd('one');
    t.pass('Ctrl-D ended the shell (and its tmux session)');
    t.same(readFileSync(join(stateHome, 'dockerutils', 'history'), 'utf8').split('\n'), [
      'logs web-' + suffix,
      `logs -f ${web}`,
      'ps',
      '',
    ]);
    await tmux.start('two', project.root, shellArgv);
    await tmux.waitFor('two', new RegExp(`${escaped(prompt)}\\S*> $`, 'm'));
    await tmux.key('two', 'Up');
    await tmux.waitFor('two', /> ps$/m);
    await tmux.key('two', 'Up');
    await tmux.waitFor('two', new RegExp(`> logs -f ${escaped(web)}$`, 'm'));
  });
});
