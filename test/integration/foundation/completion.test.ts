import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { dockerOk, removeLabelled, repoRoot, requireEngine, runBounded, testLabel } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';
import { TmuxServer } from '../../helpers/tmux.js';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/** Fails loudly when a shell the test drives is missing, with what installs it. */
async function requireShell(shell: string): Promise<void> {
  const found = await runBounded('sh', ['-c', `command -v ${shell}`]);
  if (found.exitCode !== 0) throw new Error(`${shell} is not installed: apt-get install -y ${shell}`);
}

t.test('shell completion for bash, zsh and fish, with names from the cfg, the engine and the docks', async (t) => {
  await requireEngine();
  for (const shell of ['bash', 'zsh', 'fish']) await requireShell(shell);
  const fixture = makeProject(t, '[run_image]\nsynthetic_images = shell\n[shell]\nname = web\n', (suffix) => ({
    web: `FROM busybox\nLABEL ${testLabel}=${suffix}\n`,
    db: `FROM busybox\nLABEL ${testLabel}=${suffix}\n`,
  }));
  t.teardown(() => removeLabelled(fixture.containerLabel));
  const container = `web-${fixture.suffix}`;
  await dockerOk([
    'create',
    '--network',
    'none',
    '--label',
    fixture.containerLabel,
    '--name',
    container,
    'busybox',
    'true',
  ]);
  // The bins on PATH, as an install puts them; a docker config of its own with one dock.
  const home = join(fixture.root, '..', 'home');
  const binDir = join(home, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const [name, path] of Object.entries(packageJson.bin)) symlinkSync(join(repoRoot, path), join(binDir, name));
  const dockerConfig = join(home, 'docker-config');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH}`,
    DOCKER_CONFIG: dockerConfig,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    NO_COLOR: '1',
  };
  await dockerOk(['context', 'create', `gpu-${fixture.suffix}`, '--docker', 'host=ssh://me@gpu-box'], { env });
  const inProject = { cwd: fixture.root, env, timeoutMs: 60_000 };
  const sh = (shell: string, script: string): ReturnType<typeof runBounded> =>
    runBounded(shell, ['-c', script], inProject);

  await t.test('--list prints the names the scripts complete with, one a line', async (t) => {
    const list = async (kind: string): Promise<string> => {
      const result = await runBounded('dockerutils', ['completion', '--list', kind], inProject);
      t.equal(result.exitCode, 0, result.stderr);
      return result.stdout;
    };
    t.equal(await list('images'), 'db\nweb\nshell\n');
    t.equal(await list('buildable'), 'db\nweb\n');
    t.equal(await list('containers'), `${container}\n`, "the project's containers");
    t.equal(await list('docks'), `local\ngpu-${fixture.suffix}\n`);
  });

  await t.test('bash: _dockerutils fills COMPREPLY for each bin and for dockerutils <command>', async (t) => {
    const cases: [string[], string][] = [
      [['build-image', ''], 'db web all clean'],
      [['run-image', 's'], 'shell'],
      [['dockerutils', 'run-image', 'w'], 'web'],
      [['stop-containers', ''], container],
      [['stop-containers', container, ''], container],
      [['logs-all', '--dock', ''], `local gpu-${fixture.suffix}`],
      [['stats-all', '--sort', 'm'], 'memory'],
      [['dock', ''], 'add ls rm use env swarm'],
      [['start-dock', ''], `local gpu-${fixture.suffix}`],
      [['dockerutils', 'stop-dock', 'g'], `gpu-${fixture.suffix}`],
      [['run-notebook', 'w'], 'web'],
      [['dockerutils', 'config', 'd'], 'db'],
      [['attach-container', ''], container],
      [['dockerutils', 'dock', 'use', 'g'], `gpu-${fixture.suffix}`],
      [['rm-images', '--f'], '--force'],
      [['dockerutils', 'completion', ''], 'bash zsh fish'],
      [['dockerutils', 'rm-'], 'rm-images rm-containers'],
      [['attach-container', '--detach-keys', ''], ''],
    ];
    const script = [
      'source <(dockerutils completion bash)',
      ...cases.map(
        ([words]) =>
          `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _dockerutils; echo "\${COMPREPLY[*]}"`,
      ),
    ].join('\n');
    const result = await sh('bash', script);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stderr, '');
    t.same(
      result.stdout.split('\n').slice(0, -1),
      cases.map(([, expected]) => expected),
    );
    const registered = await sh('bash', 'source <(dockerutils completion bash); complete -p | sort');
    for (const bin of Object.keys(packageJson.bin))
      t.match(registered.stdout, `complete -o default -F _dockerutils ${bin}\n`);
  });

  await t.test('zsh: the script parses, and its candidates are those of bash', async (t) => {
    const script = join(home, 'completion.zsh');
    writeFileSync(script, (await runBounded('dockerutils', ['completion', 'zsh'], inProject)).stdout);
    const parsed = await runBounded('zsh', ['-n', script], inProject);
    t.equal(parsed.exitCode, 0, parsed.stderr);
    const result = await sh(
      'zsh',
      [
        'autoload -Uz compinit && compinit -D -u',
        `source ${script}`,
        'print -r -- ${_comps[build-image]} ${_comps[dockerutils]}',
        '_dockerutils_candidates "" build-image | paste -sd " "',
        `_dockerutils_candidates "" stop-containers ${container} | paste -sd " "`,
        '_dockerutils_candidates "" dockerutils dock use | paste -sd " "',
        '_dockerutils_candidates "--dr" rm-images | paste -sd " "',
      ].join('\n'),
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.same(result.stdout.split('\n').slice(0, -1), [
      '_dockerutils _dockerutils',
      'db web all clean',
      container,
      `local gpu-${fixture.suffix}`,
      '-f --force --dock --dry-run -h --help -V --version',
    ]);
  });

  await t.test('fish: the script parses, and complete -C gives the candidates', async (t) => {
    const script = join(home, 'completion.fish');
    writeFileSync(script, (await runBounded('dockerutils', ['completion', 'fish'], inProject)).stdout);
    const parsed = await runBounded('fish', ['-n', script], inProject);
    t.equal(parsed.exitCode, 0, parsed.stderr);
    const lines = ['build-image ', `stop-containers ${container} `, 'dockerutils dock use ', 'stats-all --sort '];
    const result = await sh(
      'fish',
      [`source ${script}`, ...lines.map((line) => `complete -C'${line}' | string join ' '`)].join('\n'),
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.same(result.stdout.split('\n').slice(0, -1), [
      'all clean db web',
      container,
      `gpu-${fixture.suffix} local`,
      'cpu memory name',
    ]);
  });

  await t.test('Tab on real terminals: zsh and fish complete an image name', async (t) => {
    const tmux = new TmuxServer(`du-compl-${fixture.suffix}`);
    t.teardown(() => tmux.kill());
    writeFileSync(
      join(home, '.zshrc'),
      'autoload -Uz compinit && compinit -D -u\nsource <(dockerutils completion zsh)\nPS1="zsh> "\n',
    );
    await tmux.start('zsh', fixture.root, [
      'env',
      `PATH=${env.PATH}`,
      `HOME=${home}`,
      `ZDOTDIR=${home}`,
      `DOCKER_CONFIG=${dockerConfig}`,
      'zsh',
      '-i',
    ]);
    await tmux.waitFor('zsh', /zsh> $/m);
    await tmux.text('zsh', 'run-image sh');
    await tmux.key('zsh', 'Tab');
    await tmux.waitFor('zsh', /zsh> run-image shell $/m);
    await tmux.start('fish', fixture.root, [
      'env',
      `PATH=${env.PATH}`,
      `HOME=${home}`,
      `XDG_CONFIG_HOME=${join(home, '.config')}`,
      `DOCKER_CONFIG=${dockerConfig}`,
      'fish',
      '-C',
      'dockerutils completion fish | source; function fish_prompt; echo "fish> "; end',
    ]);
    await tmux.waitFor('fish', /fish> $/m);
    await tmux.text('fish', 'build-image d');
    await tmux.key('fish', 'Tab');
    await tmux.waitFor('fish', /fish> build-image db $/m);
    t.pass('both shells completed from the cfg');
  });

  await t.test('bad input: one line, exit 2', async (t) => {
    const missing = await runBounded('dockerutils', ['completion'], inProject);
    t.equal(missing.exitCode, 2);
    t.equal(missing.stderr, 'error: name the shell: dockerutils completion bash|zsh|fish\n');
    const unknown = await runBounded('dockerutils', ['completion', 'powershell'], inProject);
    t.equal(unknown.exitCode, 2);
    t.match(
      unknown.stderr,
      /^error: command-argument value 'powershell' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish\.\n$/,
    );
  });
});
