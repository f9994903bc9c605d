import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { docker, dockerOk, repoRoot, requireEngine, runBin, testLabel, uniqueSuffix } from '../../helpers/engine.js';
import { projectContainerStates, removeTestProject, writeHelloProject } from '../../helpers/lifecycle-project.js';
import { waitFor } from '../../helpers/wait.js';
import { TmuxServer } from '../../helpers/tmux.js';

const suffix = uniqueSuffix();

t.test('dockerutils shell on a terminal (tmux)', async (t) => {
  await requireEngine();
  const stateHome = t.testdir();
  const project = writeHelloProject(t.testdir(), suffix, ['network=none'], { XDG_STATE_HOME: stateHome });
  mkdirSync(join(project.root, 'docker', 'slow'));
  writeFileSync(join(project.root, 'docker', 'slow', 'Dockerfile'), 'FROM busybox\n');
  t.teardown(() => removeTestProject(project, suffix));
  const tmux = new TmuxServer(`du-shell-${suffix}`);
  t.teardown(() => tmux.kill());
  const web = `web-${suffix}`;
  const bin = (name: string, args: string[]): ReturnType<typeof runBin> =>
    runBin(name, args, { cwd: project.root, env: project.env, timeoutMs: 120_000 });
  t.equal((await bin('build-image', ['hello'])).exitCode, 0, 'build-image hello');
  const other = `other-${suffix}`;
  t.equal((await bin('run-image', ['hello', '-k', '--name', web])).exitCode, 0, 'run-image hello -k');
  t.equal((await bin('run-image', ['hello', '-k', '--name', other])).exitCode, 0, 'run-image hello -k, another');

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
  await tmux.start('one', project.root, shellArgv);
  await tmux.waitFor('one', new RegExp(`${escaped(prompt)}\\S*> $`, 'm'));

  await t.test('Tab completes a live container name', async (t) => {
    await tmux.text('one', 'logs web-');
    await tmux.key('one', 'Tab');
    await tmux.waitFor('one', new RegExp(`> logs ${escaped(web)} $`, 'm'));
    await tmux.key('one', 'Enter');
    const screen = await tmux.waitFor('one', new RegExp(`docker logs --tail 50 ${escaped(web)}\\n(.*\\n)*.*> $`, 'm'));
    t.notMatch(screen, /error/, 'the completed line ran without error');
  });

  // Each death has an exit code of its own (docker stop: 143 through --init; docker kill: 137), so that
  // a later notice is never matched by a replay of an earlier one.
  const notice = (code: number): RegExp => new RegExp(`${escaped(web)} exited \\(code ${code}\\)`);

  await t.test('a container stopped by another process is reported once, its own stops never', async (t) => {
    await dockerOk(['stop', '-t', '5', web], { timeoutMs: 30_000 });
    await tmux.waitFor('one', notice(143));
    // The shell's own stop, then a kill from outside: the watcher handles events in order, so once the
    // kill's notice shows, any repeat of the first notice or a notice of the shell's stop would have.
    await dockerOk(['start', web]);
    await tmux.text('one', `stop -t 5 ${web}`);
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`docker stop -t 5 ${escaped(web)}\\n${escaped(web)}\\n`));
    // Another container killed from outside right after the shell's own stop is reported: the grace
    // the shell gives its own stops covers only the containers it changed.
    await dockerOk(['kill', other]);
    const screen = await tmux.waitFor('one', new RegExp(`${escaped(other)} exited \\(code 137\\)`));
    t.equal(count(screen, notice(143)), 1, "the outside stop once, the shell's own stop not at all");
  });

  await t.test('Ctrl-C ends logs -f and returns to the prompt; the shell keeps watching', async (t) => {
    await dockerOk(['start', web]);
    await tmux.text('one', `logs -f ${web}`);
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`docker logs -f --tail 50 ${escaped(web)}`));
    await waitFor(
      'docker logs -f running',
      () => processRunning(['docker', 'logs', '-f', '--tail', '50', web]),
      20_000,
    );
    await tmux.key('one', 'C-c');
    await tmux.text('one', 'ps');
    await tmux.key('one', 'Enter');
    const screen = await tmux.waitFor(
      'one',
      new RegExp(`${escaped(web)} +${escaped(`${project.name}-hello:${project.user}`)} +running`),
    );
    t.notMatch(screen, /error/);
    // The Ctrl-C reached docker events too: the notices must come through its restart. A code no
    // earlier notice had: a replayed notice cannot pass for this one. Sent by the engine: a `kill`
    // run inside by exec can itself be killed as the container goes down, and fail.
    await dockerOk(['kill', '--signal', 'USR1', web]);
    await tmux.waitFor('one', notice(138));
  });

  await t.test('Ctrl-C drops a typed line; help lists the commands; quit and exit leave', async (t) => {
    await dockerOk(['start', web]);
    await tmux.text('one', `rm --force ${web}`);
    await tmux.key('one', 'C-c');
    await tmux.waitFor('one', new RegExp(`> rm --force ${escaped(web)}\\^C\\n.*> $`, 'm'));
    await tmux.text('one', 'help');
    await tmux.key('one', 'Enter');
    const screen = await tmux.waitFor('one', /\bexit\b.*\n(.*\n)*.*> $/m);
    for (const command of ['images', 'ps', 'build', 'run', 'logs', 'dock use']) t.match(screen, command);
    t.equal((await projectContainerStates(project))[web], 'running', 'the dropped line never ran');
    await tmux.text('one', 'help logs');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /logs CONTAINER \[-f\] \[-n LINES\]/);
    for (const leave of ['quit', 'exit']) {
      await tmux.start(leave, project.root, shellArgv);
      await tmux.waitFor(leave, new RegExp(`${escaped(prompt)}\\S*> $`, 'm'));
      await tmux.text(leave, leave);
      await tmux.key(leave, 'Enter');
      await tmux.waitForEnd(leave);
    }
  });

  await t.test('Ctrl-C interrupts a running build and the shell goes on', async (t) => {
    // A build step that waits long enough to be interrupted, and says when it started.
    writeFileSync(
      join(project.root, 'docker', 'slow', 'Dockerfile'),
      `FROM busybox\nLABEL ${testLabel}=${suffix}\nRUN echo slow-step-started && sleep 120\n`,
    );
    await tmux.text('one', 'build slow');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /slow-step-started/, 60_000);
    await tmux.key('one', 'C-c');
    await tmux.waitFor('one', new RegExp(`${escaped(prompt)}\\S*> $`, 'm'), 30_000);
    t.not((await docker(['image', 'inspect', `${project.name}-slow:${project.user}`])).exitCode, 0, 'no image built');
    await tmux.text('one', 'ps');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`${escaped(web)} +\\S+ +running`));
  });

  await t.test('history is recalled in a new session', async (t) => {
    await tmux.key('one', 'C-d');
    // waitForEnd throws unless Ctrl-D ended the shell, and with it its tmux session.
    await tmux.waitForEnd('one');
    t.same(readFileSync(join(stateHome, 'dockerutils', 'history'), 'utf8').split('\n'), [
      'logs web-' + suffix,
      `stop -t 5 ${web}`,
      `logs -f ${web}`,
      'ps',
      'help',
      'help logs',
      'quit',
      'exit',
      'build slow',
      'ps',
      '',
    ]);
    await tmux.start('two', project.root, shellArgv);
    await tmux.waitFor('two', new RegExp(`${escaped(prompt)}\\S*> $`, 'm'));
    await tmux.key('two', 'Up');
    await tmux.waitFor('two', /> ps$/m);
    await tmux.key('two', 'Up');
    await tmux.waitFor('two', /> build slow$/m);
  });
});

/** True while a process with exactly this argv runs on the machine. */
function processRunning(argv: readonly string[]): boolean {
  const wanted = `${argv.join('\0')}\0`;
  return readdirSync('/proc').some((entry) => {
    try {
      return /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted;
    } catch {
      return false;
    }
  });
}
