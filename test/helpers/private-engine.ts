// A private dockerd for tests that must kill or restart the engine: the main engine is shared and is
// never restarted by a test. Own data-root, exec-root (so its own containerd), pidfile and socket; no
// bridge and no iptables, so it touches nothing of the host's networking.
import { execa, type ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerOk, loadImageOnto, runBounded, uniqueSuffix } from './engine.js';
import { privateDaemonArgs, unmountUnder } from './daemon-dirs.js';

/** A running private engine and the means to kill, restart and remove it. */
export interface PrivateEngine {
  /** `unix:///tmp/.../docker.sock`, for DOCKER_HOST or `docker -H`. */
  readonly host: string;
  /** The process environment with DOCKER_HOST pointing at this engine. */
  readonly env: NodeJS.ProcessEnv;
  /** SIGKILL of dockerd alone (its containerd and containers stay, as after a crash). */
  kill(): Promise<void>;
  /** Starts dockerd again on the same folders and waits until it answers. */
  start(): Promise<void>;
  /** Kills every daemon it started, unmounts what it left and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of `startPrivateEngine`. */
export interface PrivateEngineOptions {
  /** Keep containers running while dockerd is down (`--live-restore`). */
  readonly liveRestore?: boolean;
}

const answerWaitMs = 60_000;

/** Starts a private dockerd as root; every step is bounded, and a failed start cleans up after itself. */
export async function startPrivateEngine(options: PrivateEngineOptions = {}): Promise<PrivateEngine> {
  if (process.getuid?.() !== 0) throw new Error('a private dockerd needs root: run the tests as root');
  // Short: unix socket paths are limited to 108 bytes. The recorded suffix tells the suite's clean-up whose it is.
  const name = `dupe-${uniqueSuffix()}`;
  const dir = `/tmp/${name}`;
  mkdirSync(dir, { mode: 0o700 });
  const host = `unix://${join(dir, 'docker.sock')}`;
  // Not the host's /etc/docker/daemon.json: its settings (bridge, registries) are not this engine's.
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  const args = [
    ...privateDaemonArgs(dir, host),
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--log-level',
    'warn',
    // Its containers' cgroups under a parent of their own, where the suite's clean-up finds them.
    '--cgroup-parent',
    name,
    ...(options.liveRestore ? ['--live-restore'] : []),
  ];
  let daemon: ResultPromise | undefined;
  let stopped = false;

  const start = async (): Promise<void> => {
    // A pidfile left by a killed dockerd can make the next one refuse to start.
    rmSync(join(dir, 'docker.pid'), { force: true });
    // Its own network namespace: a dockerd started with --bridge=none deletes the docker0 interface of
    // its namespace, which in the host's would be the main engine's bridge. unshare execs dockerd, so
    // the pid is dockerd's.
    daemon = execa('unshare', ['--net', 'dockerd', ...args], {
      stdin: 'ignore',
      stdout: { file: join(dir, 'dockerd.log') },
      stderr: { file: join(dir, 'dockerd.log') },
      reject: false,
      cleanup: true,
    });
    let exited = false;
    daemon.then(
      () => (exited = true),
      () => (exited = true),
    );
    const deadline = Date.now() + answerWaitMs;
    while (Date.now() < deadline && !exited) {
      const result = await runBounded('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], {
        timeoutMs: 10_000,
      }).catch(() => undefined);
      if (result?.exitCode === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const log = existsSync(join(dir, 'dockerd.log'))
      ? readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n')
      : '';
    throw new Error(
      `the private dockerd at ${host} ${exited ? 'exited' : `did not answer within ${answerWaitMs} ms`}\n${log}`,
    );
  };

  const kill = async (): Promise<void> => {
    const running = daemon;
    daemon = undefined;
    if (!running) return;
    running.kill('SIGKILL');
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // A killed dockerd is started again so that it removes its containers itself.
    if (!daemon) await start().catch(() => undefined);
    if (daemon) {
      // Removing the containers first keeps dockerd's shutdown quick (it would stop each with a grace period).
      const listed = await runBounded('docker', ['-H', host, 'ps', '-aq'], { timeoutMs: 10_000 }).catch(
        () => undefined,
      );
      const ids = listed?.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean) : [];
      if (ids.length > 0)
        await runBounded('docker', ['-H', host, 'rm', '-f', ...ids], { timeoutMs: 30_000 }).catch(() => undefined);
    }
    await kill();
    // dockerd's containerd, and the shims of containers it kept, outlive a killed dockerd.
    for (const pid of processesUnder(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, env: { ...process.env, DOCKER_HOST: host, DOCKER_CONTEXT: '' }, kill, start, stop };
}

/** Loads an image of the main engine into a private one. */
export function loadImageInto(engine: PrivateEngine, reference: string): Promise<void> {
  return loadImageOnto(engine.host, reference);
}

/** One docker call on a private engine; returns trimmed stdout, throws on failure. */
export function privateDockerOk(engine: PrivateEngine, args: readonly string[]): Promise<string> {
  return dockerOk(['-H', engine.host, ...args], { timeoutMs: 60_000 });
}

// containerd and its shims: every process whose command line names the engine's folder.
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of execFileSync('ls', ['/proc'], { encoding: 'utf8' }).split('\n')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}
