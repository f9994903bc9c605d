// Folders and cleanup shared by the tests that start dockerd instances of their own (the dock rig, the
// private engine).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The dockerd flags that keep a test's own engine in `dir` (its daemon.json, data, exec root, pid file), listening on `socket`. */
export function privateDaemonArgs(dir: string, socket: string): string[] {
  return [
    '--config-file',
    join(dir, 'daemon.json'),
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'docker.pid'),
    '-H',
    socket,
  ];
}

/** Unmounts what a killed dockerd left mounted under `dir` (overlay layers, netns files), so it can be removed. */
export function unmountUnder(dir: string): void {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined && point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) {
    try {
      execFileSync('umount', ['-l', point], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // Best effort: the rm below reports what is left.
    }
  }
}
