// Who made a test resource, so that the suite's clean-up removes what a killed run left without
// touching what a run in progress (in this worktree or another) still uses. Two marks:
// - every name suffix a test draws is recorded in `ownerFolder` with the pid of the test process;
//   containers, images and networks carry the suffix in their `dockerutils.test` label, and rigs,
//   private engines, tmux servers and temporary folders carry it in their names;
// - every process a test starts inherits `DOCKERUTILS_TEST_OWNER=<pid>` in its environment.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where suffixes are recorded: one file per suffix, holding the owning test process's pid. */
export const ownerFolder = '/tmp/dockerutils-test-owners';

/** The environment variable that names the test process owning a process. */
export const ownerVariable = 'DOCKERUTILS_TEST_OWNER';

// Set once, when the first helper loads: every child process a test starts inherits it.
process.env[ownerVariable] = String(process.pid);

/** Records that this process owns resources named with `suffix`. */
export function recordSuffix(suffix: string): void {
  mkdirSync(ownerFolder, { recursive: true, mode: 0o755 });
  writeFileSync(join(ownerFolder, suffix), `${process.pid}\n`);
}

/** The pid recorded for `suffix`, or undefined when none was (a resource of an older suite). */
export function ownerOfSuffix(suffix: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(ownerFolder, suffix), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Every recorded suffix with its owner. */
export function recordedSuffixes(): Map<string, number | undefined> {
  let entries: string[] = [];
  try {
    entries = readdirSync(ownerFolder);
  } catch {
    // Nothing recorded yet.
  }
  return new Map(entries.map((suffix) => [suffix, ownerOfSuffix(suffix)]));
}

/** Forgets a suffix once everything named with it is gone. */
export function forgetSuffix(suffix: string): void {
  rmSync(join(ownerFolder, suffix), { force: true });
}

/** True while `pid` is a running node process (a test process); a reused pid of another program is not. */
export function isTestProcessAlive(pid: number): boolean {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /node/.test(argv0);
  } catch {
    return false;
  }
}

/** The owner pid a process inherited, or undefined for a process no test started. */
export function ownerOfProcess(pid: number): number | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((variable) => variable.startsWith(`${ownerVariable}=`));
    const owner = Number(entry?.slice(ownerVariable.length + 1));
    return Number.isInteger(owner) && owner > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}
