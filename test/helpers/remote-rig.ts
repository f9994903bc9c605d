// A second Docker engine reachable only over SSH, for the dock tests: a network namespace with a veth
// pair on a private /30, its own dockerd (started with nsenter, which keeps the cgroup mounts that
// `ip netns exec` hides) and its own sshd, set up as a stock Debian host is.
//
// What differs from a stock host, and why it must:
// - sshd runs in a mount namespace of its own, where /etc/passwd and /etc/group add the rig's users
//   (the host's are shared with the developer's machine and are never changed) and /run is a tmpfs
//   whose docker.sock links to the rig engine's socket (the host's /run/docker.sock is the main
//   engine's): a login then finds the engine where docker looks by default, with no DOCKER_HOST.
// - sshd listens on the namespace's address, with its own host key, pid file and log, runs without
//   PAM (no PAM session stack in a test) and without StrictModes (the keys live in a temp folder).
// - Client commands run with the rig's client folder mounted over the user's home folder (`home` of
//   BoundedOptions): OpenSSH reads ~/.ssh from the password database, never $HOME, and the real
//   ~/.ssh of the machine must not be read or written. Inside, ~/.ssh is a stock user's: a key pair,
//   known_hosts, and a config with one Host alias; no agent (none runs in a test).
// Its users: root (key installed), `dockerUser` (key installed, in the docker group), `plainUser`
// (key installed, not in the docker group), `noDockerUser` (key installed, no docker on its PATH),
// `keylessUser` (no key installed) and `retagUser`, whose logins stand for automation on the dock
// that changes a tag as soon as an image is loaded (sshd runs each of its commands through a script
// that, after a `docker load`, tags `retagImage` with the loaded reference): the dock then holds
// another image under the name than the one sent.
import { execa, type ResultPromise } from 'execa';
import { randomInt } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { dockerOk, loadImageOnto, runBin, runBounded, uniqueSuffix, type BoundedOptions } from './engine.js';
import { privateDaemonArgs, unmountUnder } from './daemon-dirs.js';

/** The rig's login users besides root, and what each shows. */
export const rigUsers = {
  dockerUser: 'dudocker',
  plainUser: 'duplain',
  noDockerUser: 'dunodock',
  keylessUser: 'dunokey',
  retagUser: 'duretag',
} as const;

/** The image the dock's automation tags over whatever `retagUser` has just loaded. */
export const retagImage = 'busybox:latest';

/** A running rig: what a test needs to reach the remote engine, and how to remove it. */
export interface RemoteRig {
  /** The dock's address inside the namespace (sshd listens there on port 22). */
  readonly address: string;
  /** This machine's end of the veth pair: the address the dock reaches it at (a swarm manager advertises it). */
  readonly hostAddress: string;
  /** The network namespace the dock's engine and sshd run in (`nsenter --net=/run/netns/NAME`). */
  readonly namespace: string;
  /** The rig's private folder (configs, logs, pid files). */
  readonly dir: string;
  /**
   * The command lines that start the dock's daemons in its namespace, each staying in the foreground:
   * a test's own start command can bring up a dock whose daemons it stopped (a machine that boots).
   */
  readonly daemonCommands: { readonly dockerd: readonly string[]; readonly sshd: readonly string[] };
  /** `ssh://root@ADDRESS`, for `dock add` or DOCKER_HOST. */
  readonly sshUrl: string;
  /** An alias in the client's ~/.ssh/config that resolves to the dock (`ssh://<alias>` works). */
  readonly sshAlias: string;
  /** `unix:///.../docker.sock`: the remote engine's socket, for setting up and checking state directly. */
  readonly engineSocket: string;
  /** The rig engine's data root, as `docker info` reports it. */
  readonly dataRoot: string;
  /** The environment of client commands (bins, docker, ssh): private HOME and runtime folder. */
  readonly clientEnv: NodeJS.ProcessEnv;
  /** Options for runBounded/runBin/docker: clientEnv and the client's home mounted over the user's. */
  readonly client: BoundedOptions;
  /** The client's private runtime folder (XDG_RUNTIME_DIR), where shared SSH connections live. */
  readonly clientRuntimeDir: string;
  /** The client's private home folder. */
  readonly clientHome: string;
  /** sshd's log: one `Accepted publickey` line per SSH connection it authenticated. */
  readonly sshdLogFile: string;
  /** sshd's configuration file. */
  readonly sshdConfigFile: string;
  /** The line known_hosts needs for the dock's host key. */
  readonly knownHostLine: string;
  /** Stops the rig's dockerd (as `systemctl stop docker` would); sshd keeps running. */
  stopEngine(): Promise<void>;
  /** Starts the rig's dockerd again and waits until it answers. */
  startEngine(): Promise<void>;
  /** Lets another client key log in as root too (another rig's client, for one command over several docks). */
  authorizeRootKey(publicKey: string): void;
  /** Stops the daemons and removes the namespace, the veth pair and every file. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of `startRemoteRig`. */
export interface RemoteRigOptions {
  /** Put the dock's host key in the client's known_hosts (default true). */
  readonly knownHost?: boolean;
  /** The dock engine's disk: a tmpfs of this many MB for its data root (default: the temp folder's disk). */
  readonly engineDiskMb?: number;
  /** sshd refuses to forward unix sockets (`AllowStreamLocalForwarding no`), as some hardened hosts do. */
  readonly refuseSocketForwarding?: boolean;
}

const stepTimeoutMs = 20_000;
const engineWaitMs = 60_000;
// The rig users' ids: above what Debian gives to people and services, below nobody's.
const firstRigUid = 60_100;

/** The prefix of the rig's namespace and folder names: `durig-<suffix>`. */
export const rigNamePrefix = 'durig-';

/** The client's shared ssh connections to the rig: their masters outlive the commands that opened them. */
export function rigSshMasters(rig: RemoteRig): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        // A master that forked from a session renames itself `ssh: <control path> [mux]`; one started
        // for a forward (`ssh -f -N`) keeps its argv.
        const program = cmdline.split('\0')[0]!;
        return /^ssh(:|$)|\/ssh$/.test(program) && cmdline.includes(rig.clientRuntimeDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Established TCP connections from this machine to the rig's sshd. */
export async function rigSshConnections(rig: RemoteRig): Promise<number> {
  const result = await runBounded('ss', ['-Htn', 'state', 'established', 'dst', `${rig.address}:22`], {
    timeoutMs: 10_000,
  });
  return result.stdout.split('\n').filter((line) => line.trim() !== '').length;
}

/** Starts the rig; requires root, iproute2, openssh-server and dockerd. Every step is bounded. */
export async function startRemoteRig(options: RemoteRigOptions = {}): Promise<RemoteRig> {
  requireRigTools();
  const suffix = uniqueSuffix();
  const octet = randomInt(0, 256);
  const quad = randomInt(0, 64) * 4;
  const hostAddress = `10.213.${octet}.${quad + 1}`;
  const address = `10.213.${octet}.${quad + 2}`;
  const namespace = `${rigNamePrefix}${suffix}`;
  const hostLink = `vdu${suffix}h`;
  const namespaceLink = `vdu${suffix}n`;
  // Short: unix socket paths are limited to 108 bytes. Searchable by the rig's users (their docker
  // reaches the socket inside), readable by root only.
  const dir = `/tmp/${namespace}`;
  mkdirSync(dir, { mode: 0o711 });
  chmodSync(dir, 0o711);
  const socketPath = join(dir, 'docker.sock');
  const engineSocket = `unix://${socketPath}`;
  const daemons: ResultPromise[] = [];
  let engine: ResultPromise | undefined;
  let stopped = false;

  const stopEngine = async (): Promise<void> => {
    const running = engine;
    engine = undefined;
    if (running) await stopDaemon(running, join(dir, 'exec', 'containerd', 'containerd.pid'));
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await removeEngineContainers(engineSocket);
    await stopEngine();
    await Promise.all(daemons.map((daemon) => stopDaemon(daemon)));
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

  const dockerGroupId = hostGroupId('docker') ?? firstRigUid + 90;
  const dockerdArgs = [
    `--net=/run/netns/${namespace}`,
    'dockerd',
    ...privateDaemonArgs(dir, engineSocket),
    // The socket's group, as a stock install's docker group; numeric, so no name lookup is needed.
    '--group',
    String(dockerGroupId),
    // Its containers' cgroups under a parent of their own, where the suite's clean-up finds them.
    '--cgroup-parent',
    namespace,
    '--bip',
    `10.214.${octet}.1/24`,
    '--iptables=false',
    '--ip-masq=false',
    '--log-level',
    'warn',
  ];
  const startEngine = async (): Promise<void> => {
    if (engine) return;
    rmSync(join(dir, 'docker.pid'), { force: true });
    engine = spawnDaemon(dir, 'dockerd', dockerdArgs);
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

    writeFileSync(join(dir, 'daemon.json'), '{}\n');
    if (options.engineDiskMb !== undefined) {
      mkdirSync(join(dir, 'data'));
      await run('mount', [
        '-t',
        'tmpfs',
        '-o',
        `size=${options.engineDiskMb}m`,
        `${namespace}-data`,
        join(dir, 'data'),
      ]);
    }
    const engineStarted = startEngine();
    engineStarted.catch(() => undefined);

    const home = join(dir, 'home');
    const sshDir = join(home, '.ssh');
    mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dock-host', '-f', join(dir, 'host_key')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dock-client', '-f', join(sshDir, 'id_ed25519')]);
    const clientKey = readFileSync(join(sshDir, 'id_ed25519.pub'));
    const knownHostLine = `${address} ${readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}`;
    writeFileSync(join(sshDir, 'known_hosts'), options.knownHost === false ? '' : `${knownHostLine}\n`);
    const sshAlias = `rigdock-${suffix}`;
    writeFileSync(join(sshDir, 'config'), [`Host ${sshAlias}`, `  HostName ${address}`, '  User root', ''].join('\n'));

    // The rig's users: the host's password and group files plus these, seen by sshd alone.
    const users = [
      { name: rigUsers.dockerUser, key: true, dockerGroup: true },
      { name: rigUsers.plainUser, key: true, dockerGroup: false },
      { name: rigUsers.noDockerUser, key: true, dockerGroup: true },
      { name: rigUsers.keylessUser, key: false, dockerGroup: true },
      { name: rigUsers.retagUser, key: true, dockerGroup: true },
    ].map((user, index) => ({ ...user, uid: firstRigUid + index, home: join(dir, 'users', user.name) }));
    const keys = join(dir, 'authorized_keys');
    mkdirSync(keys);
    writeFileSync(join(keys, 'root'), clientKey);
    for (const user of users) {
      mkdirSync(user.home, { recursive: true, mode: 0o755 });
      chownSync(user.home, user.uid, user.uid);
      if (user.key) writeFileSync(join(keys, user.name), clientKey);
    }
    writeFileSync(
      join(dir, 'passwd'),
      readFileSync('/etc/passwd', 'utf8').trimEnd() +
        '\n' +
        users.map((user) => `${user.name}:x:${user.uid}:${user.uid}::${user.home}:/bin/sh\n`).join(''),
    );
    const dockerMembers = users.filter((user) => user.dockerGroup).map((user) => user.name);
    const groupLines = readFileSync('/etc/group', 'utf8').trimEnd().split('\n');
    const dockerLine = groupLines.findIndex((line) => line.split(':')[2] === String(dockerGroupId));
    if (dockerLine >= 0) {
      const members = groupLines[dockerLine]!.split(':')[3] ?? '';
      groupLines[dockerLine] += `${members ? ',' : ''}${dockerMembers.join(',')}`;
    } else groupLines.push(`docker:x:${dockerGroupId}:${dockerMembers.join(',')}`);
    groupLines.push(...users.map((user) => `${user.name}:x:${user.uid}:`));
    writeFileSync(join(dir, 'group'), `${groupLines.join('\n')}\n`);

    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `ListenAddress ${address}`,
        `HostKey ${join(dir, 'host_key')}`,
        `AuthorizedKeysFile ${keys}/%u`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        ...(options.refuseSocketForwarding ? ['AllowStreamLocalForwarding no'] : []),
        // A host where the docker CLI is not installed, for this user.
        `Match User ${rigUsers.noDockerUser}`,
        '  SetEnv PATH=/usr/local/sbin:/usr/sbin:/sbin',
        `Match User ${rigUsers.retagUser}`,
        `  ForceCommand /bin/sh ${join(dir, 'retag-after-load')}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'retag-after-load'),
      [
        'case "$SSH_ORIGINAL_COMMAND" in',
        '*"docker load"*)',
        '  output=$(sh -c "$SSH_ORIGINAL_COMMAND") || exit',
        '  printf "%s\\n" "$output"',
        `  exec docker tag ${retagImage} "\${output#Loaded image: }" ;;`,
        '*) exec sh -c "$SSH_ORIGINAL_COMMAND" ;;',
        'esac',
        '',
      ].join('\n'),
    );
    const sshdArgs = [
      `--net=/run/netns/${namespace}`,
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      [
        'mount --bind "$1/passwd" /etc/passwd',
        'mount --bind "$1/group" /etc/group',
        // sshd's privilege separation folder and the default docker socket live in /run.
        'mount -t tmpfs -o mode=755 rig-run /run',
        'mkdir -m 755 /run/sshd',
        'ln -s "$1/docker.sock" /run/docker.sock',
        'exec /usr/sbin/sshd -D -e -f "$1/sshd_config"',
      ].join(' && '),
      'sh',
      dir,
    ];
    daemons.push(spawnDaemon(dir, 'sshd', sshdArgs));

    await waitFor(`sshd on ${address}:22`, stepTimeoutMs, () => canConnect(address, 22), dir);
    await engineStarted;
    const dataRoot = join(dir, 'data');

    const runtimeDir = join(dir, 'run');
    mkdirSync(runtimeDir, { mode: 0o700 });
    const clientEnv: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtimeDir };
    delete clientEnv.DOCKER_HOST;
    delete clientEnv.DOCKER_CONTEXT;
    delete clientEnv.DOCKER_CONFIG;
    delete clientEnv.SSH_AUTH_SOCK;
    return {
      address,
      hostAddress,
      namespace,
      dir,
      daemonCommands: { dockerd: ['nsenter', ...dockerdArgs], sshd: ['nsenter', ...sshdArgs] },
      sshUrl: `ssh://root@${address}`,
      sshAlias,
      engineSocket,
      dataRoot,
      clientEnv,
      client: { env: clientEnv, home },
      clientRuntimeDir: runtimeDir,
      clientHome: home,
      sshdLogFile: join(dir, 'sshd.log'),
      sshdConfigFile: join(dir, 'sshd_config'),
      knownHostLine,
      authorizeRootKey: (publicKey: string) => appendFileSync(join(keys, 'root'), publicKey),
      stopEngine,
      startEngine,
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

/** Registers the rig as dock `name` with the built `dock add NAME ssh://root@ADDRESS`; throws with its stderr if that fails. */
export async function addRigDock(rig: RemoteRig, name: string, options: BoundedOptions = rig.client): Promise<void> {
  const result = await runBin('dock', ['add', name, rig.sshUrl], options);
  if (result.exitCode !== 0)
    throw new Error(`dock add ${name} ${rig.sshUrl} failed (${result.exitCode}): ${result.stderr.trim()}`);
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

// Removing the rig's containers first makes dockerd's shutdown quick (it would stop each with a 10 s grace).
async function removeEngineContainers(engineSocket: string): Promise<void> {
  const listed = await runBounded('docker', ['-H', engineSocket, 'ps', '-aq'], { timeoutMs: 10_000 }).catch(
    () => undefined,
  );
  const ids = listed?.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
  if (ids.length > 0)
    await runBounded('docker', ['-H', engineSocket, 'rm', '-f', ...ids], { timeoutMs: 30_000 }).catch(() => undefined);
}

// SIGTERM, then SIGKILL after 15 s; the containerd of a killed dockerd is killed too.
async function stopDaemon(daemon: ResultPromise, containerdPidFile?: string): Promise<void> {
  const containerdPid = containerdPidFile === undefined ? undefined : readPid(containerdPidFile);
  daemon.kill('SIGTERM');
  const exited = await Promise.race([
    daemon.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000)),
  ]);
  if (!exited) daemon.kill('SIGKILL');
  await Promise.race([daemon, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (containerdPid !== undefined) {
    try {
      process.kill(containerdPid, 'SIGKILL');
    } catch {
      // Already gone with dockerd, as it should be.
    }
  }
}

function hostGroupId(name: string): number | undefined {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const gid = Number(line?.split(':')[2]);
  return Number.isInteger(gid) ? gid : undefined;
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
