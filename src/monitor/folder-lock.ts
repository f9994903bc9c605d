import { readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { FileWriteError } from './log-files.js';

/**
 * Makes this process the one writer of a kind (`logs-all`, `stats-all`) in a folder: two writers
 * would repeat each other's lines. The lock is a symbolic link whose target names the writer (pid and
 * start time): made in one step, and even on a full disk, where a file could not be written. A lock
 * whose process is gone (a SIGKILLed run) is taken over. Returns the function that gives the folder up.
 */
export function lockFolder(dir: string, kind: string): () => void {
  const path = join(dir, `.${kind}.lock`);
  const mine = `${process.pid} ${processStart(process.pid) ?? ''}`;
  for (let attempt = 0; ; attempt++) {
    try {
      symlinkSync(mine, path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new FileWriteError(path, error);
    }
    const holder = lockHolder(path);
    if (holder !== undefined && isAlive(holder)) {
      throw new UserError(`${kind} (pid ${holder.pid}) is already writing ${dir}`, { exitCode: 1 });
    }
    // Taken over by a rename, so that two takers cannot both believe they hold it.
    const claim = `${path}.${process.pid}`;
    rmSync(claim, { force: true });
    symlinkSync(mine, claim);
    renameSync(claim, path);
    if (lockHolder(path)?.pid === process.pid) break;
    if (attempt > 3)
      throw new UserError(`${kind} could not take ${path}: another run keeps taking it`, { exitCode: 1 });
  }
  const release = (): void => {
    if (lockHolder(path)?.pid === process.pid) rmSync(path, { force: true });
  };
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}

interface Holder {
  readonly pid: number;
  /** When the process started (/proc/PID/stat), so that a reused pid is not taken for the holder. */
  readonly start?: string;
}

function lockHolder(path: string): Holder | undefined {
  try {
    const [pid, start] = readlinkSync(path).trim().split(' ');
    const number = Number(pid);
    return Number.isInteger(number) && number > 0 ? { pid: number, start: start || undefined } : undefined;
  } catch {
    // Gone, or not written yet: nobody holds it.
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return holder.start === undefined || processStart(holder.pid) === holder.start;
}

// Field 22 of /proc/PID/stat, after the command name in parentheses (which may hold spaces).
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
