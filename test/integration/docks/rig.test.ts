import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { requireEngine, runBounded } from '../../helpers/engine.js';
import { rigUsers, startRemoteRig } from '../../helpers/remote-rig.js';

t.test('the rig: an engine reachable only over ssh, set up as a stock host', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const dockerOver = (url: string, args: string[], home = rig.clientHome): ReturnType<typeof runBounded> =>
    runBounded('docker', ['-H', url, ...args], { ...rig.client, home, timeoutMs: 30_000 });

  await t.test("root's docker over ssh reaches the rig's engine, which has none of the local images", async (t) => {
    const info = await dockerOver(rig.sshUrl, ['info', '--format', '{{.DockerRootDir}}']);
    t.equal(info.exitCode, 0, info.stderr);
    t.equal(info.stdout.trim(), rig.dataRoot, "the engine answering is the rig's, not the local one");
    const busybox = await dockerOver(rig.sshUrl, ['image', 'inspect', 'busybox:latest']);
    t.equal(busybox.exitCode, 1);
    t.match(busybox.stderr, /No such image: busybox:latest/);
  });

  await t.test('a user in the docker group uses the engine too', async (t) => {
    const info = await dockerOver(`ssh://${rigUsers.dockerUser}@${rig.address}`, [
      'info',
      '--format',
      '{{.DockerRootDir}}',
    ]);
    t.equal(info.exitCode, 0, info.stderr);
    t.equal(info.stdout.trim(), rig.dataRoot);
  });

  await t.test("the client's key in its home is what logs in: a home without it is refused", async (t) => {
    const keyless = join(rig.clientHome, '..', 'home-without-key');
    cpSync(rig.clientHome, keyless, { recursive: true });
    t.teardown(() => rmSync(keyless, { recursive: true, force: true }));
    rmSync(join(keyless, '.ssh', 'id_ed25519'));
    const refused = await dockerOver(rig.sshUrl, ['info'], keyless);
    t.not(refused.exitCode, 0);
    t.match(refused.stderr, /root@10\.213\.\S+: Permission denied \(publickey,password\)/);
    t.notOk(existsSync(join(keyless, '.ssh', 'id_ed25519')), 'no key came from anywhere else');
  });

  await t.test('sshd runs with the stock limits, the client with a stock ssh configuration', async (t) => {
    const effective = await runBounded('/usr/sbin/sshd', ['-T', '-f', rig.sshdConfigFile], { timeoutMs: 10_000 });
    t.equal(effective.exitCode, 0, effective.stderr);
    t.match(effective.stdout, /^maxsessions 10$/m, 'MaxSessions as shipped');
    t.match(effective.stdout, /^maxstartups 10:30:100$/m, 'MaxStartups as shipped');
    t.match(effective.stdout, /^permitrootlogin without-password$/m, 'root logs in with a key only, as shipped');
    const client = await runBounded('ssh', ['-G', rig.address], { ...rig.client, timeoutMs: 10_000 });
    t.equal(client.exitCode, 0, client.stderr);
    t.match(client.stdout, /^batchmode no$/m, 'no BatchMode: the commands must ask for it themselves');
    t.notMatch(client.stdout, /^identityagent none$/m, 'the agent is not disabled');
    t.match(client.stdout, /^userknownhostsfile \/root\/.ssh\/known_hosts \/root\/.ssh\/known_hosts2$/m);
  });
});
