// What the commands do on a real terminal (tmux gives each session a pseudo-terminal of its own).
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
import { removeTestProject, writeHelloProject } from '../../helpers/lifecycle-project.js';
import { TmuxServer } from '../../helpers/tmux.js';

const suffix = uniqueSuffix();
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

t.test('on a terminal', async (t) => {
  await requireEngine();
  const project = writeHelloProject(t.testdir(), suffix, ['network=none']);
  t.teardown(() => removeTestProject(project, suffix));
  const tmux = new TmuxServer(`du-term-${suffix}`);
  t.teardown(() => tmux.kill());
  // The bins run under sh, so that their exit code stays on the screen after they end. Colors depend
  // on NO_COLOR and FORCE_COLOR alone here: neither comes from the environment the tests run in.
  const underShell = (commands: string): string[] => [
    'env',
    '-u',
    'NO_COLOR',
    '-u',
    'FORCE_COLOR',
    `LOGNAME=${project.user}`,
    'sh',
    '-c',
    // A trap, not the default: Ctrl-C ends the bin, and sh goes on to show its exit code.
    `trap : INT; ${commands}; echo "exit code $?"; sleep 120`,
  ];
  const bin = (name: string): string => `${process.execPath} ${join(repoRoot, 'bin', `${name}.js`)}`;

  await t.test('colors: the echo and errors are colored, and NO_COLOR turns them off', async (t) => {
    await tmux.start(
      'colors',
      project.root,
      underShell(
        `${bin('ls-containers')}; ${bin('ls-containers')} --image nosuch; NO_COLOR=1 ${bin('ls-containers')} --image nosuch`,
      ),
    );
    await tmux.waitFor('colors', /exit code 2/);
    const screen = await tmux.tmux(['capture-pane', '-p', '-e', '-J', '-t', 'colors']);
    const lines = screen.split('\n');
    t.ok(lines[0]?.startsWith('\u001b[36mdocker ps '), `the echoed docker line, in cyan:\n${screen}`);
    t.ok(
      lines.some((line) => line.startsWith('\u001b[31merror:\u001b[39m unknown image "nosuch"')),
      `"error:" in red:\n${screen}`,
    );
    t.ok(
      lines.some((line) => line.startsWith('error: unknown image "nosuch"')),
      `with NO_COLOR, the same line without a color:\n${screen}`,
    );
  });

  await t.test('run-image: -it gives the container the terminal; Ctrl-C reaches it; its exit code', async (t) => {
    const built = await runBin('build-image', ['hello'], { cwd: project.root, env: project.env, timeoutMs: 120_000 });
    t.equal(built.exitCode, 0, built.stderr);
    await tmux.start('run', project.root, underShell(`NO_COLOR=1 ${bin('run-image')} hello -c sh`));
    await tmux.waitFor('run', /^docker run .* --rm -it .*\n(.*\n)*\/ #\s*$/m, 30_000);
    await tmux.text('run', 'tty');
    await tmux.key('run', 'Enter');
    await tmux.waitFor('run', /^\/dev\/pts\/\d+$/m);
    await tmux.text('run', 'sleep 300');
    await tmux.key('run', 'Enter');
    await tmux.key('run', 'C-c');
    // The shell in the container got the interrupt: the sleep ended, the shell and run-image did not.
    await tmux.waitFor('run', /sleep 300\n\^C\n\/ #\s*$/m, 20_000);
    await tmux.text('run', 'echo still-there');
    await tmux.key('run', 'Enter');
    await tmux.waitFor('run', /^still-there$/m);
    await tmux.text('run', 'exit 7');
    await tmux.key('run', 'Enter');
    await tmux.waitFor('run', /^exit code 7$/m, 20_000);
    t.equal(
      await dockerOk(['ps', '-aq', '--filter', `label=dockerutils.project=${project.name}`]),
      '',
      'the container was removed when it ended (--rm)',
    );
  });

  await t.test('stats-all: a live table redrawn in place, in the order --sort asks', async (t) => {
    t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
    const run = (name: string, script: string, extra: string[] = []): Promise<string> =>
      dockerOk(testContainerArgs(suffix, name, ['sh', '-c', script], { flags: extra }));
    // One busy on a fifth of a core, one holding 30 MB (its /dev/shm counts as its memory): with two
    // orders that differ, a table that ignored --sort fails one of them.
    const cpu = `cpu-${suffix}`;
    const memory = `mem-${suffix}`;
    await run(cpu, 'while :; do :; done', ['--cpus', '0.2']);
    await run(memory, 'head -c 30000000 /dev/zero > /dev/shm/fill; exec sleep 300');
    const row = (name: string): string => `^${escaped(name)} +[\\d.]+% +[\\d.]+\\S*B / `;
    for (const [sort, first, second] of [
      ['memory', memory, cpu],
      ['cpu', cpu, memory],
    ] as const) {
      const session = `stats-${sort}`;
      await tmux.start(
        session,
        project.root,
        underShell(`NO_COLOR=1 ${bin('stats-all')} --all --name '*-${suffix}' --sort ${sort}`),
      );
      const screen = await tmux.waitFor(
        session,
        new RegExp(`^NAME +CPU % +MEM USAGE / LIMIT +MEM % .*\\n${row(first)}.*\\n${row(second)}`, 'm'),
        30_000,
      );
      // A later sample of the busy container (its CPU % moves), redrawn: still one row per container.
      const cpuRow = new RegExp(`${row(cpu)}.*$`, 'm');
      const firstCpuRow = cpuRow.exec(screen)?.[0];
      const later = await tmux.waitFor(
        session,
        new RegExp(`${row(cpu)}(?!.*${escaped(`${firstCpuRow}`.slice(cpu.length))}$)`, 'm'),
      );
      t.equal(later.match(new RegExp(row(first), 'gm'))?.length, 1, `${sort}: one row for ${first}:\n${later}`);
      t.equal(later.match(/^NAME /gm)?.length, 1, `${sort}: one header`);
      await tmux.key(session, 'C-c');
      await tmux.waitFor(session, /^exit code 0$/m, 20_000);
    }
  });
});
