import { fstatSync, statSync } from 'node:fs';
import kleur from 'kleur';

/** Colors for a stream: only on a terminal, never with NO_COLOR (https://no-color.org), always with FORCE_COLOR. */
export function wantsColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

kleur.enabled = wantsColor(process.stderr, process.env);

/** The palette for what goes to stderr (echoed commands, progress, warnings, errors). */
export const paint = kleur;

/** `1 line`, `2 lines`: a count with its noun, for messages. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** True when a descriptor writes to /dev/null: output nobody can read need not be formatted (GNU tar does the same). */
export function writesToDevNull(descriptor: number): boolean {
  try {
    const target = fstatSync(descriptor);
    const devNull = statSync('/dev/null');
    return target.isCharacterDevice() && target.rdev === devNull.rdev;
  } catch {
    return false;
  }
}
