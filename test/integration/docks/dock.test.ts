import { readdirSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { dockProbeTimeoutMs } from '../../../src/docks/dock-probe.js';
import { dockerOk, docker, repoRoot, requireEngine, runBin, runBounded, uniqueSuffix } from '../../helpers/engine.js';
import { loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

// One rig for the file: starting an engine costs seconds. Its known_hosts starts empty.
t.test('docks over a real sshd and a second engine', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig({ knownHost: false });
  t.teardown(rig.stop);
  const env = rig.clientEnv;
  const knownHosts = join(rig.clientHome, '.ssh', 'known_hosts');
  const dock = `d${uniqueSuffix()}`;

  await t.test('dock add refuses an unknown host key and says how to accept it', async (t) => {
    const result = await runBin('dock', ['add', dock, rig.sshUrl], { env });
    t.equal(result.exitCode, 1, result.stderr);
    t.match(result.stderr, /not in your known_hosts.*--accept-new/);
    t.match(result.stderr, /ssh .*StrictHostKeyChecking=yes .*-l root -- 10\.213\./, 'the ssh check is echoed');
    t.not((await runBounded('docker', ['context', 'inspect', dock], { env })).exitCode, 0, 'no context was created');
  });

  await t.test('dock add --accept-new records the key and creates the docker context', async (t) => {
    const result = await runBin('dock', ['add', dock, rig.sshUrl, '--accept-new'], { env });
    t.equal(result.exitCode, 0, result.stderr);
    t.match(result.stderr, /docker context create .* --docker host=ssh:\/\/root@10\.213\./);
    t.match(readFileSync(knownHosts, 'utf8'), rig.address);
    const root = await dockerOk(['--context', dock, 'info', '--format', '{{.DockerRootDir}}'], { env });
    t.match(root, /^\/tmp\/durig-/, 'the plain docker CLI reaches the dock through the context');
  });

  await t.test('dock add with a known key through a ~/.ssh/config alias needs no flag', async (t) => {
    const aliasDock = `${dock}-alias`;
    const result = await runBin('dock', ['add', aliasDock, `ssh://${rig.sshAlias}`], { env });
    t.equal(result.exitCode, 0, result.stderr);
    t.equal((await runBin('dock', ['rm', aliasDock], { env })).exitCode, 0);
  });

  await t.test('a changed host key is refused, even with --accept-new', async (t) => {
    const saved = readFileSync(knownHosts, 'utf8');
    const otherKey = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    writeFileSync(knownHosts, `${rig.address} ssh-ed25519 ${otherKey}\n`);
    t.teardown(() => writeFileSync(knownHosts, saved));
    const result = await runBin('dock', ['add', `${dock}-changed`, rig.sshUrl, '--accept-new'], { env });
    t.equal(result.exitCode, 1);
    t.match(result.stderr, /CHANGED.*refused.*ssh-keygen -R/);
  });

  await t.test('ls-dock prints the table', async (t) => {
    const table = await runBin('ls-dock', [], { env, timeoutMs: 30_000 });
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
    await dockerOk(['context', 'create', dead, '--docker', `host=ssh://root@127.0.0.1:${port}`], { env });
    t.teardown(() => docker(['context', 'rm', '-f', dead], { env }));

    const started = Date.now();
    const result = await runBin('dock', ['ls', '--json'], { env, timeoutMs: 30_000 });
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
    const ok = await runBin('dock', ['ls', '--check', dock], { env });
    t.equal(ok.exitCode, 0, ok.stderr);
    t.match(ok.stdout, /ok\s+ssh .*accepts the login\n.*ok\s+docker .*running\n.*ok\s+latency\s+\d+ ms/);
    t.ok(
      readdirSync(join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`)).some((entry) =>
        /^[0-9a-f]{40}$/.test(entry),
      ),
      'a shared ssh connection was opened in the private control folder',
    );

    const downDock = `${dock}-down`;
    await dockerOk(['context', 'create', downDock, '--docker', `host=ssh://root@${rig.address}:2`], { env });
    t.teardown(() => docker(['context', 'rm', '-f', downDock], { env }));
    const failed = await runBin('dock', ['ls', '--check', downDock], { env });
    t.equal(failed.exitCode, 1);
    t.match(failed.stdout, /FAIL\s+ssh\s+cannot reach root@10\.213\.\S+:2.*\n\s+fix:/);
  });

  await t.test('dock env, evaluated in a shell, points the plain docker CLI at the dock', async (t) => {
    const lines = await runBin('dock', ['env', dock], { env });
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
      { env, timeoutMs: 30_000 },
    );
    t.equal(shell.exitCode, 0, shell.stderr);
    const [docked, local] = shell.stdout.trim().split('\n');
    t.match(docked, /^\/tmp\/durig-/);
    t.notMatch(local, /^\/tmp\/durig-/, 'the undo line returns to the local engine');
  });

  await t.test('dock use NAME and dock use local switch the docker CLI default', async (t) => {
    t.equal((await runBin('dock', ['use', dock], { env })).exitCode, 0);
    t.equal(await dockerOk(['context', 'show'], { env }), dock);
    t.match(await dockerOk(['info', '--format', '{{.DockerRootDir}}'], { env }), /^\/tmp\/durig-/);
    t.equal((await runBin('dock', ['use', 'local'], { env })).exitCode, 0);
    t.equal(await dockerOk(['context', 'show'], { env }), 'default');
  });

  await t.test("ssh-dock runs a command on the dock with the client's ssh setup", async (t) => {
    const result = await runBin('ssh-dock', [dock, 'sh', '-c', '"echo $DOCKER_HOST; exit 3"'], { env });
    t.equal(result.exitCode, 3, 'the remote exit code is passed on');
    t.equal(result.stdout.trim(), rig.engineSocket);
  });

  await t.test('build-image and run-image --dock run on the dock, not locally, with the _docked keys', async (t) => {
    await loadImageIntoRig(rig, 'busybox:latest');
    const project = `p${uniqueSuffix()}`;
    const root = join(t.testdir(), project);
    mkdirSync(join(root, 'docker', 'hello'), { recursive: true });
    writeFileSync(join(root, 'docker', 'hello', 'Dockerfile'), 'FROM busybox\nCMD ["echo", "hello"]\n');
    writeFileSync(
      join(root, 'docker', 'dockerutils.cfg'),
      '[hello]\nnetwork = none\ncmd = echo here\ncmd_docked = echo docked\n',
    );
    const built = await runBin('build-image', ['hello', '--dock', dock], { env, cwd: root, timeoutMs: 120_000 });
    t.equal(built.exitCode, 0, built.stderr);
    const ran = await runBin('run-image', ['hello', '-k', '--dock', dock], { env, cwd: root, timeoutMs: 60_000 });
    t.equal(ran.exitCode, 0, ran.stderr);
    t.match(
      ran.stderr,
      new RegExp(`docker --context ${dock} run .*--label dockerutils.project=${project} .* echo docked`),
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
    t.not(
      (await docker(['image', 'inspect', `${project}-hello:${process.env.USER ?? 'root'}`])).exitCode,
      0,
      'the image was built on the dock only',
    );
  });

  await t.test('dock rm removes the context', async (t) => {
    t.equal((await runBin('dock', ['rm', dock], { env })).exitCode, 0);
    t.not((await docker(['context', 'inspect', dock], { env })).exitCode, 0);
    const again = await runBin('dock', ['rm', dock], { env });
    t.equal(again.exitCode, 2);
    t.match(again.stderr, /no dock named/);
  });
});
