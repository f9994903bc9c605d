import { mkdirSync, writeFileSync } from 'node:fs';
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
import { writeHelloProject } from '../../helpers/lifecycle-project.js';
import { TmuxServer } from '../../helpers/tmux.js';

const suffix = uniqueSuffix();

t.test('attach-container on a real terminal, and its one-line refusals', async (t) => {
  await requireEngine();
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const tmux = new TmuxServer(`du-attach-${suffix}`);
  t.teardown(() => tmux.kill());
  const project = writeHelloProject(t.testdir(), suffix, []);
  const dockerConfig = join(project.root, 'docker-config');
  mkdirSync(dockerConfig);
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ detachKeys: 'ctrl-x,x' }));
  // An interactive shell in a container with a terminal: what a person attaches to.
  const startShellContainer = (name: string): Promise<string> =>
    dockerOk(testContainerArgs(suffix, name, ['sh'], { verb: ['run', '-dit'] }));
  const state = (name: string): Promise<string> =>
    dockerOk(['container', 'inspect', '--format', '{{.State.Status}}', name]);
  // The bin under sh, so that its exit code stays on the screen after it ends.
  const attachArgv = (args: string, env = ''): string[] => [
    'sh',
    '-c',
    `env NO_COLOR=1 ${env} ${process.execPath} ${join(repoRoot, 'bin', 'attach-container.js')} ${args}; echo "exit code $?"; sleep 60`,
  ];

  await t.test('input reaches the container; ctrl-p,ctrl-q detaches and leaves it running', async (t) => {
    const name = `att-${suffix}`;
    await startShellContainer(name);
    await tmux.start('one', project.root, attachArgv(name));
    await tmux.waitFor('one', new RegExp(`attached to ${name}: ctrl-p,ctrl-q detaches and leaves it running`));
    await tmux.waitFor('one', new RegExp(`docker attach --detach-keys ctrl-p,ctrl-q ${name}`));
    await tmux.text('one', 'echo answer-$((6*7))');
    await tmux.key('one', 'Enter');
    await tmux.waitFor('one', /^answer-42/m);
    await tmux.key('one', 'C-p');
    await tmux.key('one', 'C-q');
    const screen = await tmux.waitFor('one', /exit code \d+/);
    t.match(screen, `detached from ${name}: it goes on running\nexit code 0`);
    t.equal(await state(name), 'running');
  });

  await t.test("the container's end ends the attachment with its exit code", async (t) => {
    const name = `att-exit-${suffix}`;
    await startShellContainer(name);
    await tmux.start('two', project.root, attachArgv(name));
    await tmux.waitFor('two', new RegExp(`docker attach --detach-keys ctrl-p,ctrl-q ${name}`));
    await tmux.text('two', 'exit 3');
    await tmux.key('two', 'Enter');
    const screen = await tmux.waitFor('two', /exit code \d+/);
    t.match(screen, 'exit code 3');
    t.notMatch(screen, /detached/);
    t.equal(await state(name), 'exited');
  });

  await t.test("the docker CLI's configured detachKeys are the ones shown and used", async (t) => {
    const name = `att-keys-${suffix}`;
    await startShellContainer(name);
    await tmux.start('three', project.root, attachArgv(name, `DOCKER_CONFIG=${dockerConfig}`));
    await tmux.waitFor('three', new RegExp(`attached to ${name}: ctrl-x,x detaches`));
    await tmux.waitFor('three', new RegExp(`docker attach --detach-keys ctrl-x,x ${name}`));
    await tmux.key('three', 'C-x');
    await tmux.key('three', 'x');
    t.match(await tmux.waitFor('three', /exit code \d+/), 'exit code 0');
    t.equal(await state(name), 'running');
  });

  await t.test('attach in dockerutils shell comes back to the prompt', async (t) => {
    const name = `att-shell-${suffix}`;
    await startShellContainer(name);
    await tmux.start('four', project.root, [
      'env',
      'NO_COLOR=1',
      `XDG_STATE_HOME=${t.testdir()}`,
      process.execPath,
      join(repoRoot, 'bin', 'dockerutils.js'),
      'shell',
    ]);
    const prompt = new RegExp(`${project.name} @\\S+> $`, 'm');
    await tmux.waitFor('four', prompt);
    await tmux.text('four', `attach ${name}`);
    await tmux.key('four', 'Enter');
    await tmux.waitFor('four', new RegExp(`attached to ${name}: ctrl-p,ctrl-q detaches`));
    await tmux.text('four', 'echo inside-$((6*7))');
    await tmux.key('four', 'Enter');
    await tmux.waitFor('four', /^inside-42/m);
    await tmux.key('four', 'C-p');
    await tmux.key('four', 'C-q');
    const screen = await tmux.waitFor(
      'four',
      new RegExp(`detached from ${name}: it goes on running\\n(.*\\n)*.*@\\S+> $`, 'm'),
    );
    t.notMatch(screen, /error/);
    await tmux.text('four', 'exit');
    await tmux.key('four', 'Enter');
    await tmux.waitForEnd('four');
    t.equal(await state(name), 'running');
  });

  await t.test('without a terminal: the output only, and the exit code of the container', async (t) => {
    const name = `att-pipe-${suffix}`;
    await dockerOk(testContainerArgs(suffix, name, ['sh', '-c', 'sleep 8; echo finished-here; exit 4']));
    const result = await runBin('attach-container', [name], { env: { ...process.env, NO_COLOR: '1' } });
    t.equal(result.exitCode, 4, result.stderr);
    t.equal(result.stdout, 'finished-here\n');
    t.match(result.stderr, `attached to ${name}, output only (standard input is not a terminal)\n`);
    t.match(result.stderr, `docker attach --detach-keys ctrl-p,ctrl-q --no-stdin --sig-proxy=false ${name}\n`);
  });

  await t.test('refusals are one line: unknown (closest name, exit 2), not running (exit 1)', async (t) => {
    const env = { ...process.env, NO_COLOR: '1' };
    const unknown = await runBin('attach-container', [`att-${suffix}x`], { env });
    t.equal(unknown.exitCode, 2);
    t.equal(unknown.stderr, `error: no such container: att-${suffix}x (did you mean "att-${suffix}"?)\n`);
    const stopped = await runBin('attach-container', [`att-exit-${suffix}`], { env });
    t.equal(stopped.exitCode, 1);
    t.equal(
      stopped.stderr,
      `error: att-exit-${suffix} is exited, not running: start-containers att-exit-${suffix} first\n`,
    );
    const dryRun = await runBin('attach-container', [`att-${suffix}`, '--dry-run'], { env });
    t.equal(dryRun.exitCode, 0, dryRun.stderr);
    t.equal(dryRun.stdout, `docker attach --detach-keys ctrl-p,ctrl-q --no-stdin --sig-proxy=false att-${suffix}\n`);
  });
});
