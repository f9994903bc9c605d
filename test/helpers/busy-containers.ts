// A few busybox containers doing varying work (CPU bursts, growing memory, HTTP traffic, a crash with
// a restart, an OOM kill), recorded by the built logs-all and stats-all: real input for
// the stats report's test and for the README's screenshot.
import { execa } from 'execa';
import { join } from 'node:path';
import { docker, dockerOk, repoRoot, testContainerArgs, testLabel } from './engine.js';

/** One container of the set: its name after the prefix, what it runs, and docker flags. */
interface BusyContainer {
  readonly name: string;
  readonly script: string;
  readonly flags?: readonly string[];
  readonly network?: boolean;
}

// In the order they start: the server before its client.
const busyContainers: readonly BusyContainer[] = [
  // The HTTP server of a 4 MB file that app_3 fetches.
  {
    name: 'srv_1',
    script: 'mkdir /www && head -c 4000000 /dev/urandom > /www/big && httpd -f -p 8080 -h /www',
    network: true,
  },
  // Two seconds of spinning, two of rest.
  {
    name: 'app_1',
    script: 'while :; do end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do :; done; sleep 2; done',
  },
  // Memory that grows by 2 MB a second for 12 s, then stays (a loop: a last command would be exec'd
  // by the shell, which would free it).
  {
    name: 'app_2',
    script:
      's=; i=0; while [ $i -lt 12 ]; do s="$s$(head -c 2000000 /dev/zero | tr \'\\0\' x)"; i=$((i+1)); sleep 1; done; while :; do sleep 1; done',
  },
  // Downloads a 4 MB file from srv_1 four times in a row, then rests.
  {
    name: 'app_3',
    script:
      'sleep 1; while :; do for i in 1 2 3 4; do wget -q -O /dev/null http://$SERVER:8080/big; done; sleep 6; done',
    network: true,
  },
  // Fails with code 3 after 3 s, is restarted once by docker, and fails again.
  { name: 'batch_1', script: 'sleep 3; exit 3', flags: ['--restart', 'on-failure:1'] },
  // Grows past its 24 MB limit: OOM-killed.
  {
    name: 'batch_2',
    script: 'sleep 4; s=; while :; do s="$s$(head -c 1000000 /dev/zero | tr \'\\0\' x)"; sleep 0.2; done',
    flags: ['--memory', '24m', '--memory-swap', '24m'],
  },
];

/** What startBusyContainers made, for the report's checks and the cleanup. */
export interface BusyContainers {
  /** `<prefix>_<name>` of each container. */
  readonly names: readonly string[];
  /** The containers of each name stem, as the report groups them. */
  readonly groups: ReadonlyMap<string, readonly string[]>;
}

/**
 * Starts the set, named `<prefix>_<name>` and labelled `dockerutils.test=<suffix>`; app_3 and srv_1
 * share a network of their own (the others have none). Remove them with removeLabelled.
 */
export async function startBusyContainers(prefix: string, suffix: string): Promise<BusyContainers> {
  const label = `${testLabel}=${suffix}`;
  const network = `${prefix}_network`;
  await dockerOk(['network', 'create', '--label', label, network]);
  const names: string[] = [];
  for (const container of busyContainers) {
    const name = `${prefix}_${container.name}`;
    await dockerOk(
      testContainerArgs(suffix, name, ['sh', '-c', container.script], {
        network: container.network ? network : 'none',
        flags: ['--env', `SERVER=${prefix}_srv_1`, ...(container.flags ?? [])],
      }),
    );
    names.push(name);
  }
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const stem = name.replace(/_\d+$/, '');
    groups.set(stem, [...(groups.get(stem) ?? []), name]);
  }
  return { names, groups };
}

/**
 * Runs the built logs-all and stats-all (`--all --name <pattern>`) into `dir` while `during` runs,
 * then stops them as Ctrl-C would; rejects when either failed.
 */
export async function recordMonitors(dir: string, namePattern: string, during: () => Promise<void>): Promise<void> {
  const start = (bin: string): ReturnType<typeof execa> =>
    execa(process.execPath, [join(repoRoot, 'bin', `${bin}.js`), '--all', '--name', namePattern, '--dir', dir], {
      reject: false,
      timeout: 600_000,
      killSignal: 'SIGKILL',
    });
  const monitors = [start('logs-all'), start('stats-all')];
  try {
    await during();
  } finally {
    for (const monitor of monitors) monitor.kill('SIGTERM');
  }
  for (const result of await Promise.all(monitors)) {
    if (result.exitCode !== 0)
      throw new Error(`${result.command} failed (${result.exitCode}): ${String(result.stderr)}`);
  }
}

/** Stops the set one at a time (many exits at once can wedge dockerd, moby#42545). */
export async function stopBusyContainers(containers: BusyContainers): Promise<void> {
  for (const name of containers.names) await docker(['stop', '-t', '1', name], { timeoutMs: 60_000 });
}
