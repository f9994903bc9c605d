import t from 'tap';
import { execFileSync } from 'node:child_process';
import { dockerInvocation, formatCommandLine, resolveArgs, type Arg } from '../../../src/docker/command-line.js';

// What a POSIX shell makes of a line: the ground truth the echo must match.
function shellWords(line: string, env: NodeJS.ProcessEnv): string[] {
  const output = execFileSync('sh', ['-c', `printf '%s\\0' ${line}`], {
    env: { PATH: process.env.PATH, ...env },
  }).toString();
  return output.split('\0').slice(0, -1);
}

t.test('plain words stay plain; others are quoted', async (t) => {
  t.equal(
    formatCommandLine('docker', ['run', '-e', 'A=b', '--name', 'x_y-1.2', 'img:tag']),
    'docker run -e A=b --name x_y-1.2 img:tag',
  );
  t.equal(
    formatCommandLine('docker', ['sh', '-c', 'echo a; echo b', '', "it's"]),
    `docker sh -c 'echo a; echo b' '' 'it'"'"'s'`,
  );
});

t.test('environment references print as $NAME and resolve to values', async (t) => {
  const args: Arg[] = [
    '-e',
    ['KEY=', { env: 'SECRET' }],
    ['-v', { env: 'HOME_DIR' }, '/x y:/x'],
    [{ env: 'SECRET' }, 'tail'],
    ['$`"\\'],
  ];
  const line = formatCommandLine('printf', args);
  t.equal(line, `printf -e "KEY=$SECRET" "-v$HOME_DIR/x y:/x" "\${SECRET}tail" '$\`"\\'`);
  const env = { SECRET: 'p@ss word$1', HOME_DIR: '/home/me' };
  t.same(resolveArgs(args, env), ['-e', 'KEY=p@ss word$1', '-v/home/me/x y:/x', 'p@ss word$1tail', '$`"\\']);
});

t.test('a shell parses the echoed line back into exactly the resolved argv', async (t) => {
  const env = { SECRET: `a'b"c $d \`e\` \\f`, OTHER: 'x' };
  const args: Arg[] = [
    'run',
    '--name',
    'n',
    '-e',
    ['S=', { env: 'SECRET' }],
    ['{', { env: 'OTHER' }, '}_1'],
    'sh',
    '-c',
    `echo "$HOME" 'q' && exit 3`,
    '*',
    '~',
    '#x',
    'a\nb',
  ];
  const line = formatCommandLine('docker', args);
  t.same(shellWords(line.replace(/^docker /, ''), env), resolveArgs(args, env));
});

t.test(
  "values from the environment leave the argv: -e NAME and --build-arg NAME, set in docker's environment",
  async (t) => {
    const env = { SECRET: 'p@ss', USER_NAME: 'app' };
    const invocation = dockerInvocation(
      [
        'run',
        '-e',
        ['TOKEN=', { env: 'SECRET' }],
        '--env',
        ['DB_URL=postgres://', { env: 'USER_NAME' }, ':', { env: 'SECRET' }, '@db/app'],
        ['--env=INLINE=', { env: 'SECRET' }],
        '-e',
        'PLAIN=visible',
        '-v',
        [{ env: 'USER_NAME' }, ':/x'],
        '--build-arg',
        ['BUILD=', { env: 'SECRET' }],
        'img',
      ],
      env,
      () => '/private/env',
    );
    t.same(invocation.argv, [
      'run',
      '-e',
      'TOKEN',
      '-e',
      'DB_URL',
      '-e',
      'INLINE',
      '-e',
      'PLAIN=visible',
      '-v',
      'app:/x',
      '--build-arg',
      'BUILD',
      'img',
    ]);
    t.same(invocation.environment, {
      TOKEN: 'p@ss',
      DB_URL: 'postgres://app:p@ss@db/app',
      INLINE: 'p@ss',
      BUILD: 'p@ss',
    });
    t.same(invocation.envFileLines, []);
  },
);

t.test('names the docker CLI reads itself go through one env file; as build arguments they are refused', async (t) => {
  const env = { SECRET: 'x' };
  const invocation = dockerInvocation(
    ['run', '-e', ['DOCKER_HOST=', { env: 'SECRET' }], '-e', ['http_proxy=', { env: 'SECRET' }], 'img'],
    env,
    () => '/private/env',
  );
  t.same(invocation.argv, ['run', '--env-file', '/private/env', 'img']);
  t.same(invocation.envFileLines, ['DOCKER_HOST=x', 'http_proxy=x']);
  t.same(invocation.environment, {});
  t.throws(() => dockerInvocation(['build', '--build-arg', ['DOCKER_CONFIG=', { env: 'SECRET' }]], env, () => '/e'), {
    name: 'UserError',
    message: /--build-arg DOCKER_CONFIG takes its value from the environment, but the docker CLI reads DOCKER_CONFIG/,
  });
});
