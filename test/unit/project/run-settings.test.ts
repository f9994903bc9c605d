import t, { type Test } from 'tap';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runContainerArgs } from '../../../src/docker/containers.js';
import { formatCommandLine, resolveArgs } from '../../../src/docker/command-line.js';
import { loadProject } from '../../../src/project/project.js';
import {
  defaultContainerName,
  resolveRunSettings,
  terminalFlags,
  type RunRequest,
} from '../../../src/project/run-settings.js';

const now = new Date(2026, 10, 23, 9, 5, 7);
const base: Omit<RunRequest, 'image'> = { stdinIsTerminal: false, docked: false, now };

function projectWith(t: Test, cfg: string, env: NodeJS.ProcessEnv = {}) {
  const root = t.testdir({
    demo: {
      docker: { 'dockerutils.cfg': cfg, dev: { Dockerfile: 'FROM busybox' }, hello: { Dockerfile: 'FROM busybox' } },
    },
  });
  return loadProject(join(root, 'demo'), { LOGNAME: 'me', ...env });
}

t.test('a bare image: --init, name, labels, --rm, -i without a terminal', async (t) => {
  const project = projectWith(t, '');
  const args = runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev' }));
  t.same(resolveArgs(args, {}), [
    'run',
    '--init',
    '--name',
    'me_dev_26-11-23_09.05.07',
    '--label',
    'dockerutils.project=demo',
    '--label',
    'dockerutils.image=dev',
    '--rm',
    '-i',
    'demo-dev:me',
  ]);
});

t.test('-it on a terminal; -k detaches and keeps', async (t) => {
  const project = projectWith(t, '');
  t.same(
    resolveArgs(
      runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev', stdinIsTerminal: true })),
      {},
    ).slice(-3),
    ['--rm', '-it', 'demo-dev:me'],
  );
  const kept = resolveArgs(runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev', keep: true })), {});
  t.notOk(kept.includes('--rm'));
  t.same(kept.slice(-2), ['-d', 'demo-dev:me']);
});

t.test('every run key of a section, in order', async (t) => {
  const project = projectWith(
    t,
    [
      '[dev]',
      'environment=-e A=1 -e B="two words"',
      'env=dev_env',
      'interactive=-it',
      'network=backend',
      'volumes=-v {project_root}:/src --mount type=bind,src={home}/.cache,dst=/cache',
      'ports=-p 8080:80',
      'args=--memory 1g',
      'cmd=sh -c "echo a; echo b"',
      '[dev_env]',
      'TOKEN=$TOKEN',
      'MODE=dev mode',
    ].join('\n'),
    { TOKEN: 'hunter2' },
  );
  const settings = resolveRunSettings(project, { ...base, image: 'dev', env: ['A=override'], extraArgs: '--cpus 2' });
  const args = runContainerArgs(settings);
  t.same(resolveArgs(args, { TOKEN: 'hunter2' }), [
    'run',
    '--init',
    '--name',
    'me_dev_26-11-23_09.05.07',
    '--label',
    'dockerutils.project=demo',
    '--label',
    'dockerutils.image=dev',
    '-e',
    'A=1',
    '-e',
    'B=two words',
    '-e',
    'TOKEN=hunter2',
    '-e',
    'MODE=dev mode',
    '-e',
    'A=override',
    '--rm',
    '-i',
    '--network',
    'backend',
    '-v',
    `${project.root}:/src`,
    '--mount',
    `type=bind,src=${homedir()}/.cache,dst=/cache`,
    '-p',
    '8080:80',
    '--memory',
    '1g',
    '--cpus',
    '2',
    'demo-dev:me',
    'sh',
    '-c',
    'echo a; echo b',
  ]);
  t.match(formatCommandLine('docker', args), /-e "TOKEN=\$TOKEN"/, 'the echo shows the reference, not the secret');
  t.notMatch(formatCommandLine('docker', args), /hunter2/);
});

t.test('-c, -n and -g replace the cfg; gpu has a default', async (t) => {
  const project = projectWith(t, '[dev]\ncmd=npm start\nnetwork=a\n[hello]\ngpu=--gpus all\n');
  const dev = resolveArgs(
    runContainerArgs(
      resolveRunSettings(project, {
        ...base,
        image: 'dev',
        command: 'npm test -- --grep "a b"',
        network: 'b',
        useGpu: true,
      }),
    ),
    {},
  );
  t.same(dev.slice(dev.indexOf('--rm')), [
    '--rm',
    '-i',
    '--runtime=nvidia',
    '-e',
    'NVIDIA_VISIBLE_DEVICES=all',
    '--network',
    'b',
    'demo-dev:me',
    'npm',
    'test',
    '--',
    '--grep',
    'a b',
  ]);
  const hello = resolveArgs(
    runContainerArgs(resolveRunSettings(project, { ...base, image: 'hello', useGpu: true })),
    {},
  );
  t.same(hello.slice(hello.indexOf('--rm')), ['--rm', '-i', '--gpus', 'all', 'demo-hello:me']);
});

t.test('_docked keys apply only when the engine is remote', async (t) => {
  const project = projectWith(
    t,
    '[dev]\nvolumes=-v {project_root}:/src\nvolumes_docked=-v /srv/data:/src\nports=-p 80:80\n',
  );
  const local = resolveArgs(runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev' })), {});
  const docked = resolveArgs(
    runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev', docked: true })),
    {},
  );
  t.ok(local.includes(`${project.root}:/src`));
  t.ok(docked.includes('/srv/data:/src'));
  t.ok(docked.includes('80:80'), 'keys without a _docked variant still apply');
});

t.test('init, keep_container and AWS credentials', async (t) => {
  const project = projectWith(t, '[dev]\ninit=False\nkeep_container=True\n', {
    AWS_ACCESS_KEY_ID: 'AKIA',
    AWS_REGION: 'eu-west-1',
  });
  const args = resolveArgs(runContainerArgs(resolveRunSettings(project, { ...base, image: 'dev' })), {});
  t.notOk(args.includes('--init'));
  t.ok(args.includes('-d'));
  t.same(
    args.slice(args.indexOf('dockerutils.image=dev') + 1),
    ['-e', 'AWS_ACCESS_KEY_ID', '-e', 'AWS_REGION', '-d', 'demo-dev:me'],
    'credentials pass by name, never by value',
  );
});

t.test('terminal flags lose -t without a terminal', async (t) => {
  const texts = (words: readonly (readonly (string | { env: string })[])[]) => words.map((word) => word.join(''));
  t.same(texts(terminalFlags([['-it']], false)), ['-i']);
  t.same(texts(terminalFlags([['-ti'], ['--tty']], false)), ['-i']);
  t.same(texts(terminalFlags([['-t']], false)), []);
  t.same(texts(terminalFlags([['-it']], true)), ['-it']);
  t.same(texts(terminalFlags([], false)), ['-i']);
  t.same(texts(terminalFlags([['-e']], false)), ['-e'], 'the Python README allows "interactive=-e"');
});

t.test("container names are the Python tool's", async (t) => {
  t.equal(defaultContainerName('me', 'dev', now), 'me_dev_26-11-23_09.05.07');
  t.equal(defaultContainerName('DOMAIN\\me', 'dev', now), 'DOMAIN_me_dev_26-11-23_09.05.07');
});

t.test('init takes yes and no words, or flags of its own', async (t) => {
  const argsOf = (cfg: string): string[] =>
    resolveArgs(runContainerArgs(resolveRunSettings(projectWith(t, cfg), { ...base, image: 'dev' })), {});
  t.notOk(argsOf('[dev]\ninit=no\n').includes('--init'));
  t.notOk(argsOf('[dev]\ninit=OFF\n').includes('--init'));
  t.ok(argsOf('[dev]\ninit=on\n').includes('--init'));
  t.ok(argsOf('[dev]\ninit=--init --init-path=/x\n').includes('--init-path=/x'));
});

t.test('every unset variable of the section in use is reported at once', async (t) => {
  const project = projectWith(t, '[dev]\nenvironment=-e A=$UNSET_A\nvolumes=-v ${UNSET_B}:/b\ncmd=echo $SET_C\n', {
    SET_C: 'c',
  });
  const error = t.throws(() => resolveRunSettings(project, { ...base, image: 'dev' })) as Error;
  t.match(
    error.message,
    /:2 \[dev\] environment: environment variable \$UNSET_A is not set\n.*:3 \[dev\] volumes: environment variable \$UNSET_B is not set$/,
  );
});
