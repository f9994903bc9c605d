// Shared by the integration tests: bounded docker calls, unique names, cleanup by label, and the
// built bins run as a black box.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A short random suffix: names carry it so parallel runs never collide. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
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
}

/** Runs a process to completion, killed with SIGKILL when it overruns; never rejects for its exit code. */
export async function runBounded(
  file: string,
  args: readonly string[],
  options: BoundedOptions = {},
): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = await execa(file, args, {
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

/** Copies an image of the main engine into another engine (`docker -H host`), over its socket. */
export async function loadImageOnto(host: string, reference: string): Promise<void> {
  const result = await runBounded('sh', ['-c', 'docker save "$1" | docker -H "$2" load -q', 'sh', reference, host], {
    timeoutMs: 120_000,
  });
  if (result.exitCode !== 0) throw new Error(`loading ${reference} into ${host} failed: ${result.stderr}`);
}

/** Runs one of the package's built bins (bin/NAME.js) as a user would. */
export function runBin(name: string, args: readonly string[], options: BoundedOptions = {}): Promise<ProcessResult> {
  return runBounded(process.execPath, [join(repoRoot, 'bin', `${name}.js`), ...args], options);
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

/** Removes every container, then image, then network that carries `label` (key=value or key). */
export async function removeLabelled(label: string): Promise<void> {
  const filter = ['--filter', `label=${label}`];
  const containers = (await dockerOk(['ps', '-aq', ...filter])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers], { timeoutMs: 120_000 });
  const images = (await dockerOk(['image', 'ls', '-q', ...filter])).split('\n').filter(Boolean);
  if (images.length > 0) await docker(['image', 'rm', '-f', ...new Set(images)], { timeoutMs: 120_000 });
  const networks = (await dockerOk(['network', 'ls', '-q', ...filter])).split('\n').filter(Boolean);
  if (networks.length > 0) await docker(['network', 'rm', ...networks]);
}
