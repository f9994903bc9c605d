// A dock whose sshd refuses socket forwarding: streams fall back to one ssh session each, within a
// stock sshd's 10 sessions, and the containers that have to wait are named, never dropped silently.
import { rmSync } from 'node:fs';
import t from 'tap';
import { makeTempFolder, requireEngine, spawnBin, testContainerArgs, uniqueSuffix } from '../../helpers/engine.js';
import { entriesOf } from '../../helpers/log-files.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

async function waitUntil(what: string, timeoutMs: number, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

t.test('without socket forwarding: 8 streams at a time, the others named until a session frees', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig({ refuseSocketForwarding: true });
  t.teardown(rig.stop);
  const dock = `nofwd${suffix}`;
  const cwd = makeTempFolder('monitoring-without-forwarding');
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const options = { ...rig.client, cwd };
  await addRigDock(rig, dock, { ...options, timeoutMs: 60_000 });
  await loadImageIntoRig(rig, 'busybox:latest');
  const names = Array.from({ length: 10 }, (_, index) => `nofwd-${suffix}-${index + 1}`);
  for (const name of names) {
    await rigDockerOk(
      rig,
      testContainerArgs(suffix, name, ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done']),
    );
  }
  const dir = makeTempFolder('monitoring-without-forwarding-logs');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const logsAll = spawnBin(
    t,
    'logs-all',
    ['--dock', dock, '--all', '--name', `nofwd-${suffix}-*`, '-q', '--dir', dir],
    options,
  );
  const lines = (name: string): number => entriesOf(dir, name).filter((entry) => entry.kind === 'line').length;
  await waitUntil('8 containers followed', 90_000, () => names.filter((name) => lines(name) > 5).length === 8);
  const waiting = names.filter((name) => lines(name) === 0);
  t.equal(waiting.length, 2, 'two wait');
  for (const name of waiting) t.match(logsAll.output().stderr, `${name}: not followed for now`, `${name} is named`);

  const followed = names.find((name) => lines(name) > 5)!;
  await rigDockerOk(rig, ['rm', '-f', followed]);
  await waitUntil('a waiting container to be followed once a session frees', 60_000, () =>
    waiting.some((name) => lines(name) > 0),
  );
  logsAll.kill('SIGTERM');
  await logsAll;
});
