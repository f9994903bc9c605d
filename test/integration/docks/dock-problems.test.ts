import t from 'tap';
import { requireEngine, runBin } from '../../helpers/engine.js';
import { rigUsers, startRemoteRig } from '../../helpers/remote-rig.js';

// Each failure `dock add` and `dock ls --check` name, made to happen for real on the rig: the unit
// test of the diagnosis reads typed text, this one reads what ssh and docker really print.
t.test('dock problems, each as a real dock shows it, named with its fix', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const client = { ...rig.client, timeoutMs: 30_000 };
  const url = (user: string): string => `ssh://${user}@${rig.address}`;

  await t.test('a user whose key is not installed: login refused', async (t) => {
    const added = await runBin('dock', ['add', 'keyless', url(rigUsers.keylessUser)], client);
    t.equal(added.exitCode, 1, added.stderr);
    t.match(
      added.stderr,
      new RegExp(
        `\\nerror: ssh login to ${rigUsers.keylessUser}@10\\.213\\.\\S+ refused: install your public key there: ssh-copy-id ${rigUsers.keylessUser}@10\\.213\\.\\S+\\n$`,
      ),
    );
  });

  await t.test('a login without docker on its PATH: no docker command there', async (t) => {
    const added = await runBin('dock', ['add', 'nodocker', url(rigUsers.noDockerUser)], client);
    t.equal(added.exitCode, 1, added.stderr);
    t.match(
      added.stderr,
      /\nerror: there is no docker command on dunodock@10\.213\.\S+: install Docker there \(Debian: apt-get install -y docker\.io\)\n$/,
    );
  });

  await t.test('a user outside the docker group: may not use the engine', async (t) => {
    const added = await runBin('dock', ['add', 'plain', url(rigUsers.plainUser)], client);
    t.equal(added.exitCode, 1, added.stderr);
    t.match(
      added.stderr,
      new RegExp(
        `\\nerror: ${rigUsers.plainUser} may not use the Docker engine on ${rigUsers.plainUser}@10\\.213\\.\\S+: on the dock: usermod -aG docker ${rigUsers.plainUser} \\(then log in again\\), or use root@\\n$`,
      ),
    );
  });

  await t.test('a stopped dockerd: the engine is not running, in dock add and in dock ls --check', async (t) => {
    const added = await runBin('dock', ['add', 'dock', url(rigUsers.dockerUser)], client);
    t.equal(added.exitCode, 0, `a user in the docker group adds the dock: ${added.stderr}`);
    await rig.stopEngine();
    t.teardown(rig.startEngine);
    const again = await runBin('dock', ['add', 'down', rig.sshUrl], client);
    t.equal(again.exitCode, 1, again.stderr);
    t.match(
      again.stderr,
      /\nerror: the Docker engine on root@10\.213\.\S+ is not running: start it there: systemctl start docker\n$/,
    );
    const check = await runBin('dock', ['ls', '--check', 'dock'], client);
    t.equal(check.exitCode, 1, check.stderr);
    t.match(check.stdout, /^ok\s+ssh\s+dudocker@10\.213\.\S+ accepts the login\n/);
    t.match(
      check.stdout,
      /\nFAIL\s+docker\s+the Docker engine on dudocker@10\.213\.\S+ is not running\n\s+fix:\s+start it there: systemctl start docker\n$/,
    );
  });
});
