// Debian's docker-registry on this machine's loopback, for the tests that publish and pull: an engine
// trusts a registry on 127.0.0.1 without TLS.
import { execa } from 'execa';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';

/** Starts docker-registry on 127.0.0.1:port, its config and storage in `dir`; killed at the test's teardown. */
export function startLocalRegistry(t: Test, dir: string, port: number): void {
  if (!existsSync('/usr/bin/docker-registry'))
    throw new Error('no registry to publish to: apt-get install -y docker-registry');
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'storage')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const registry = execa('/usr/bin/docker-registry', ['serve', join(dir, 'registry.yml')], {
    reject: false,
    stdin: 'ignore',
  });
  t.teardown(async () => {
    registry.kill('SIGKILL');
    await registry;
  });
}

/** Waits until the registry at address:port answers `/v2/`, for 15 s at the most. */
export async function waitForRegistry(address: string, port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (
    !(await fetch(`http://${address}:${port}/v2/`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${address}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
