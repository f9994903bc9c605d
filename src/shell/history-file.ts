import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * `$XDG_STATE_HOME/dockerutils/history`, or `~/.local/state/dockerutils/history` when that is unset
 * or relative (the XDG base directory spec ignores relative paths).
 */
export function historyFilePath(env: NodeJS.ProcessEnv, home: string): string {
  const stateHome =
    env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(stateHome, 'dockerutils', 'history');
}

/** The last `limit` lines of the history file, newest first (node:readline's order); none when absent. */
export function readHistory(path: string, limit: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-limit)
    .reverse();
}

/** Appends one line, creating the folder on first use. */
export function appendHistory(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${line.replace(/\n/g, ' ')}\n`);
}
