import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { dockerOk, repoRoot, requireEngine, runBin, testContainerArgs, uniqueSuffix } from '../../helpers/engine.js';
import { removeTestProject, writeHelloProject } from '../../helpers/lifecycle-project.js';
import { runsOf } from '../../helpers/log-files.js';
import { TmuxServer } from '../../helpers/tmux.js';
import { range, waitFor } from '../../helpers/wait.js';

const suffix = uniqueSuffix();

t.test("the shell's images --all, ps --all, config and suggestions, and capture on a terminal", async (t) => {
  await requireEngine();
  const project = writeHelloProject(t.testdir(), suffix, ['network=none'], { XDG_STATE_HOME: t.testdir() });
  t.teardown(() => removeTestProject(project, suffix));
  const shell = (script: string): ReturnType<typeof runBin> =>
    runBin('dockerutils', ['shell'], { cwd: project.root, env: project.env, input: script, timeoutMs: 120_000 });
  // A container of no project: only --all shows it.
  const outsider = `outsider-${suffix}`;
  await dockerOk(testContainerArgs(suffix, outsider, ['true'], { verb: ['create'] }));

  await t.test('images --all and ps --all show the whole engine; images and ps the project', async (t) => {
    const built = await shell('build hello\n');
    t.equal(built.exitCode, 0, built.stderr);
    const whole = await shell('images --all\nps --all\n');
    t.equal(whole.exitCode, 0, whole.stderr);
    t.match(whole.stdout, /^REFERENCE +IMAGE +ID +SIZE +CREATED +CONTAINERS$/m);
    t.match(whole.stdout, new RegExp(`^${project.name}-hello:${project.user} +hello +[0-9a-f]{12} `, 'm'));
    t.match(whole.stdout, new RegExp(`^busybox:latest +- +[0-9a-f]{12} .*\\b${outsider}\\b`, 'm'));
    t.match(whole.stdout, new RegExp(`^${outsider} +busybox +created`, 'm'), 'ps --all: any container, any state');
    const own = await shell('images\nps\n');
    t.equal(own.exitCode, 0, own.stderr);
    t.notMatch(own.stdout, /busybox:latest|outsider-/, "without --all: the project's only");
  });

  await t.test('config shows the settings and the commands, running nothing', async (t) => {
    const result = await shell('config hello\n');
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stdout, new RegExp(`^hello  ${project.name}-hello:${project.user}\\n  network  none\\n`, 'm'));
    t.match(
      result.stdout,
      `  build    docker build --compress -t ${project.name}-hello:${project.user} -f docker/hello/Dockerfile .\n`,
    );
    t.match(
      result.stdout,
      new RegExp(`  run      docker run --init --name ${project.user}_hello_\\S+ .* --network none `),
    );
    t.equal(result.stderr, '', 'nothing ran');
  });

  await t.test('an unknown command gets the nearest by Damerau distance: lgos is logs', async (t) => {
    const result = await shell('lgos x\n');
    t.equal(result.exitCode, 2);
    t.match(result.stderr, 'error: unknown command "lgos" (did you mean "logs"?)');
  });

  await t.test('capture on|off on a terminal: logs-all of the project in the background', async (t) => {
    const tmux = new TmuxServer(`du-capture-${suffix}`);
    t.teardown(() => tmux.kill());
    await tmux.start('one', project.root, [
      'env',
      `XDG_STATE_HOME=${t.testdir()}`,
      `LOGNAME=${project.user}`,
      'NO_COLOR=1',
      process.execPath,
      join(repoRoot, 'bin', 'dockerutils.js'),
      'shell',
    ]);
    const prompt = new RegExp(`${project.name} @\\S+> $`, 'm');
    const dir = join(project.root, '.dockerutils', 'logs');
    await tmux.waitFor('one', prompt);
    await tmux.text('one', 'capture');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /capture is off \("capture on" starts/);
    await tmux.text('one', 'capture on');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`capture on: logs-all of the project on \\S+ into ${dir}`));
    // A container of the project started elsewhere is captured while the prompt waits.
    const counter = `counter-${suffix}`;
    await dockerOk(
      testContainerArgs(suffix, counter, ['sh', '-c', 'seq 1 300; exec sleep 600'], {
        labels: [`dockerutils.project=${project.name}`],
      }),
    );
    await waitFor('the counter captured', () => existsSync(dir) && runsOf(dir, counter).flat().length === 300, 30_000);
    t.same(runsOf(dir, counter), [range(1, 300)], 'every line once, in its own file');
    t.ok(readdirSync(dir).includes('all.log'));
    const screen = await tmux.screen('one');
    t.notMatch(screen, /counter-\S+ \| \d/, 'files only: no lines on the terminal');
    await tmux.text('one', 'capture');
    await tmux.key('one', 'Enter');
    await tmux.waitFor(
      'one',
      new RegExp(`capture runs since \\d\\d:\\d\\d:\\d\\d on \\S+: logs-all of the project into ${dir}`),
    );
    await tmux.text('one', 'capture off');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', new RegExp(`capture off: 300 new lines from 1 container in ${dir}`));
    await tmux.text('one', 'capture');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /capture is off \("capture on" starts[^\n]*\n(.*\n)*.*capture is off/);
    // Leaving the shell with the capture on ends it cleanly.
    await tmux.text('one', 'capture on');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /capture on: (.*\n)*.*capture on: /);
    await tmux.key('one', 'C-d');
    await tmux.waitForEnd('one');
  });
});
