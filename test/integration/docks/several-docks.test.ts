// One command over several docks: the rig, this machine's engine (`local`) and a dock whose address
// answers nothing. Rows say their dock, the dock that fails is told without holding up the others,
// and the exit code says whether every dock answered.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  dockerOk,
  makeTempFolder,
  removeLabelled,
  requireEngine,
  runBin,
  spawnBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { entriesOf } from '../../helpers/log-files.js';
import { waitFor } from '../../helpers/wait.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, rigSshMasters, startRemoteRig } from '../../helpers/remote-rig.js';

const counter = ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.2; done'];

t.test('ls-containers, ls-images, the verbs, logs-all and stats-all over several docks', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const cwd = makeTempFolder('several-docks');
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const options = { ...rig.client, cwd, timeoutMs: 90_000 };
  const remote = `rig${suffix}`;
  const dead = `dead${suffix}`;
  await addRigDock(rig, remote, options);
  // A dock whose address answers nothing: registered as the docker context it would be.
  await dockerOk(['context', 'create', dead, '--docker', 'host=ssh://root@127.0.0.1:1'], options);
  await loadImageIntoRig(rig, 'busybox:latest');
  const remoteName = `several-${suffix}-remote`;
  const localName = `several-${suffix}-local`;
  await rigDockerOk(rig, testContainerArgs(suffix, remoteName, counter));
  await dockerOk(testContainerArgs(suffix, localName, counter));
  const scope = ['--all', '--name', `several-${suffix}-*`];

  await t.test('ls-containers: a DOCK column, a dock field, the dead dock told, exit 1', async (t) => {
    const table = await runBin('ls-containers', ['--all', '--dock', remote, '--dock', 'local'], options);
    t.equal(table.exitCode, 0, table.stderr);
    t.match(table.stdout, /^DOCK\s+NAME\s+IMAGE/);
    t.match(table.stdout, new RegExp(`^${remote}\\s+${remoteName}\\s`, 'm'));
    t.match(table.stdout, new RegExp(`^local\\s+${localName}\\s`, 'm'));
    const json = await runBin(
      'ls-containers',
      ['--all', '--json', '--dock', remote, '--dock', 'local', '--dock', dead],
      options,
    );
    t.equal(json.exitCode, 1, 'one dock did not answer');
    const records = JSON.parse(json.stdout) as { dock: string; name: string }[];
    t.ok(records.some((record) => record.dock === remote && record.name === remoteName));
    t.ok(records.some((record) => record.dock === 'local' && record.name === localName));
    t.match(json.stderr, new RegExp(`error: dock ${dead}: cannot reach the Docker engine`));
    const all = await runBin('ls-containers', ['--all', '--json', '--dock', 'all'], options);
    t.equal(all.exitCode, 1);
    t.ok(
      (JSON.parse(all.stdout) as { dock: string }[]).some((record) => record.dock === remote),
      '--dock all has the rig',
    );
  });

  await t.test(
    'the forward of a dock engine stands between commands, and is made anew after its connection ends',
    async (t) => {
      const controlDir = join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`);
      const forwardSockets = (): string[] => readdirSync(controlDir).filter((entry) => /^engine-.*\.sock$/.test(entry));
      t.equal(forwardSockets().length, 1, 'one forward for the rig, kept after the commands above ended');
      const socket = join(controlDir, forwardSockets()[0]!);
      t.ok(await dockerOk(['-H', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}']), 'it answers');
      // The shared connection ends (as after its idle time): its forward's socket is left, refusing.
      for (const pid of rigSshMasters(rig)) process.kill(pid, 'SIGTERM');
      await waitFor('the shared connection to end', () => rigSshMasters(rig).length === 0, 10_000);
      t.ok(existsSync(socket), 'the ended connection left its socket behind');
      const again = await runBin('ls-containers', ['--all', '-q', '--dock', remote], options);
      t.equal(again.exitCode, 0, again.stderr);
      t.equal(again.stdout.trim() !== '', true, 'the rig listed through a new forward');
      t.same(forwardSockets(), [socket.slice(controlDir.length + 1)], 'the same socket path, made anew');
      t.ok(await dockerOk(['-H', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}']));
    },
  );

  await t.test('logs-all --once: files under <dir>/<dock>/, the dead dock told, exit 1', async (t) => {
    const dir = makeTempFolder('several-docks-logs');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runBin(
      'logs-all',
      [...scope, '--once', '--dir', dir, '--dock', remote, '--dock', 'local', '--dock', dead],
      options,
    );
    t.equal(result.exitCode, 1);
    t.match(result.stdout, new RegExp(`^${remote}/${remoteName} \\| 1$`, 'm'), 'lines say their dock');
    t.match(result.stdout, new RegExp(`^local/${localName} \\| 1$`, 'm'));
    t.ok(entriesOf(join(dir, remote), remoteName).length > 0, 'the rig container file is under its dock');
    t.ok(entriesOf(join(dir, 'local'), localName).length > 0, 'the local one under local');
    t.notOk(existsSync(join(dir, remote, `${localName}.log`)));
    t.match(result.stderr, new RegExp(`error: dock ${dead}: cannot reach the Docker engine`));
  });

  await t.test('a follower goes on with the docks that answer and keeps trying the other', async (t) => {
    const dir = makeTempFolder('several-docks-follow');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const follower = spawnBin(t, 'logs-all', [...scope, '-q', '--dir', dir, '--dock', remote, '--dock', dead], options);
    const deadline = Date.now() + 60_000;
    while (entriesOf(join(dir, remote), remoteName).length < 20 || !/trying again/.test(follower.output().stderr)) {
      if (Date.now() > deadline) throw new Error(`no progress: ${follower.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    t.match(follower.output().stderr, new RegExp(`dock ${dead}: cannot reach the Docker engine .*; trying again in`));
    follower.kill('SIGTERM');
    const ended = await follower;
    t.equal(ended.exitCode, 1, 'the dock that never answered makes the exit code 1');
    t.match(follower.output().stderr, new RegExp(`error: dock ${dead}: `));
  });

  await t.test('stats-all --once --json: a dock field; the verbs act on each dock', async (t) => {
    const dir = makeTempFolder('several-docks-stats');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const stats = await runBin(
      'stats-all',
      [...scope, '--once', '--json', '--dir', dir, '--dock', remote, '--dock', 'local'],
      options,
    );
    t.equal(stats.exitCode, 0, stats.stderr);
    const samples = stats.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { dock: string; name: string });
    t.same(
      samples.map((sample) => `${sample.dock} ${sample.name}`).sort(),
      [`${remote} ${remoteName}`, `local ${localName}`].sort(),
    );
    t.same(readdirSync(dir).sort(), ['local', remote].sort());
    const stop = await runBin(
      'stop-containers',
      ['-t', '1', '--dock', remote, '--dock', 'local', remoteName, localName],
      options,
    );
    t.equal(stop.exitCode, 1, 'each dock lacks the other one: reported, the rest done');
    t.match(stop.stdout, new RegExp(`^${remote}/${remoteName}$`, 'm'));
    t.match(stop.stdout, new RegExp(`^local/${localName}$`, 'm'));
    t.match(stop.stderr, new RegExp(`error: ${remote}/no such container: ${localName}`));
  });
});
