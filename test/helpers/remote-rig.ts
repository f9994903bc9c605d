// A second Docker engine reachable only over SSH, for the dock tests: a network namespace with a veth
// pair on a private /30, its own dockerd (started with nsenter, which keeps the cgroup mounts that
// `ip netns exec` hides) and its own sshd. The client side gets a private HOME, and an `ssh` on PATH
// that reads that HOME's config: OpenSSH finds ~/.ssh through the password database, not $HOME, so
// without it the user's real ~/.ssh would be used.
import { execa, type ResultPromise } from 'execa';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { dockerOk, loadImageOnto, runBounded, uniqueSuffix } from './engine.js';
import { unmountUnder } from './daemon-dirs.js';

/** A running rig: what a test needs to reach the remote engine, and how to remove it. */
export interface RemoteRig {
  /** The dock's address inside the namespace (sshd listens there on port 22). */
  readonly address: string;
  /** `ssh://root@ADDRESS`, for `dock add` or DOCKER_HOST. */
  readonly sshUrl: string;
  /** An alias in the client's ~/.ssh/config that resolves to the dock (`ssh://<alias>` works). */
  readonly sshAlias: string;
  /** `unix:///.../docker.sock`: the remote engine's socket, for setting up and checking state directly. */
  readonly engineSocket: string;
  /** The environment to run client commands (bins, docker, ssh) with: private HOME and `ssh` shim. */
  readonly clientEnv: NodeJS.ProcessEnv;
  /** The client's private runtime folder (XDG_RUNTIME_DIR), where shared SSH connections live. */
  readonly clientRuntimeDir: string;
  /** The client's private home folder. */
  readonly clientHome: string;
  /** sshd's log: one `Accepted publickey` line per SSH connection it authenticated. */
  readonly sshdLogFile: string;
  /** The line known_hosts needs for the dock's host key. */
  readonly knownHostLine: string;
  /** The network namespace the dock's daemons run in (`ip netns pids` lists them). */
  readonly namespace: string;
  /** The rig's private folder (configs, logs, pid files). */
  readonly dir: string;
  /**
   * The command lines that start the dock's daemons in its namespace, each staying in the foreground:
   * a test's own start command can bring up a dock whose daemons it stopped (a machine that boots).
   */
  readonly daemonCommands: { readonly dockerd: readonly string[]; readonly sshd: readonly string[] };
  /** Stops the daemons and removes the namespace, the veth pair and every file. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of `startRemoteRig`. */
export interface RemoteRigOptions {
  /** Put the dock's host key in the client's known_hosts (default true). */
  readonly knownHost?: boolean;
}

const stepTimeoutMs = 20_000;
const engineWaitMs = 60_000;

/** Starts the rig; requires root, iproute2, openssh-server and dockerd. Every step is bounded. */
export async function startRemoteRig(options: RemoteRigOptions = {}): Promise<RemoteRig> {
  requireRigTools();
  const suffix = uniqueSuffix();
  const octet = randomInt(0, 256);
  const quad = randomInt(0, 64) * 4;
  const hostAddress = `10.213.${octet}.${quad + 1}`;
  const address = `10.213.${octet}.${quad + 2}`;
  const namespace = `durig-${suffix}`;
  const hostLink = `vdu${suffix}h`;
  const namespaceLink = `vdu${suffix}n`;
  // Short: unix socket paths are limited to 108 bytes.
  const dir = mkdtempSync('/tmp/durig-');
  const engineSocket = `unix://${dir}/docker.sock`;
  const daemons: ResultPromise[] = [];
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopEngine(dir, engineSocket, daemons);
    // sshd's per-connection children (a client's shared connection keeps one) outlive sshd itself.
    const leftovers = await runBounded('ip', ['netns', 'pids', namespace], { timeoutMs: stepTimeoutMs }).catch(
      () => undefined,
    );
    for (const pid of leftovers?.stdout.split('\n').filter(Boolean).map(Number) ?? []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await run('ip', ['netns', 'del', namespace], { acceptFailure: true });
    await run('ip', ['link', 'del', hostLink], { acceptFailure: true });
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await run('ip', ['netns', 'add', namespace]);
    await run('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', namespaceLink]);
    await run('ip', ['link', 'set', namespaceLink, 'netns', namespace]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostLink]);
    await run('ip', ['link', 'set', hostLink, 'up']);
    await run('ip', ['-n', namespace, 'addr', 'add', `${address}/30`, 'dev', namespaceLink]);
    await run('ip', ['-n', namespace, 'link', 'set', namespaceLink, 'up']);
    await run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);

    const enter = ['--net=/run/netns/' + namespace];
    writeFileSync(join(dir, 'daemon.json'), '{}\n');
    const dockerdArgs = [
      ...enter,
      'dockerd',
      '--config-file',
      join(dir, 'daemon.json'),
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      '-H',
      engineSocket,
      '--bip',
      `10.214.${octet}.1/24`,
      '--iptables=false',
      '--ip-masq=false',
      '--log-level',
      'warn',
    ];
    daemons.push(spawnDaemon(dir, 'dockerd', dockerdArgs));

    const home = join(dir, 'home');
    const sshDir = join(home, '.ssh');
    mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dock-host', '-f', join(dir, 'host_key')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dock-client', '-f', join(sshDir, 'id_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(sshDir, 'id_ed25519.pub')));
    const knownHostLine = `${address} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}`;
    writeFileSync(join(sshDir, 'known_hosts'), options.knownHost === false ? '' : `${knownHostLine}\n`);
    const sshAlias = `rigdock-${suffix}`;
    writeFileSync(
      join(sshDir, 'config'),
      [
        `Host ${sshAlias}`,
        `  HostName ${address}`,
        '  User root',
        'Host *',
        `  IdentityFile ${join(sshDir, 'id_ed25519')}`,
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${join(sshDir, 'known_hosts')}`,
        '  GlobalKnownHostsFile /dev/null',
        '  BatchMode yes',
        '',
      ].join('\n'),
    );
    const shimDir = join(dir, 'bin');
    mkdirSync(shimDir);
    writeFileSync(join(shimDir, 'ssh'), '#!/bin/sh\nexec /usr/bin/ssh -F "$HOME/.ssh/config" "$@"\n');
    chmodSync(join(shimDir, 'ssh'), 0o755);

    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `ListenAddress ${address}`,
        'Port 22',
        `HostKey ${join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `SetEnv DOCKER_HOST=${engineSocket}`,
        // The engine's transfers and a ControlMaster's many channels on one connection.
        'MaxSessions 50',
        '',
      ].join('\n'),
    );
    // sshd's privilege separation folder; Debian creates it only when the service starts.
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const sshdArgs = [...enter, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')];
    daemons.push(spawnDaemon(dir, 'sshd', sshdArgs));

    await waitFor(`sshd on ${address}:22`, stepTimeoutMs, () => canConnect(address, 22), dir);
    await waitFor(
      `dockerd at ${engineSocket}`,
      engineWaitMs,
      async () => {
        const result = await runBounded('docker', ['-H', engineSocket, 'version', '--format', '{{.Server.Version}}'], {
          timeoutMs: 10_000,
        }).catch(() => undefined);
        return result?.exitCode === 0;
      },
      dir,
    );

    const runtimeDir = join(dir, 'run');
    mkdirSync(runtimeDir, { mode: 0o700 });
    const clientEnv: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_RUNTIME_DIR: runtimeDir,
      PATH: `${shimDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    };
    delete clientEnv.DOCKER_HOST;
    delete clientEnv.DOCKER_CONTEXT;
    delete clientEnv.DOCKER_CONFIG;
    delete clientEnv.SSH_AUTH_SOCK;
    return {
      address,
      sshUrl: `ssh://root@${address}`,
      sshAlias,
      engineSocket,
      clientEnv,
      clientRuntimeDir: runtimeDir,
      clientHome: home,
      sshdLogFile: join(dir, 'sshd.log'),
      knownHostLine,
      namespace,
      dir,
      daemonCommands: { dockerd: ['nsenter', ...dockerdArgs], sshd: ['nsenter', ...sshdArgs] },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Copies a local image into the rig's engine over its unix socket (not through SSH). */
export function loadImageIntoRig(rig: RemoteRig, reference: string): Promise<void> {
  return loadImageOnto(rig.engineSocket, reference);
}

/** One docker call on the rig's engine over its unix socket; returns trimmed stdout, throws on failure. */
export function rigDockerOk(rig: RemoteRig, args: readonly string[]): Promise<string> {
  return dockerOk(['-H', rig.engineSocket, ...args], { timeoutMs: 60_000 });
}

function requireRigTools(): void {
  if (process.getuid?.() !== 0)
    throw new Error('the remote rig needs root (network namespaces, a second dockerd): run the tests as root');
  const missing = [
    ['/usr/sbin/ip', 'iproute2'],
    ['/usr/sbin/sshd', 'openssh-server'],
    ['/usr/bin/ssh', 'openssh-client'],
    ['/usr/bin/nsenter', 'util-linux'],
  ].filter(([path]) => !existsSync(path!));
  if (missing.length > 0)
    throw new Error(`the remote rig needs: apt-get install -y ${missing.map(([, pkg]) => pkg).join(' ')}`);
}

async function run(file: string, args: readonly string[], options: { acceptFailure?: boolean } = {}): Promise<void> {
  const result = await runBounded(file, args, { timeoutMs: stepTimeoutMs });
  if (result.exitCode !== 0 && !options.acceptFailure)
    throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

function spawnDaemon(dir: string, name: string, nsenterArgs: readonly string[]): ResultPromise {
  const daemon = execa('nsenter', nsenterArgs, {
    stdin: 'ignore',
    stdout: { file: join(dir, `${name}.log`) },
    stderr: { file: join(dir, `${name}.log`) },
    reject: false,
    cleanup: true,
  });
  daemon.catch(() => undefined);
  return daemon;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, dir: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logs = ['dockerd.log', 'sshd.log']
    .map((file) => join(dir, file))
    .filter(existsSync)
    .map((file) => `${file}:\n${readFileSync(file, 'utf8').split('\n').slice(-10).join('\n')}`)
    .join('\n');
  throw new Error(`${what} did not come up within ${timeoutMs} ms\n${logs}`);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function stopEngine(dir: string, engineSocket: string, daemons: ResultPromise[]): Promise<void> {
  // Removing the rig's containers first makes dockerd's shutdown quick (it would stop each with a 10 s grace).
  const listed = await runBounded('docker', ['-H', engineSocket, 'ps', '-aq'], { timeoutMs: 10_000 }).catch(
    () => undefined,
  );
  const ids = listed?.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
  if (ids.length > 0)
    await runBounded('docker', ['-H', engineSocket, 'rm', '-f', ...ids], { timeoutMs: 30_000 }).catch(() => undefined);
  const containerdPid = readPid(join(dir, 'exec', 'containerd', 'containerd.pid'));
  for (const daemon of daemons) daemon.kill('SIGTERM');
  const exited = await Promise.race([
    Promise.all(daemons).then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  if (!exited) for (const daemon of daemons) daemon.kill('SIGKILL');
  await Promise.race([Promise.all(daemons), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (containerdPid !== undefined) {
    try {
      process.kill(containerdPid, 'SIGKILL');
    } catch {
      // Already gone with dockerd, as it should be.
    }
  }
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
