import { execa } from 'execa';
import { existsSync, readdirSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { dockProbeTimeoutMs } from '../../../src/docks/dock-probe.js';
import {
  dockerOk,
  docker,
  removeLabelled,
  repoRoot,
  requireEngine,
  runBin,
  runBounded,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

/** Debian's docker-registry inside a network namespace, on its loopback; returns `127.0.0.1:PORT`. */
async function startRegistryIn(t: Test, namespace: string, dir: string): Promise<string> {
  if (!existsSync('/usr/bin/docker-registry'))
    throw new Error('no registry to publish to: apt-get install -y docker-registry');
  mkdirSync(dir);
  const port = 5000;
  writeFileSync(
    join(dir, 'registry.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'storage')}\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const registry = execa(
    'nsenter',
    [`--net=/run/netns/${namespace}`, '/usr/bin/docker-registry', 'serve', join(dir, 'registry.yml')],
    {
      reject: false,
      stdin: 'ignore',
    },
  );
  t.teardown(async () => {
    registry.kill('SIGKILL');
    await registry;
  });
  const deadline = Date.now() + 15_000;
  while (
    (
      await runBounded(
        'nsenter',
        [`--net=/run/netns/${namespace}`, 'busybox', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/v2/`],
        { timeoutMs: 5_000 },
      )
    ).exitCode !== 0
  ) {
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer in ${namespace} on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return `127.0.0.1:${port}`;
}

// One rig for the file: starting an engine costs seconds. Its known_hosts starts empty.
t.test('docks over a real sshd and a second engine', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig({ knownHost: false });
  t.teardown(rig.stop);
  const client = rig.client;
  const knownHosts = join(rig.clientHome, '.ssh', 'known_hosts');
  const dock = `d${uniqueSuffix()}`;

  await t.test('dock add refuses an unknown host key and says how to accept it', async (t) => {
    const result = await runBin('dock', ['add', dock, rig.sshUrl], client);
    t.equal(result.exitCode, 1, result.stderr);
    t.match(result.stderr, /not in your known_hosts.*--accept-new/);
    t.match(result.stderr, /ssh .*StrictHostKeyChecking=yes .*-l root -- 10\.213\./, 'the ssh check is echoed');
    t.not((await runBounded('docker', ['context', 'inspect', dock], client)).exitCode, 0, 'no context was created');
  });

  await t.test('dock add --accept-new records the key and creates the docker context', async (t) => {
    const result = await runBin('dock', ['add', dock, rig.sshUrl, '--accept-new'], client);
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, /docker context create .* --docker host=ssh:\/\/root@10\.213\./);
    // Debian's ssh_config hashes known_hosts entries: ask ssh-keygen rather than read the file.
    const recorded = await runBounded('ssh-keygen', ['-F', rig.address, '-f', knownHosts]);
    t.equal(recorded.exitCode, 0, `the host key is recorded: ${recorded.stdout}${recorded.stderr}`);
    const root = await dockerOk(['--context', dock, 'info', '--format', '{{.DockerRootDir}}'], client);
    t.equal(root, rig.dataRoot, 'the plain docker CLI reaches the dock through the context');
  });

  await t.test('dock add with a known key through a ~/.ssh/config alias needs no flag', async (t) => {
    const aliasDock = `${dock}-alias`;
    const result = await runBin('dock', ['add', aliasDock, `ssh://${rig.sshAlias}`], client);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal((await runBin('dock', ['rm', aliasDock], client)).exitCode, 0);
  });

  await t.test('a changed host key is refused, even with --accept-new', async (t) => {
    const saved = readFileSync(knownHosts, 'utf8');
    const otherKey = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    writeFileSync(knownHosts, `${rig.address} ssh-ed25519 ${otherKey}\n`);
    t.teardown(() => writeFileSync(knownHosts, saved));
    const result = await runBin('dock', ['add', `${dock}-changed`, rig.sshUrl, '--accept-new'], client);
    t.equal(result.exitCode, 1);
    t.match(result.stderr, /CHANGED.*refused.*ssh-keygen -R/);
  });

  await t.test('ls-dock prints the table', async (t) => {
    const table = await runBin('ls-dock', [], { ...client, timeoutMs: 30_000 });
    t.equal(table.exitCode, 0, table.stderr);
    t.match(table.stdout, /^\s+NAME\s+ENDPOINT\s+STATE\s+VERSION\s+RUNNING\n/);
    t.match(
      table.stdout,
      new RegExp(`\\n\\*\\s+default\\s+unix:///var/run/docker.sock\\s+answers\\s+20\\S+\\s+\\d+\\n`),
    );
    t.match(table.stdout, new RegExp(`\\n\\s+${dock}\\s+${rig.sshUrl}\\s+answers\\s+20\\S+\\s+0\\n`));
  });

  await t.test('dock ls: the live dock answers, a silent one is "unreachable" within the bound', async (t) => {
    // Accepts TCP and never speaks: ssh waits for a banner that never comes.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.teardown(() => {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    });
    const port = (silent.address() as { port: number }).port;
    const dead = `${dock}-dead`;
    await dockerOk(['context', 'create', dead, '--docker', `host=ssh://root@127.0.0.1:${port}`], client);
    t.teardown(() => docker(['context', 'rm', '-f', dead], client));

    const started = Date.now();
    const result = await runBin('dock', ['ls', '--json'], { ...client, timeoutMs: 30_000 });
    const elapsedMs = Date.now() - started;
    t.equal(result.exitCode, 0, result.stderr);
    // The probe's own limit, plus room for a loaded machine: a hang would run into the 30 s kill.
    t.ok(elapsedMs < dockProbeTimeoutMs + 7_000, `bounded: ${elapsedMs} ms`);
    const docks = JSON.parse(result.stdout) as {
      name: string;
      state: string;
      version?: string;
      runningContainers?: number;
      active: boolean;
    }[];
    const live = docks.find((entry) => entry.name === dock);
    t.match(live, { state: 'answers', version: /^20\./, runningContainers: 0, active: false });
    t.match(
      docks.find((entry) => entry.name === dead),
      { state: 'unreachable' },
    );
    t.match(
      docks.find((entry) => entry.name === 'default'),
      { active: true, state: 'answers' },
    );
  });

  await t.test('dock ls --check: a preflight that passes, and one that fails with its fix', async (t) => {
    const ok = await runBin('dock', ['ls', '--check', dock], client);
    t.equal(ok.exitCode, 0, ok.stderr);
    t.match(ok.stdout, /ok\s+ssh .*accepts the login\n.*ok\s+docker .*running\n.*ok\s+latency\s+\d+ ms/);
    t.ok(
      readdirSync(join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`)).some((entry) =>
        /^[0-9a-f]{40}$/.test(entry),
      ),
      'a shared ssh connection was opened in the private control folder',
    );

    const downDock = `${dock}-down`;
    await dockerOk(['context', 'create', downDock, '--docker', `host=ssh://root@${rig.address}:2`], client);
    t.teardown(() => docker(['context', 'rm', '-f', downDock], client));
    const failed = await runBin('dock', ['ls', '--check', downDock], client);
    t.equal(failed.exitCode, 1);
    t.match(failed.stdout, /FAIL\s+ssh\s+cannot reach root@10\.213\.\S+:2.*\n\s+fix:/);
  });

  await t.test('dock env, evaluated in a shell, points the plain docker CLI at the dock', async (t) => {
    const lines = await runBin('dock', ['env', dock], client);
    t.equal(lines.exitCode, 0, lines.stderr);
    t.equal(
      lines.stdout,
      `export DOCKER_HOST=${rig.sshUrl}\nexport DOCKER_IP=${rig.address}\n# undo: unset DOCKER_HOST DOCKER_IP\n`,
    );
    const shell = await runBounded(
      'sh',
      [
        '-c',
        `eval "$(node ${join(repoRoot, 'bin', 'dock.js')} env ${dock})" && docker info --format '{{.DockerRootDir}}' && unset DOCKER_HOST DOCKER_IP && docker info --format '{{.DockerRootDir}}'`,
      ],
      { ...client, timeoutMs: 30_000 },
    );
    t.equal(shell.exitCode, 0, shell.stderr);
    const [docked, local] = shell.stdout.trim().split('\n');
    t.equal(docked, rig.dataRoot);
    t.equal(
      local,
      await dockerOk(['info', '--format', '{{.DockerRootDir}}']),
      'the undo line returns to the local engine',
    );
  });

  await t.test('dock use NAME and dock use local switch the docker CLI default', async (t) => {
    t.equal((await runBin('dock', ['use', dock], client)).exitCode, 0);
    t.equal(await dockerOk(['context', 'show'], client), dock);
    t.equal(await dockerOk(['info', '--format', '{{.DockerRootDir}}'], client), rig.dataRoot);
    t.equal((await runBin('dock', ['use', 'local'], client)).exitCode, 0);
    t.equal(await dockerOk(['context', 'show'], client), 'default');
  });

  await t.test("ssh-dock runs a command on the dock with the client's ssh setup", async (t) => {
    const result = await runBin(
      'ssh-dock',
      [dock, 'sh', '-c', '"docker info --format {{.DockerRootDir}}; exit 3"'],
      client,
    );
    t.equal(result.exitCode, 3, 'the remote exit code is passed on');
    t.equal(result.stdout.trim(), rig.dataRoot, "the command ran on the dock, with the dock's engine");
  });

  await t.test(
    'build-image, run-image, ls-images and the container verbs with --dock act on the dock only',
    async (t) => {
      await loadImageIntoRig(rig, 'busybox:latest');
      const project = `p${uniqueSuffix()}`;
      const root = join(t.testdir(), project);
      mkdirSync(join(root, 'docker', 'hello'), { recursive: true });
      writeFileSync(join(root, 'docker', 'hello', 'Dockerfile'), 'FROM busybox\nCMD ["echo", "hello"]\n');
      writeFileSync(
        join(root, 'docker', 'dockerutils.cfg'),
        '[hello]\nnetwork = none\ncmd = echo here\ncmd_docked = sh -c "echo docked; exec sleep 600"\n',
      );
      // The tag is the login name, LOGNAME first: a USER that differs must not be used.
      const user = { ...client, env: { ...client.env, LOGNAME: 'dockbuilder', USER: 'notthisname' }, cwd: root };
      const reference = `${project}-hello:dockbuilder`;
      const built = await runBin('build-image', ['hello', '--dock', dock], { ...user, timeoutMs: 120_000 });
      t.equal(built.exitCode, 0, built.stderr);
      const name = `${project}-web`;
      const ran = await runBin('run-image', ['hello', '-k', '--name', name, '--dock', dock], {
        ...user,
        timeoutMs: 60_000,
      });
      t.equal(ran.exitCode, 0, ran.stderr);
      t.match(
        ran.stderr,
        new RegExp(`docker --context ${dock} run .*--label dockerutils.project=${project} .*echo docked`),
        'the echo names the dock',
      );
      const remote = await rigDockerOk(rig, [
        'ps',
        '-a',
        '--filter',
        `label=dockerutils.project=${project}`,
        '--format',
        '{{.Command}}',
      ]);
      t.match(remote, /echo docked/, 'the container is on the dock, with cmd_docked');
      t.equal(
        await dockerOk(['ps', '-aq', '--filter', `label=dockerutils.project=${project}`]),
        '',
        'and not on the local engine',
      );
      await rigDockerOk(rig, ['image', 'inspect', reference]);
      const local = await docker(['image', 'inspect', reference]);
      t.equal(local.exitCode, 1, 'the image was built on the dock only');
      t.match(local.stderr, `No such image: ${reference}`);

      // A container of the same project on the local engine: a verb that reached the wrong engine shows on it.
      const suffix = uniqueSuffix();
      t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
      const twin = `${project}-local`;
      await dockerOk(
        testContainerArgs(suffix, twin, ['sleep', '600'], {
          labels: [`dockerutils.project=${project}`, 'dockerutils.image=hello'],
        }),
      );
      const remoteState = (): Promise<string> =>
        rigDockerOk(rig, ['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.State}}']);
      const localState = (): Promise<string> => dockerOk(['inspect', '--format', '{{.State.Status}}', twin]);

      const images = await runBin('ls-images', ['--json', '--dock', dock], user);
      t.equal(images.exitCode, 0, images.stderr);
      t.match(images.stderr, `docker --context ${dock} `, 'the docker calls name the dock');
      const rows = JSON.parse(images.stdout) as { image: string; built: boolean; id?: string; containers: string[] }[];
      t.match(rows, [
        {
          image: 'hello',
          built: true,
          id: await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', reference]),
        },
      ]);
      t.same(rows[0]?.containers, [name], "the dock's container, not the local one");
      const localImages = await runBin('ls-images', ['--json'], user);
      t.equal(localImages.exitCode, 0, localImages.stderr);
      t.match(JSON.parse(localImages.stdout), [{ image: 'hello', built: false, containers: [twin] }]);

      const stopped = await runBin('stop-containers', ['-t', '1', '--dock', dock], user);
      t.equal(stopped.exitCode, 0, stopped.stderr);
      t.equal(stopped.stderr, `docker --context ${dock} stop -t 1 ${name}\n`);
      t.equal(stopped.stdout, `${name}\n`);
      t.equal(await remoteState(), 'exited');
      t.equal(await localState(), 'running', 'the local container of the project is left alone');
      const started = await runBin('start-containers', ['--dock', dock], user);
      t.equal(started.exitCode, 0, started.stderr);
      t.equal(await remoteState(), 'running');
      const removed = await runBin('rm-containers', ['--force', '--dock', dock], user);
      t.equal(removed.exitCode, 0, removed.stderr);
      t.equal(removed.stderr, `docker --context ${dock} rm -f ${name}\n`);
      t.equal(await remoteState(), '', 'removed from the dock');
      t.equal(await localState(), 'running');
    },
  );

  await t.test('publish-image --dock tags and pushes from the dock engine', async (t) => {
    const project = `p${uniqueSuffix()}`;
    const base = t.testdir();
    const root = join(base, project);
    mkdirSync(join(root, 'docker', 'app'), { recursive: true });
    writeFileSync(join(root, 'docker', 'app', 'Dockerfile'), 'FROM busybox\nCMD ["true"]\n');
    // The registry runs in the dock's namespace, on its loopback, which its engine trusts without TLS.
    const registry = await startRegistryIn(t, rig.namespace, join(base, 'registry'));
    writeFileSync(join(root, 'docker', 'dockerutils.cfg'), `[app]\npublication_tag = ${registry}/{image}:{tag}\n`);
    const user = { ...client, env: { ...client.env, LOGNAME: 'ann' }, cwd: root, timeoutMs: 120_000 };
    const built = await runBin('build-image', ['app', '--dock', dock], user);
    t.equal(built.exitCode, 0, built.stderr);
    const published = `${registry}/${project}-app:ann`;
    const result = await runBin('publish-image', ['app', '--dock', dock], user);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `${published}\n`);
    t.match(result.stderr, `docker --context ${dock} tag ${project}-app:ann ${published}`);
    t.match(result.stderr, `docker --context ${dock} push ${published}`);
    const id = await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', published]);
    await rigDockerOk(rig, ['image', 'rm', published]);
    await rigDockerOk(rig, ['pull', '-q', published]);
    t.equal(await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', published]), id, 'pulled back, same id');
    t.equal((await docker(['image', 'inspect', published])).exitCode, 1, 'nothing was tagged locally');
  });

  await t.test('dock rm removes the context', async (t) => {
    t.equal((await runBin('dock', ['rm', dock], client)).exitCode, 0);
    t.not((await docker(['context', 'inspect', dock], client)).exitCode, 0);
    const again = await runBin('dock', ['rm', dock], client);
    t.equal(again.exitCode, 2);
    t.match(again.stderr, /no dock named/);
  });
});
