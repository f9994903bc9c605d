import type { Arg } from './command-line.js';

/** `docker logs`: the last lines of a container, or following it with `follow`. */
export function containerLogsArgs(name: string, options: { follow?: boolean; tail?: number } = {}): Arg[] {
  return ['logs', ...(options.follow ? ['-f'] : []), '--tail', String(options.tail ?? 50), name];
}

/** `docker stats --no-stream` for some containers: one snapshot of their CPU, memory and I/O. */
export function containerStatsArgs(names: readonly string[]): Arg[] {
  return ['stats', '--no-stream', ...names];
}

/** `docker context use NAME`: makes a dock (docker context) the active engine for every later command. */
export function useContextArgs(name: string): Arg[] {
  return ['context', 'use', name];
}

/** `docker context ls` as names only, one a line. */
export function contextNamesArgs(): Arg[] {
  return ['context', 'ls', '--format', '{{.Name}}'];
}
