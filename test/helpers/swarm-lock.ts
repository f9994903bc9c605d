// Swarm mode changes an engine every test run on this machine shares: whoever uses it holds one
// machine-wide lock, and the process holding the lock takes the engines out of any swarm before it
// lets go, also when the test process dies without its teardown (a timeout's SIGKILL).
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lockPath = '/tmp/dockerutils-swarm.lock';
const lockWaitSeconds = 1200;

// Runs under the lock: waits until the test closes its stdin (or dies), then every engine listed in
// the file and the local one leave any swarm, each bounded, before the lock is released.
const holderScript = `
echo locked
read _
while read -r host; do
  [ -n "$host" ] && timeout -s KILL 30 docker -H "$host" swarm leave --force >/dev/null 2>&1
done < "$1"
timeout -s KILL 60 docker swarm leave --force >/dev/null 2>&1
rm -rf "$(dirname "$1")"
exit 0
`;

/** The machine-wide swarm lock, held. */
export interface SwarmLock {
  /** Adds an engine (`docker -H` address) to take out of any swarm when the lock is released. */
  addEngine(host: string): void;
  /** Takes the engines out of any swarm and releases the lock. */
  release(): Promise<void>;
}

/** Waits for the machine-wide swarm lock (at most 20 minutes). */
export async function takeSwarmLock(): Promise<SwarmLock> {
  const engines = join(mkdtempSync('/tmp/dockerutils-swarm-'), 'engines');
  writeFileSync(engines, '');
  const listed: string[] = [];
  // Its own process group: whatever kills the test's group leaves the holder to clean up.
  const holder = execa('flock', ['-w', String(lockWaitSeconds), lockPath, 'sh', '-c', holderScript, 'sh', engines], {
    stdin: 'pipe',
    reject: false,
    detached: true,
    cleanup: false,
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout.once('data', () => resolve());
    void holder.then((result) => reject(new Error(`no swarm lock within ${lockWaitSeconds} s: ${result.stderr}`)));
  });
  return {
    addEngine(host) {
      listed.push(host);
      writeFileSync(engines, `${listed.join('\n')}\n`);
    },
    async release() {
      holder.stdin.end();
      await holder;
    },
  };
}
