// Why docks are reached through the user's own OpenSSH (src/docker/ssh-reuse.ts: one ControlMaster
// connection shared by every docker call) rather than an SSH library inside the Node process (node-ssh v13,
// on ssh2). Measured on the test rig (test/helpers/remote-rig.ts: a second dockerd behind a real sshd in a
// network namespace), in the same run:
//   1. the first connection with one docker call, and a docker call over an open connection
//   2. memory: a Node process with node-ssh connected, and the ssh master process ours keeps for 60 s
//   3. which of the user's ssh features each honours, each one tried for real
// Needs root (it starts the rig, and removes it even when a step fails or the run is interrupted).
// Run: node --import=@tapjs/typescript/import bench/ssh-transport.ts   (BENCH_ROUNDS, default 5)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshReuseEnvironment } from '../src/docker/ssh-reuse.js';
import { repoRoot, runBounded, uniqueSuffix } from '../test/helpers/engine.js';
import { startRemoteRig, type RemoteRig } from '../test/helpers/remote-rig.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const versionArgs = ['version', '--format', '{{.Server.Version}}'];
const remoteVersionCommand = "docker version --format '{{.Server.Version}}'";

/** What a node-ssh worker process reports. */
interface NodeSshReport {
  readonly importMs: number;
  readonly connectMs?: number;
  readonly firstExecMs?: number;
  readonly warmExecMs?: number;
  readonly output?: string;
  readonly error?: string;
  readonly rssMiB: number;
}

// A separate Node process, as a command of the toolkit would be: import node-ssh, connect, run the remote
// `docker version`, then a few more calls on the open connection. Plain JavaScript, so no TypeScript loader
// weighs on its memory.
const nodeSshWorker = `
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const config = JSON.parse(process.env.BENCH_NODE_SSH);
let mark = performance.now();
const { NodeSSH } = await import('node-ssh');
const report = { importMs: performance.now() - mark };
const ssh = new NodeSSH();
try {
  mark = performance.now();
  await ssh.connect({ readyTimeout: 8000, ...config.connect });
  report.connectMs = performance.now() - mark;
  mark = performance.now();
  const first = await ssh.execCommand(config.command);
  report.firstExecMs = performance.now() - mark;
  if (first.code !== 0) throw new Error(first.stderr.trim() || 'exit code ' + first.code);
  report.output = first.stdout.trim();
  const warm = [];
  for (let call = 0; call < 5; call += 1) {
    mark = performance.now();
    const again = await ssh.execCommand(config.command);
    warm.push(performance.now() - mark);
    if (again.code !== 0) throw new Error(again.stderr.trim());
  }
  report.warmExecMs = median(warm);
} catch (error) {
  report.error = String(error.message ?? error).split('\\n')[0];
}
report.rssMiB = process.memoryUsage().rss / 1048576;
ssh.dispose();
console.log(JSON.stringify(report));
`;
const baselineWorker = 'console.log(JSON.stringify({ rssMiB: process.memoryUsage().rss / 1048576 }))';

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(0).padStart(6)} ms`;

async function timed(what: string, run: () => Promise<{ exitCode: number; stderr: string }>): Promise<number> {
  const started = performance.now();
  const result = await run();
  if (result.exitCode !== 0) throw new Error(`${what} failed: ${result.stderr.trim()}`);
  return performance.now() - started;
}

async function runNode(script: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const result = await runBounded(process.execPath, ['--input-type=module', '-e', script], {
    env,
    cwd: repoRoot,
    timeoutMs: 60_000,
  });
  if (result.exitCode !== 0) throw new Error(`node worker failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout);
}

function runNodeSsh(env: NodeJS.ProcessEnv, connect: Record<string, unknown>): Promise<NodeSshReport> {
  return runNode(nodeSshWorker, {
    ...env,
    BENCH_NODE_SSH: JSON.stringify({ connect, command: remoteVersionCommand }),
  }) as Promise<NodeSshReport>;
}

/** sshd's count of authenticated connections so far (one `Accepted publickey` line each). */
function acceptedConnections(rig: RemoteRig): number {
  return readFileSync(rig.sshdLogFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('Accepted publickey')).length;
}

async function newConnectionsDuring(rig: RemoteRig, run: () => Promise<unknown>): Promise<number> {
  const before = acceptedConnections(rig);
  await run();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return acceptedConnections(rig) - before;
}

/** The ControlMaster sockets in a control folder. */
function controlSockets(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => statSync(path).isSocket());
  } catch {
    return [];
  }
}

/** The pid of the ssh master behind a control socket, from `ssh -O check`. */
function masterPid(socket: string): number | undefined {
  const check = spawnSync('/usr/bin/ssh', ['-S', socket, '-O', 'check', 'dock'], { encoding: 'utf8', timeout: 5000 });
  const pid = /pid=(\d+)/.exec(`${check.stdout}${check.stderr}`)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

function residentMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

const work = mkdtempSync('/tmp/ssh-bench-');
const agentPids: number[] = [];
let rig: RemoteRig | undefined;
let cleaning: Promise<void> | undefined;

/** Closes every shared connection, the agent and the rig. Safe to call twice. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const dir of rig ? [join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`)] : []) {
      for (const socket of controlSockets(dir)) {
        spawnSync('/usr/bin/ssh', ['-S', socket, '-O', 'exit', 'dock'], { stdio: 'ignore', timeout: 5000 });
      }
    }
    for (const pid of agentPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
    await rig?.stop();
    rmSync(work, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: removing the rig`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  rig = await startRemoteRig();
  const env = rig.clientEnv;
  const shared = sshReuseEnvironment(env);
  const controlDir = join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`);
  const closeSharedConnections = (): void => {
    for (const socket of controlSockets(controlDir)) {
      spawnSync('/usr/bin/ssh', ['-S', socket, '-O', 'exit', 'dock'], { stdio: 'ignore', timeout: 5000 });
    }
  };
  const keyFile = join(rig.clientHome, '.ssh', 'id_ed25519');
  const knownHosts = join(rig.clientHome, '.ssh', 'known_hosts');
  const context = `sshbench${uniqueSuffix()}`;
  // The context lives in the rig client's private HOME, removed with the rig.
  const created = await runBounded('docker', ['context', 'create', context, '--docker', `host=${rig.sshUrl}`], { env });
  if (created.exitCode !== 0) throw new Error(`docker context create failed: ${created.stderr}`);
  const dockerVersion = (through: NodeJS.ProcessEnv) => () =>
    runBounded('docker', ['--context', context, ...versionArgs], { env: through });
  // The remote command node-ssh runs, through the same wrapper: the transports compared on equal work.
  const sshVersion = () => runBounded('ssh', [`root@${rig!.address}`, remoteVersionCommand], { env: shared });
  const nodeSshConnect = { host: rig.address, username: 'root', privateKeyPath: keyFile };

  console.log(`ssh to the rig's dock (sshd on a veth pair, so a handshake is cheap here); ${rounds} rounds, medians\n`);

  const plain: number[] = [];
  const oursCold: number[] = [];
  const oursWarm: number[] = [];
  const sshCold: number[] = [];
  const sshWarm: number[] = [];
  const libraryReports: NodeSshReport[] = [];
  for (let round = 0; round < rounds; round += 1) {
    plain.push(await timed('plain docker version', dockerVersion(env)));
    closeSharedConnections();
    oursCold.push(await timed('docker version, first through the wrapper', dockerVersion(shared)));
    oursWarm.push(await timed('docker version, shared connection open', dockerVersion(shared)));
    closeSharedConnections();
    sshCold.push(await timed('ssh docker version, first through the wrapper', sshVersion));
    sshWarm.push(await timed('ssh docker version, shared connection open', sshVersion));
    const report = await runNodeSsh(env, nodeSshConnect);
    if (report.error) throw new Error(`node-ssh failed: ${report.error}`);
    libraryReports.push(report);
  }
  const pick = (key: 'importMs' | 'connectMs' | 'firstExecMs' | 'warmExecMs'): number =>
    median(libraryReports.map((report) => report[key] ?? Number.NaN));
  const plainMs = median(plain);
  const ratio = (value: number): string => `speed ratio ${(plainMs / value).toFixed(2)} vs plain docker`;
  const libraryFirst = median(libraryReports.map((report) => report.connectMs! + report.firstExecMs!));
  const row = (label: string, value: number, extra = ''): void =>
    console.log(`  ${label.padEnd(62)} ${ms(value)}${extra}`);
  console.log('first connection and one docker call');
  row('plain docker --context X version (a handshake per call)', plainMs);
  row('ours: the same through the ssh wrapper, nothing shared yet', median(oursCold), `   ${ratio(median(oursCold))}`);
  row("ours: ssh DOCK docker version (node-ssh's remote command)", median(sshCold), `   ${ratio(median(sshCold))}`);
  row(
    'node-ssh: connect + exec docker version, in process',
    libraryFirst,
    `   ${ratio(libraryFirst)}   (connect ${pick('connectMs').toFixed(0)} ms + exec ${pick('firstExecMs').toFixed(0)} ms)`,
  );
  row('node-ssh: import of the module, paid by each command', pick('importMs'));
  console.log('a docker call over an open connection');
  row('ours: docker --context X version, shared connection open', median(oursWarm), `   ${ratio(median(oursWarm))}`);
  row('ours: ssh DOCK docker version, shared connection open', median(sshWarm), `   ${ratio(median(sshWarm))}`);
  row('node-ssh: exec docker version on the connected client', pick('warmExecMs'), `   ${ratio(pick('warmExecMs'))}`);
  console.log('a second command (a new process) within 60 s');
  row('ours: docker --context X version, the connection still open', median(oursWarm));
  row('node-ssh: import + connect + exec again', pick('importMs') + libraryFirst);

  // Memory: the Node process with node-ssh loaded and connected, against a bare one; ours loads no SSH
  // code into Node and keeps one ssh master process per dock for 60 s.
  const baselines: number[] = [];
  for (let round = 0; round < 3; round += 1)
    baselines.push(((await runNode(baselineWorker, env)) as { rssMiB: number }).rssMiB);
  closeSharedConnections();
  await timed('docker version through the wrapper', dockerVersion(shared));
  const masters = controlSockets(controlDir)
    .map(masterPid)
    .filter((pid): pid is number => pid !== undefined);
  if (masters.length !== 1) throw new Error(`expected one ssh master, found ${masters.length}`);
  const mib = (label: string, value: number): void => console.log(`  ${label.padEnd(62)} ${value.toFixed(1)} MiB`);
  console.log('\nmemory (resident set)');
  mib('node, nothing loaded', median(baselines));
  mib('node with node-ssh connected, after 6 calls', median(libraryReports.map((report) => report.rssMiB)));
  mib('ours: the ssh master process kept per dock (60 s)', residentMiB(masters[0]!));

  // Features: each one set up for real, with the user's ssh configuration in a HOME of its own.
  const homeWith = (name: string, config: string): NodeJS.ProcessEnv => {
    const home = join(work, name);
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.ssh', 'config'), config);
    return { ...env, HOME: home };
  };
  const hostDefaults = (knownHostsFile: string, identity: string): string =>
    [
      'Host *',
      identity,
      `  UserKnownHostsFile ${knownHostsFile}`,
      '  GlobalKnownHostsFile /dev/null',
      '  BatchMode yes',
      '',
    ].join('\n');
  const keyOnly = `  IdentityFile ${keyFile}\n  IdentitiesOnly yes\n  IdentityAgent none`;
  // Each starts with no shared connection: an open one would let the call skip the checks under test.
  const dockerAt = (host: string, through: NodeJS.ProcessEnv) => {
    closeSharedConnections();
    return runBounded('docker', ['-H', `ssh://${host}`, ...versionArgs], { env: sshReuseEnvironment(through) });
  };
  const features: { feature: string; ours: string; nodeSsh: string }[] = [];

  {
    const ours = await dockerAt(rig.sshAlias, env);
    const fromLibrary = await runNodeSsh(env, { ...nodeSshConnect, host: rig.sshAlias });
    features.push({
      feature: `~/.ssh/config Host alias (ssh://${rig.sshAlias.replace(/-.*/, '-…')})`,
      ours: ours.exitCode === 0 ? 'yes' : `no: ${ours.stderr.trim().split('\n').at(-1)}`,
      nodeSsh: fromLibrary.error ? `no: ${fromLibrary.error}` : 'yes',
    });
  }
  {
    const jumpEnv = homeWith(
      'jump',
      // The jump host is the dock's own sshd under another name (ssh refuses a jump named like its target).
      `Host jumped\n  HostName ${rig.address}\n  User root\n  ProxyJump jumphost\n` +
        `Host jumphost\n  HostName ${rig.address}\n  User root\n` +
        hostDefaults(knownHosts, keyOnly),
    );
    let ours: Awaited<ReturnType<typeof dockerAt>> | undefined;
    const connections = await newConnectionsDuring(rig, async () => (ours = await dockerAt('jumped', jumpEnv)));
    const fromLibrary = await runNodeSsh(jumpEnv, { ...nodeSshConnect, host: 'jumped' });
    features.push({
      feature: 'ProxyJump (through a jump host)',
      ours:
        ours!.exitCode === 0 && connections === 2
          ? 'yes (2 logins at sshd: the jump host, then the dock)'
          : `no: ${ours!.stderr.trim().split('\n').at(-1)}`,
      nodeSsh: fromLibrary.error ? `no: ${fromLibrary.error}` : 'yes',
    });
  }
  {
    const agentSocket = join(work, 'agent.sock');
    const started = execFileSync('ssh-agent', ['-s', '-a', agentSocket], { encoding: 'utf8' });
    agentPids.push(Number(/SSH_AGENT_PID=(\d+)/.exec(started)![1]));
    execFileSync('ssh-add', ['-q', keyFile], { env: { ...env, SSH_AUTH_SOCK: agentSocket }, stdio: 'ignore' });
    // The key is only in the agent: the configured identity file does not exist.
    const agentEnv = homeWith('agent', hostDefaults(knownHosts, `  IdentityFile ${join(work, 'no-such-key')}`));
    const withAgent = { ...agentEnv, SSH_AUTH_SOCK: agentSocket };
    const ours = await dockerAt(`root@${rig.address}`, withAgent);
    const control = await dockerAt(`root@${rig.address}`, agentEnv);
    if (control.exitCode === 0) throw new Error('the agent check logged in without the agent: it proves nothing');
    const byDefault = await runNodeSsh(withAgent, { host: rig.address, username: 'root' });
    const whenPassed = await runNodeSsh(withAgent, { host: rig.address, username: 'root', agent: agentSocket });
    features.push({
      feature: 'the agent (SSH_AUTH_SOCK; key only in the agent)',
      ours: ours.exitCode === 0 ? 'yes' : `no: ${ours.stderr.trim().split('\n').at(-1)}`,
      nodeSsh: byDefault.error
        ? `no: ${byDefault.error}; ${whenPassed.error ? 'not with agent: either' : 'yes when the code passes agent: SSH_AUTH_SOCK'}`
        : 'yes',
    });
  }
  {
    const wrongKey = join(work, 'wrong_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const wrongKnownHosts = join(work, 'wrong_known_hosts');
    const [type, key] = readFileSync(`${wrongKey}.pub`, 'utf8').split(' ');
    writeFileSync(wrongKnownHosts, `${rig.address} ${type} ${key}\n`);
    const changedEnv = homeWith('changed', hostDefaults(wrongKnownHosts, keyOnly));
    const ours = await dockerAt(`root@${rig.address}`, changedEnv);
    const fromLibrary = await runNodeSsh(changedEnv, nodeSshConnect);
    features.push({
      feature: 'known_hosts (the recorded host key differs)',
      ours:
        ours.exitCode !== 0 && /IDENTIFICATION HAS CHANGED|Host key verification failed/.test(ours.stderr)
          ? 'yes: refused (host key verification failed)'
          : 'no: connected',
      nodeSsh: fromLibrary.error ? `yes: refused (${fromLibrary.error})` : 'no: connected, the key is not checked',
    });
  }
  {
    closeSharedConnections();
    const ours = await newConnectionsDuring(rig, async () => {
      await timed('first command', dockerVersion(shared));
      await timed('second command', dockerVersion(shared));
    });
    const fromLibrary = await newConnectionsDuring(rig, async () => {
      for (let command = 0; command < 2; command += 1) {
        const report = await runNodeSsh(env, nodeSshConnect);
        if (report.error) throw new Error(report.error);
      }
    });
    features.push({
      feature: 'one connection reused by separate commands',
      ours: ours === 1 ? 'yes (2 commands, 1 login at sshd)' : `no (2 commands, ${ours} logins)`,
      nodeSsh: fromLibrary === 1 ? 'yes' : `no (2 commands, ${fromLibrary} logins at sshd)`,
    });
  }

  console.log('\nssh features, each tried on the rig');
  const width = Math.max(...features.map((row) => row.feature.length));
  for (const row of features) {
    console.log(`  ${row.feature.padEnd(width)}  ours: ${row.ours}`);
    console.log(`  ${''.padEnd(width)}  node-ssh: ${row.nodeSsh}`);
  }
} finally {
  await cleanUp();
}
