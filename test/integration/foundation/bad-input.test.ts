import t from 'tap';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempFolder, removeLabelled, requireEngine, runBin } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

t.before(requireEngine);
// Each case is a process or two that mostly waits: several at once keep the file well inside tap's time limit.
t.jobs = 4;

interface BadInput {
  readonly name: string;
  readonly bin: string;
  readonly args: string[];
  readonly cfg?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run outside any project. */
  readonly outside?: boolean;
  /** docker/dockerutils.cfg is a folder. */
  readonly cfgIsFolder?: boolean;
  readonly exitCode: number;
  readonly message: RegExp;
  /** Refused before anything runs: the message is all of stderr, and stdout is empty. */
  readonly nothingRuns?: boolean;
}

const cases: BadInput[] = [
  {
    name: 'no docker/ folder',
    bin: 'run-image',
    args: ['dev'],
    outside: true,
    exitCode: 2,
    message:
      /^error: no docker\/ folder in \S+ or any of its parents: create docker\/<image>\/Dockerfile at the project root$/,
  },
  {
    name: 'unknown image, with a suggestion',
    bin: 'run-image',
    args: ['helo'],
    exitCode: 2,
    message: /^error: unknown image "helo" in \S+ \(did you mean "hello"\?\); images: app, hello, shell$/,
  },
  {
    name: 'unknown image for build-image',
    bin: 'build-image',
    args: ['nothing-like-it'],
    exitCode: 2,
    message: /^error: unknown image "nothing-like-it" in \S+; images: app, hello, all, clean$/,
  },
  // --image names a project image: one that is not there is the same error for every command taking it.
  ...['ls-containers', 'logs-all', 'stats-all', 'stop-containers'].map((bin): BadInput => ({
    name: `${bin} --image with an unknown image`,
    bin,
    args: ['--image', 'nosuch', ...(bin === 'logs-all' || bin === 'stats-all' ? ['--once'] : [])],
    exitCode: 2,
    message: /^error: unknown image "nosuch" in \S+; images: app, hello, shell$/,
    nothingRuns: true,
  })),
  ...['ls-containers', 'logs-all', 'stats-all'].map((bin): BadInput => ({
    name: `${bin} --image with a near miss`,
    bin,
    args: ['--image', 'helo', ...(bin === 'ls-containers' ? [] : ['--once'])],
    exitCode: 2,
    message: /^error: unknown image "helo" in \S+ \(did you mean "hello"\?\); images: app, hello, shell$/,
    nothingRuns: true,
  })),
  {
    name: 'a synthetic image cannot be built',
    bin: 'build-image',
    args: ['shell'],
    exitCode: 2,
    message: /^error: "shell" is a synthetic image \(run-only\): build "hello" instead$/,
  },
  {
    name: 'malformed cfg line',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nports -p 80:80\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2: expected "key = value", found: ports -p 80:80 \(a key has no spaces\)$/,
  },
  {
    name: 'a line that is neither',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nports -p 8080\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:2: expected "\[section\]" or "key = value", found: ports -p 8080$/,
  },
  {
    name: 'key before any section',
    bin: 'build-image',
    args: ['hello'],
    cfg: 'tag=x\n[hello]\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:1: "tag=x" comes before any \[section\] header$/,
  },
  {
    name: 'duplicate key',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\ntag=a\ntag=b\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:3: key "tag" appears twice in its section$/,
  },
  {
    name: 'unknown {variable}',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nvolumes=-v {projectroot}:/src\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] volumes: unknown variable \{projectroot\} \(known: \{project_root\}, \{user\}, \{project\}, \{home\}; write \{\{ for a literal brace\)$/,
  },
  {
    name: 'environment variable not set',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nenvironment=-e TOKEN=${SURELY_NOT_SET_ANYWHERE}\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] environment: environment variable \$SURELY_NOT_SET_ANYWHERE is not set$/,
  },
  {
    name: 'unclosed quote',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\ncmd=sh -c "echo\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:2 \[hello\] cmd: cannot split into words: .+$/,
  },
  {
    name: 'lone % in the cfg',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\ncmd=date +%s\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] cmd: a lone "%" must be written "%%" \(the cfg format interpolates %\(key\)s\)$/,
  },
  {
    name: 'env= names a missing section',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nenv=secrets\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:2 \[hello\] env: no section \[secrets\] in the cfg$/,
  },
  {
    name: 'unknown option',
    bin: 'run-image',
    args: ['hello', '--kep'],
    exitCode: 2,
    message: /^error: unknown option '--kep'\n\(Did you mean --keep\?\)$/,
  },
  {
    name: 'missing argument',
    bin: 'build-image',
    args: [],
    exitCode: 2,
    message: /^error: missing required argument 'image'$/,
  },
  {
    name: 'unknown dock',
    bin: 'run-image',
    args: ['hello', '--dock', 'nowhere'],
    exitCode: 2,
    message: /^error: no dock named "nowhere": `dock ls` lists them, `dock add nowhere ssh:\/\/user@host` adds one$/,
  },
  {
    name: 'unknown umbrella command',
    bin: 'dockerutils',
    args: ['run-imag', 'hello'],
    exitCode: 2,
    message: /^error: unknown command "run-imag" \(did you mean "run-image"\?\); commands: build-image, run-image/,
  },
  {
    name: 'docker CLI not installed',
    bin: 'run-image',
    args: ['hello'],
    env: { PATH: '/nonexistent' },
    exitCode: 127,
    message:
      /^error: docker is not installed or not on PATH: install Docker \(`dockerutils ensure-engine` does it on Debian\)$/,
  },
  {
    name: 'engine unreachable (run)',
    bin: 'run-image',
    args: ['hello'],
    env: { DOCKER_HOST: 'unix:///tmp/no-such-engine.sock' },
    exitCode: 1,
    message:
      /error: cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-engine\.sock: start it with `dockerutils ensure-engine` \(or start Docker\)$/,
  },
  {
    name: 'engine unreachable (build)',
    bin: 'build-image',
    args: ['hello'],
    env: { DOCKER_HOST: 'unix:///tmp/no-such-engine.sock' },
    exitCode: 1,
    message: /error: cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-engine\.sock/,
  },
  {
    name: 'engine unreachable (clean, captured output)',
    bin: 'build-image',
    args: ['clean'],
    env: { DOCKER_HOST: 'unix:///tmp/no-such-engine.sock' },
    exitCode: 1,
    message: /^error: cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-engine\.sock/,
  },
  {
    name: 'engine unreachable (logs-all, Engine API)',
    bin: 'logs-all',
    args: ['--once', '--all'],
    env: { DOCKER_HOST: 'unix:///tmp/no-such-engine.sock' },
    exitCode: 1,
    message:
      /^error: cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-engine\.sock \(no socket there\): start it with `dockerutils ensure-engine` \(or start Docker\)$/,
  },
  {
    name: 'engine unreachable (stats-all, Engine API)',
    bin: 'stats-all',
    args: ['--all'],
    env: { DOCKER_HOST: 'unix:///tmp/no-such-engine.sock' },
    exitCode: 1,
    message:
      /^error: cannot reach the Docker engine at unix:\/\/\/tmp\/no-such-engine\.sock \(no socket there\): start it with `dockerutils ensure-engine` \(or start Docker\)$/,
  },
  {
    name: 'a failing docker build is an error with its exit code',
    bin: 'build-image',
    args: ['app'],
    exitCode: 1,
    message: /error: docker build failed with exit code 1$/,
  },
  {
    // 125 is docker's own code for a command it refused, distinct from the tool's own 1 and 2.
    name: "a failing docker command exits with docker's code",
    bin: 'run-image',
    args: ['hello', '-k', '-a', '--no-such-flag'],
    exitCode: 125,
    message: /error: docker run failed with exit code 125$/,
  },
  {
    name: 'a tag docker would refuse is named before anything runs',
    bin: 'build-image',
    args: ['hello', '-t', 'bad tag!'],
    exitCode: 2,
    message: /^error: image tag "bad tag!" \(from -t\) is not valid for docker: a tag is 1 to 128 letters/,
  },
  {
    name: 'an image name docker would refuse names its part',
    bin: 'run-image',
    args: ['hello', '--dry-run'],
    cfg: '[hello]\nname=Web App\n',
    exitCode: 2,
    message:
      /^error: image name "\S+-Web App" \(from docker\/dockerutils\.cfg:2 \[hello\] name\) is not valid for docker: "\S+-Web App" may hold only lower-case/,
  },
  {
    name: 'a cfg that is a folder',
    bin: 'run-image',
    args: ['hello'],
    cfgIsFolder: true,
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg is a folder: the cfg must be a file \(docker\/dockerutils\.cfg\)$/,
  },
  {
    name: 'every value problem and every syntax problem at once',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nvolumes=-v {nosuch}:/x\nstray line\nports=-p $DOCKERUTILS_UNSET_PORT:80\nkeep_container=sometimes\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] volumes: unknown variable \{nosuch\}.*\ndocker\/dockerutils\.cfg:3: expected .*\ndocker\/dockerutils\.cfg:5 \[hello\] keep_container: "sometimes" is not a yes or no/s,
  },
  {
    name: 'unset variables of the section in use, all at once',
    bin: 'run-image',
    args: ['hello'],
    cfg: '[hello]\nvolumes=-v $DOCKERUTILS_UNSET_A:/x\nports=-p ${DOCKERUTILS_UNSET_B}:80\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] volumes: environment variable \$DOCKERUTILS_UNSET_A is not set\ndocker\/dockerutils\.cfg:3 \[hello\] ports: environment variable \$DOCKERUTILS_UNSET_B is not set$/,
  },
  {
    name: 'a bad option value is a usage error naming the option',
    bin: 'stats-all',
    args: ['--interval', 'abc'],
    exitCode: 2,
    message: /^error: option '--interval <seconds>' argument 'abc' is invalid\. expected a number of seconds above 0$/,
  },
  {
    name: 'a broken cfg is reported by transfer-image, not taken for an image reference',
    bin: 'transfer-image',
    args: ['hello', 'nowhere'],
    cfg: '[hello]\nthis is not a key\n',
    exitCode: 2,
    message: /^error: docker\/dockerutils\.cfg:2: expected "\[section\]" or "key = value"/,
  },
  {
    name: 'a yes/no key with another word',
    bin: 'build-image',
    args: ['hello', '--dry-run'],
    cfg: '[hello]\npull_FROM_on_force=F\n',
    exitCode: 2,
    message:
      /^error: docker\/dockerutils\.cfg:2 \[hello\] pull_FROM_on_force: "F" is not a yes or no: write 1\/yes\/true\/on or 0\/no\/false\/off$/,
  },
];

const defaultCfg = '[hello]\nports=-p 127.0.0.1::8080\n[run_image]\nsynthetic_images=shell\n[shell]\nname=hello\n';

for (const input of cases) {
  t.test(input.name, async (t) => {
    const fixture = makeProject(t, input.cfg ?? defaultCfg, (suffix) => ({
      hello: `FROM busybox\nLABEL dockerutils.test=${suffix}\n`,
      app: `FROM busybox\nLABEL dockerutils.test=${suffix}\nRUN exit 1\n`,
    }));
    t.teardown(() => removeLabelled(fixture.imageLabel));
    if (input.cfgIsFolder) {
      const cfgPath = join(fixture.root, 'docker', 'dockerutils.cfg');
      rmSync(cfgPath);
      mkdirSync(cfgPath);
    }
    let cwd = fixture.root;
    if (input.outside) {
      cwd = makeTempFolder('outside');
      t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
    }
    const env = { ...process.env, NO_COLOR: '1', LOGNAME: 'tester', ...input.env };
    const result = await runBin(input.bin, input.args, { cwd, env, timeoutMs: 60_000 });
    t.equal(result.exitCode, input.exitCode, 'exit code');
    const lastLines = result.stderr.trim().split('\n').slice(-input.message.source.split('\\n').length).join('\n');
    t.match(lastLines, input.message, 'message');
    if (input.nothingRuns) {
      t.equal(result.stderr.trim(), lastLines, 'no docker line was echoed before it');
      t.equal(result.stdout, '', 'no output');
    }
    t.notMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace');
  });
}

t.test('a reader that goes away (| head) ends the command quietly', async (t) => {
  const { spawn } = await import('node:child_process');
  const { repoRoot } = await import('../../helpers/engine.js');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'dockerutils.js'), 'shell', '--help'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(exitCode, 0);
  t.notMatch(stderr, /EPIPE|at .+:\d+:\d+/);
});
