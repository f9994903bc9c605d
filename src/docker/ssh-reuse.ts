import { accessSync, constants, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { quote } from 'shlex';

/** How long an idle shared connection stays open after its last user, so a following command reuses it too. */
export const sshControlPersistSeconds = 60;

/**
 * The environment for a program whose SSH connections should be shared: every `ssh` it (or the docker
 * CLI's ssh helper, which runs the `ssh` found on PATH) starts goes through one OpenSSH ControlMaster
 * connection per destination, kept in a private control folder. Without it each docker call to an
 * ssh:// engine pays a full SSH handshake. The user's own ssh and its configuration still do the work.
 * Returns `env` unchanged when sharing cannot be set up safely (or DOCKERUTILS_SSH_REUSE=0).
 */
export function sshReuseEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const controlDir = sshControlDir(env);
  if (controlDir === undefined) return env;
  const wrapperPrefix = join(controlDir, 'bin-');
  const path = env.PATH ?? '';
  const realSsh = findProgram(
    'ssh',
    path.split(delimiter).filter((dir) => !dir.startsWith(wrapperPrefix)),
  );
  if (realSsh === undefined) return env;
  // Loaded here, not at start-up: only commands that reach a dock need it.
  const { createHash } = process.getBuiltinModule('node:crypto');
  const wrapperDir = `${wrapperPrefix}${createHash('sha256').update(realSsh).digest('hex').slice(0, 12)}`;
  try {
    writeWrapper(wrapperDir, sshWrapperScript(realSsh, controlDir));
  } catch {
    return env;
  }
  return { ...env, PATH: [wrapperDir, ...path.split(delimiter).filter((dir) => dir !== wrapperDir)].join(delimiter) };
}

/** The `ssh` wrapper: the real ssh with connection sharing options in front of the caller's. */
export function sshWrapperScript(realSsh: string, controlDir: string): string {
  const options = [
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${controlDir}/%C`,
    '-o',
    `ControlPersist=${sshControlPersistSeconds}`,
    // An engine socket forward (engine-forward) binds over the socket an ended master left.
    '-o',
    'StreamLocalBindUnlink=yes',
  ];
  return `#!/bin/sh\nexec ${[realSsh, ...options].map((word) => quote(word)).join(' ')} "$@"\n`;
}

/**
 * The folder of the shared connections' control sockets; undefined when sharing is off
 * (DOCKERUTILS_SSH_REUSE=0) or the folder cannot be made ours alone.
 */
export function sshControlDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKERUTILS_SSH_REUSE === '0') return undefined;
  const uid = process.getuid?.() ?? 0;
  const dir = join(env.XDG_RUNTIME_DIR || tmpdir(), `dockerutils-ssh-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700, recursive: true });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

function findProgram(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

function writeWrapper(dir: string, script: string): void {
  const file = join(dir, 'ssh');
  try {
    if (readFileSync(file, 'utf8') === script) return;
  } catch {
    // Not written yet.
  }
  mkdirSync(dir, { mode: 0o700, recursive: true });
  // Written aside and renamed, so a concurrent command never runs a half-written script.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, script, { mode: 0o700 });
  renameSync(partial, file);
}
