import t from 'tap';
import { requireEngine, runBounded } from '../../helpers/engine.js';
import { startRemoteRig } from '../../helpers/remote-rig.js';

t.test('the rig: an engine reachable only over ssh, without the local images', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const info = await runBounded('docker', ['-H', rig.sshUrl, 'info', '--format', '{{.DockerRootDir}}'], {
    env: rig.clientEnv,
    timeoutMs: 30_000,
  });
  t.equal(info.exitCode, 0, info.stderr);
  t.match(info.stdout.trim(), /^\/tmp\/durig-/, "the engine answering is the rig's, not the local one");
  const busybox = await runBounded('docker', ['-H', rig.sshUrl, 'image', 'inspect', 'busybox:latest'], {
    env: rig.clientEnv,
    timeoutMs: 30_000,
  });
  t.not(busybox.exitCode, 0, 'the rig starts without the local images');
  const local = await runBounded('docker', ['-H', rig.sshUrl, 'info'], {
    env: { ...rig.clientEnv, PATH: process.env.PATH },
    timeoutMs: 30_000,
  });
  t.not(local.exitCode, 0, "without the client shim the user's own ssh setup is used, and it has no key for the rig");
});
