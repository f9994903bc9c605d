import { quote } from 'shlex';
import { UserError } from '../errors.js';
import type { Word } from '../project/words.js';

/** One argument of a command: plain text, or a word that may reference environment variables. */
export type Arg = string | Word;

/** The argv that is executed: environment references replaced by their values. */
export function resolveArgs(args: readonly Arg[], env: NodeJS.ProcessEnv): string[] {
  return args.map((arg) => resolveArg(arg, env));
}

function resolveArg(arg: Arg, env: NodeJS.ProcessEnv): string {
  return typeof arg === 'string'
    ? arg
    : arg.map((part) => (typeof part === 'string' ? part : (env[part.env] ?? ''))).join('');
}

/** How a docker command runs without the values of environment variables on its command line. */
export interface DockerInvocation {
  readonly argv: string[];
  /** Added to the docker process's environment: the values `-e NAME` and `--build-arg NAME` take from there. */
  readonly environment: Readonly<Record<string, string>>;
  /** `NAME=value` lines for a private env file: names the docker CLI would read as its own settings. */
  readonly envFileLines: readonly string[];
}

// `--env-add` is docker service update's -e.
const envFlags = ['-e', '--env', '--env-add'];
const buildArgFlag = '--build-arg';

/**
 * Any user of the machine can read a process's argv (`ps`, /proc/PID/cmdline), so a `-e` or
 * `--build-arg` whose value comes from the environment is passed by name (`-e NAME`), and docker
 * takes the value from its own environment, as it does for `-e NAME` typed in a shell. Names the CLI
 * would read as its own settings go into an env file instead (`--env-file`, at `envFilePath()`).
 * Other words (a -v path, a command argument) are resolved in place: docker takes those only from argv.
 */
export function dockerInvocation(
  args: readonly Arg[],
  env: NodeJS.ProcessEnv,
  envFilePath: () => string,
): DockerInvocation {
  const argv: string[] = [];
  const environment: Record<string, string> = {};
  const envFileLines: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const flag = typeof arg === 'string' ? arg : literalText(arg);
    const inline = flag === undefined ? undefined : /^(--env|--build-arg)=/.exec(flag)?.[1];
    const takesAssignment = flag !== undefined && (envFlags.includes(flag) || flag === buildArgFlag);
    const value = takesAssignment ? args[index + 1] : inline !== undefined ? arg : undefined;
    const assignment =
      value === undefined ? undefined : fromEnvironment(inline === undefined ? value : dropPrefix(value, `${inline}=`));
    if (assignment === undefined) {
      argv.push(resolveArg(arg, env));
      continue;
    }
    const isBuildArg = (inline ?? flag) === buildArgFlag;
    const { name } = assignment;
    const text = resolveArg(assignment.value, env);
    if (readByDockerCli(name)) {
      if (isBuildArg || flag === '--env-add') {
        throw new UserError(
          `${isBuildArg ? buildArgFlag : '--env-add'} ${name} takes its value from the environment, but the docker CLI reads ${name} as its own setting: give the variable another name`,
        );
      }
      if (envFileLines.length === 0) argv.push('--env-file', envFilePath());
      envFileLines.push(`${name}=${text}`);
    } else {
      argv.push(isBuildArg ? buildArgFlag : flag === '--env-add' ? flag : '-e', name);
      environment[name] = text;
    }
    if (inline === undefined) index++;
  }
  return { argv, environment, envFileLines };
}

// `NAME=...$VAR...`: an assignment whose value holds an environment reference; undefined for anything else.
function fromEnvironment(word: Arg): { name: string; value: Word } | undefined {
  if (typeof word === 'string' || word.every((part) => typeof part === 'string')) return undefined;
  const first = word[0];
  if (typeof first !== 'string') return undefined;
  const equals = first.indexOf('=');
  if (equals <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(first.slice(0, equals))) return undefined;
  const rest = first.slice(equals + 1);
  return { name: first.slice(0, equals), value: [...(rest === '' ? [] : [rest]), ...word.slice(1)] };
}

function dropPrefix(word: Arg, prefix: string): Arg {
  if (typeof word === 'string') return word.slice(prefix.length);
  const [first, ...rest] = word;
  return [(first as string).slice(prefix.length), ...rest];
}

function literalText(word: Word): string | undefined {
  return word.every((part) => typeof part === 'string')
    ? word.join('')
    : typeof word[0] === 'string'
      ? word[0]
      : undefined;
}

// Settings of the docker CLI, of the Go runtime under it, and of the ssh it starts for a dock.
function readByDockerCli(name: string): boolean {
  return (
    /^(DOCKER|BUILDKIT|BUILDX|COMPOSE|GO|LD|SSH)_/.test(name) ||
    /^(PATH|HOME|TMPDIR|USER|LOGNAME|XDG_[A-Z_]+|(HTTPS?|NO|ALL)_PROXY)$/i.test(name) ||
    /^GO[A-Z]+$/.test(name)
  );
}

/**
 * One POSIX-shell line that, pasted into a shell, runs the same argv. Environment references are
 * written as `$NAME` inside double quotes, so secrets stay out of terminals, logs and CI output.
 */
export function formatCommandLine(program: string, args: readonly Arg[]): string {
  return [program, ...args].map(formatArg).join(' ');
}

/** Words as one POSIX-shell fragment, quoted as `formatCommandLine` quotes them (`$NAME` for environment references). */
export function formatWords(args: readonly Arg[]): string {
  return args.map(formatArg).join(' ');
}

function formatArg(arg: Arg): string {
  if (typeof arg === 'string') return quote(arg);
  if (arg.every((part) => typeof part === 'string')) return quote(arg.join(''));
  const inner = arg
    .map((part, index) => {
      if (typeof part === 'string') return part.replace(/[\\"$`]/g, '\\$&');
      const next = arg[index + 1];
      const needsBraces = typeof next === 'string' && /^\w/.test(next);
      return needsBraces ? `\${${part.env}}` : `$${part.env}`;
    })
    .join('');
  return `"${inner}"`;
}

/** The objects of docker's `--format '{{json .}}'` output: one JSON value a line, blank lines skipped. */
export function jsonLines<T>(output: string): T[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
