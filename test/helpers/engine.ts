// Shared by the integration tests: bounded docker calls, unique names, cleanup by label, and the
// built bins run as a black box.
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { recordSuffix } from './test-owner.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A short random suffix: names carry it so parallel runs never collide; recorded as this process's. */
export function uniqueSuffix(): string {
  const suffix = randomBytes(4).toString('hex');
  recordSuffix(suffix);
  return suffix;
}

/** The prefix of every temporary folder a test makes outside its tap fixture folder. */
export const tempFolderPrefix = '/tmp/dutmp-';

/** A new folder `/tmp/dutmp-<suffix>-<what>`, which the suite's clean-up removes if the test cannot. */
export function makeTempFolder(what: string): string {
  const folder = `${tempFolderPrefix}${uniqueSuffix()}-${what}`;
  mkdirSync(folder, { mode: 0o755 });
  return folder;
}

/** The label every resource a test creates carries, so that cleanup can find it. */
export const testLabel = 'dockerutils.test';

/** What a finished process left. */
export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Options for one bounded process. */
export interface BoundedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** SIGKILL after this long: plain `timeout` would be forwarded into an attached container. */
  timeoutMs?: number;
  /**
   * A folder mounted over the user's home folder (the password database's, which is where OpenSSH
   * looks for ~/.ssh whatever $HOME says) in a mount namespace of the process's own: its ssh then reads
   * that folder's config, keys and known_hosts as a user's ssh reads theirs. Needs root.
   */
  home?: string;
}

const passwordHome = userInfo().homedir;

// setsid, unshare and sh exec the program: its pid is the program's. setsid: no controlling terminal,
// so that an ssh asking for a password fails instead of waiting for one.
function withHome(file: string, args: readonly string[], home: string | undefined): [string, readonly string[]] {
  if (home === undefined) return [file, args];
  return [
    'setsid',
    [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$1" "$2" && shift 2 && exec "$@"',
      'sh',
      home,
      passwordHome,
      file,
      ...args,
    ],
  ];
}

/**
 * Starts one of the built bins in the background, as a user runs it, with `home` as runBounded takes
 * it; killed with SIGKILL at the test's teardown at the latest.
 */
export function spawnBin(
  t: { teardown(fn: () => void): void },
  name: string,
  args: readonly string[],
  options: BoundedOptions = {},
): ResultPromise & { output(): { stdout: string; stderr: string } } {
  const [program, argv] = withHome(process.execPath, [join(repoRoot, 'bin', `${name}.js`), ...args], options.home);
  const child = execa(program, argv, {
    cwd: options.cwd,
    env: binEnvironment(options.env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    buffer: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}

/** Runs a process to completion, killed with SIGKILL when it overruns; never rejects for its exit code. */
export async function runBounded(
  file: string,
  args: readonly string[],
  options: BoundedOptions = {},
): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const [program, argv] = withHome(file, args, options.home);
  const result = await execa(program, argv, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: options.env === undefined,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    reject: false,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stripFinalNewline: false,
  });
  if (result.timedOut) throw new Error(`${file} ${args.join(' ')} did not finish within ${timeoutMs} ms`);
  return { exitCode: result.exitCode ?? 128, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** One docker CLI call, bounded. */
export function docker(args: readonly string[], options: BoundedOptions = {}): Promise<ProcessResult> {
  return runBounded('docker', args, options);
}

/** One docker CLI call that must succeed; returns its trimmed stdout. */
export async function dockerOk(args: readonly string[], options: BoundedOptions = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout.trim();
}

/** What testContainerArgs adds to a plain detached busybox container. */
export interface TestContainerOptions {
  /** The docker words that make it: `run -d` unless told (`run -dit` gives it a terminal, `create` leaves it stopped). */
  verb?: readonly string[];
  /** Its network: none unless told (many containers leaving the bridge at once can wedge dockerd, moby#42545). */
  network?: string;
  /** More `key=value` labels, after the test's own. */
  labels?: readonly string[];
  /** More flags, before the image (`--memory 64m`, `--env A=1`). */
  flags?: readonly string[];
}

/** The argv of `docker run -d --network none --label dockerutils.test=<suffix> --name <name> busybox <command>`. */
export function testContainerArgs(
  suffix: string,
  name: string,
  command: readonly string[],
  options: TestContainerOptions = {},
): string[] {
  return [
    ...(options.verb ?? ['run', '-d']),
    '--network',
    options.network ?? 'none',
    '--label',
    `${testLabel}=${suffix}`,
    ...(options.labels ?? []).flatMap((label) => ['--label', label]),
    '--name',
    name,
    ...(options.flags ?? []),
    'busybox',
    ...command,
  ];
}

/** Copies an image of the main engine into another engine (`docker -H host`), over its socket. */
export async function loadImageOnto(host: string, reference: string): Promise<void> {
  const result = await runBounded('sh', ['-c', 'docker save "$1" | docker -H "$2" load -q', 'sh', reference, host], {
    timeoutMs: 120_000,
  });
  if (result.exitCode !== 0) throw new Error(`loading ${reference} into ${host} failed: ${result.stderr}`);
}

/** Runs one of the package's built bins (bin/NAME.js) as a user would. */
export function runBin(name: string, args: readonly string[], options: BoundedOptions = {}): Promise<ProcessResult> {
  return runBounded(process.execPath, [join(repoRoot, 'bin', `${name}.js`), ...args], {
    ...options,
    env: binEnvironment(options.env),
  });
}

/**
 * The environment a bin runs with: the given one (else this process's) without NODE_EXTRA_CA_CERTS.
 * The bins open no TLS connection of their own, and where that file is set it triples each start-up:
 * the suite starts bins a thousand times.
 */
function binEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_EXTRA_CA_CERTS;
  return copy;
}

/**
 * Fails loudly when no engine answers: integration tests never skip (CI=true or not), they say
 * what provides the engine.
 */
export async function requireEngine(): Promise<void> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 }).catch(
    (error: Error) => ({
      exitCode: 1,
      stdout: '',
      stderr: error.message,
    }),
  );
  if (result.exitCode !== 0) {
    throw new Error(
      `no Docker engine answers (${result.stderr.trim()}): run \`bash scripts/ensure-engine\` as root first`,
    );
  }
}

/**
 * Removes every container, then image, then network that carries `label` (key=value or key); throws
 * when something stays behind, naming it.
 */
export async function removeLabelled(label: string, options: { host?: string } = {}): Promise<void> {
  const engine = options.host === undefined ? [] : ['-H', options.host];
  const filter = ['--filter', `label=${label}`];
  const list = async (args: string[]): Promise<string[]> =>
    (await dockerOk([...engine, ...args, ...filter], { timeoutMs: 30_000 })).split('\n').filter(Boolean);
  const containers = await list(['ps', '-aq']);
  if (containers.length > 0) await dockerOk([...engine, 'rm', '-f', '-v', ...containers], { timeoutMs: 120_000 });
  // Images and networks no longer depend on anything here: they go side by side, then one look at all three.
  const [images, networks] = await Promise.all([list(['image', 'ls', '-q']), list(['network', 'ls', '-q'])]);
  const removeImages = async (): Promise<void> => {
    // An image another test's image was built on is removed with that one: ids listed twice, or gone already.
    for (const image of new Set(images)) {
      const removed = await docker([...engine, 'image', 'rm', '-f', image], { timeoutMs: 120_000 });
      if (removed.exitCode !== 0 && !/No such image/i.test(removed.stderr))
        throw new Error(`docker image rm -f ${image} failed (${removed.exitCode}): ${removed.stderr.trim()}`);
    }
  };
  await Promise.all([
    removeImages(),
    networks.length > 0 ? dockerOk([...engine, 'network', 'rm', ...networks]) : Promise.resolve(''),
  ]);
  const left = (
    await Promise.all([list(['ps', '-aq']), list(['image', 'ls', '-q']), list(['network', 'ls', '-q'])])
  ).flat();
  if (left.length > 0) throw new Error(`label ${label}: still on the engine after removal: ${left.join(' ')}`);
}
