// Dock benchmarks against the plain docker commands over the same dock (the test rig: a second engine
// behind a stock sshd), in the same run. Parts (all by default, or name them as arguments):
//   calls:   run-image --dock and ls-containers --dock, cold (SSH handshake included) and warm (shared
//            connection kept); dock ls --check (two calls); five docker calls in a row; transfer-image
//            against `docker save | gzip | ssh DOCK 'gunzip | docker load'` on a ~300 MB image
//   scale:   logs-all + stats-all following BENCH_DOCK_IDLE (200) idle containers on the dock: memory and
//            CPU of every local process (ssh included), TCP connections, lines lost or repeated, and the
//            latency from a container's print to its file; beside them the plain CLI doing the same
//   several: ls-containers --dock A --dock B --dock C against the slowest of the three alone
// Needs root (it starts rigs). Run: npm run build && node --import=@tapjs/typescript/import bench/docks.ts [part...]
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { execa, type ResultPromise } from 'execa';
import { measure, type Measured } from './measure.js';
import { waitFor } from '../test/helpers/wait.js';
import { sshReuseEnvironment } from '../src/docker/ssh-reuse.js';
import { join } from 'node:path';
import {
  removeLabelled,
  repoRoot,
  runBin,
  runBounded,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
  type BoundedOptions,
} from '../test/helpers/engine.js';
import {
  addRigDock,
  loadImageIntoRig,
  rigDockerOk,
  rigSshConnections,
  rigSshMasters,
  startRemoteRig,
} from '../test/helpers/remote-rig.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const imageMegabytes = Number(process.env.BENCH_IMAGE_MB ?? 300);

async function timed(what: string, run: () => Promise<{ exitCode: number; stderr: string }>): Promise<number> {
  const started = performance.now();
  const result = await run();
  if (result.exitCode !== 0) throw new Error(`${what} failed: ${result.stderr}`);
  return performance.now() - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const line = (label: string, ours: number, plain: number): void =>
  console.log(
    `${label.padEnd(44)} ours ${ours.toFixed(0).padStart(6)} ms   plain docker ${plain.toFixed(0).padStart(6)} ms   speed ratio ${(plain / ours).toFixed(2)}`,
  );

async function calls(): Promise<void> {
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig();
  const work = mkdtempSync('/tmp/dock-bench-');
  try {
    const client = rig.client;
    const dock = `bench${suffix}`;
    // As after the shared connection's idle time: its master ends; what it left in the control folder stays.
    const closeSharedConnections = async (): Promise<void> => {
      for (const pid of rigSshMasters(rig)) process.kill(pid, 'SIGTERM');
      await waitFor('the shared connections to end', () => rigSshMasters(rig).length === 0, 10_000);
    };
    await addRigDock(rig, dock, client);
    await loadImageIntoRig(rig, 'busybox:latest');
    const project = join(work, `bench${suffix}`);
    mkdirSync(join(project, 'docker', 'hello'), { recursive: true });
    writeFileSync(join(project, 'docker', 'hello', 'Dockerfile'), 'FROM busybox\n');
    writeFileSync(
      join(project, 'docker', 'dockerutils.cfg'),
      '[hello]\nname = busybox\nprefix = False\ntag = latest\nnetwork = none\ninit = False\ncmd = true\n',
    );
    const plainRun = ['--context', dock, 'run', '--rm', '--network', 'none', 'busybox:latest', 'true'];
    console.log(`dock: rig engine over ssh on a veth pair; ${rounds} rounds each, medians\n`);

    // cold: the shared connection is closed before each round, so ours pays the handshake as plain docker does.
    const coldAndWarm = async (
      label: string,
      ours: () => Promise<{ exitCode: number; stderr: string }>,
      plain: () => Promise<{ exitCode: number; stderr: string }>,
    ): Promise<void> => {
      for (const temperature of ['cold', 'warm'] as const) {
        const oursMs: number[] = [];
        const plainMs: number[] = [];
        for (let round = 0; round < rounds; round += 1) {
          if (temperature === 'cold') await closeSharedConnections();
          oursMs.push(await timed(label, ours));
          plainMs.push(await timed(`plain ${label}`, plain));
        }
        line(`${label} (${temperature})`, median(oursMs), median(plainMs));
      }
    };
    await coldAndWarm(
      'run-image hello --dock',
      () => runBin('run-image', ['hello', '--dock', dock], { ...client, cwd: project }),
      () => runBounded('docker', plainRun, client),
    );
    // Outside a project (work), so ls-containers lists the whole engine as docker ps does.
    await coldAndWarm(
      'ls-containers --dock',
      () => runBin('ls-containers', ['--dock', dock], { ...client, cwd: work }),
      () => runBounded('docker', ['--context', dock, 'ps'], client),
    );

    {
      const ours: number[] = [];
      const plain: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        await closeSharedConnections();
        ours.push(await timed('dock ls --check', () => runBin('dock', ['ls', '--check', dock], client)));
        // The same two calls, plain: an ssh probe, then a docker call, each with its own handshake.
        plain.push(
          await timed('plain check', async () => {
            const probe = await runBounded(
              'ssh',
              ['-o', 'BatchMode=yes', '-l', 'root', '--', rig.address, 'docker', 'version'],
              client,
            );
            return probe.exitCode !== 0 ? probe : runBounded('docker', ['--context', dock, 'version'], client);
          }),
        );
      }
      line('dock ls --check (2 calls, cold)', median(ours), median(plain));
    }

    {
      const many = ['ps', 'images', 'info', 'volume ls', 'network ls'].map((verb) => verb.split(' '));
      const ours: number[] = [];
      const plain: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        await closeSharedConnections();
        const shared = { ...client, env: sshReuseEnvironment(client.env!) };
        ours.push(
          await timed('5 calls shared', async () => {
            for (const args of many) await runBounded('docker', ['--context', dock, ...args], shared);
            return { exitCode: 0, stderr: '' };
          }),
        );
        plain.push(
          await timed('5 calls plain', async () => {
            for (const args of many) await runBounded('docker', ['--context', dock, ...args], client);
            return { exitCode: 0, stderr: '' };
          }),
        );
      }
      line('5 docker calls in a row (cold)', median(ours), median(plain));
    }

    {
      const blobProject = join(work, `blob${suffix}`);
      mkdirSync(join(blobProject, 'docker', 'blob'), { recursive: true });
      writeFileSync(join(blobProject, 'blob.bin'), randomBytes(imageMegabytes * 1024 * 1024));
      writeFileSync(
        join(blobProject, 'docker', 'blob', 'Dockerfile'),
        `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY blob.bin /blob.bin\n`,
      );
      const reference = `bench-blob-${suffix}:1`;
      const built = await runBounded('docker', ['build', '-q', '-t', reference, '-f', 'docker/blob/Dockerfile', '.'], {
        cwd: blobProject,
        timeoutMs: 300_000,
      });
      if (built.exitCode !== 0) throw new Error(built.stderr);
      const transferRounds = Math.max(2, Math.min(rounds, 3));
      const ours: number[] = [];
      const plain: number[] = [];
      const pipeline = `docker save "$1" | gzip | ssh -l root -- "$2" 'gunzip | docker load'`;
      for (let round = 0; round < transferRounds; round += 1) {
        await rigDockerOk(rig, ['image', 'rm', '-f', reference]).catch(() => undefined);
        ours.push(
          await timed('transfer-image', () =>
            runBin('transfer-image', [reference, dock], { ...client, timeoutMs: 600_000 }),
          ),
        );
        await rigDockerOk(rig, ['image', 'rm', '-f', reference]);
        plain.push(
          await timed('plain pipeline', () =>
            runBounded('sh', ['-c', pipeline, 'sh', reference, rig.address], { ...client, timeoutMs: 600_000 }),
          ),
        );
      }
      const megabytes = imageMegabytes + 4;
      line(`transfer-image, ${megabytes} MB image`, median(ours), median(plain));
      console.log(
        `${''.padEnd(44)} ours ${(megabytes / (median(ours) / 1000)).toFixed(1)} MB/s   plain ${(megabytes / (median(plain) / 1000)).toFixed(1)} MB/s`,
      );
    }
  } finally {
    await rig.stop();
    await removeLabelled(`${testLabel}=${suffix}`);
    rmSync(work, { recursive: true, force: true });
  }
}

const idleCount = Number(process.env.BENCH_DOCK_IDLE ?? 200);
const cpuSeconds = Number(process.env.BENCH_CPU_SECONDS ?? 30);

/** Numbers printed one a line, read back from a logs-all file: how many are missing or twice. */
function lostAndRepeated(dir: string, name: string): { lines: number; lost: number; repeated: number } {
  const file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}.log`));
  const numbers = (file ? readFileSync(join(dir, file), 'utf8').split('\n') : [])
    .map((text) => / stdout (\d+)$/.exec(text)?.[1])
    .filter((value): value is string => value !== undefined)
    .map(Number);
  const seen = new Set(numbers);
  const highest = Math.max(0, ...numbers);
  return { lines: numbers.length, lost: highest - seen.size, repeated: numbers.length - seen.size };
}

async function scale(): Promise<void> {
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig();
  const work = mkdtempSync('/tmp/dock-bench-');
  const dock = `scale${suffix}`;
  try {
    const client = { ...rig.client, cwd: work };
    await addRigDock(rig, dock, client);
    await loadImageIntoRig(rig, 'busybox:latest');
    const names = Array.from({ length: idleCount }, (_, index) => `bench-idle-${index}-${suffix}`);
    for (let first = 0; first < names.length; first += 10) {
      await Promise.all(
        names
          .slice(first, first + 10)
          .map((name) => rigDockerOk(rig, testContainerArgs(suffix, name, ['sleep', '3600']))),
      );
    }
    // Two that print: a counter (lines lost or repeated) and a clock (the delay until its line is in its file).
    const counter = `bench-counter-${suffix}`;
    const clock = `bench-clock-${suffix}`;
    await rigDockerOk(
      rig,
      testContainerArgs(suffix, counter, ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.05; done']),
    );
    await rigDockerOk(
      rig,
      testContainerArgs(suffix, clock, ['sh', '-c', 'while true; do cat /proc/uptime; sleep 0.1; done']),
    );

    const dir = join(work, 'ours');
    const scope = ['--dock', dock, '--all', '--name', `bench-*-${suffix}`, '--dir', dir];
    const ours = [spawnDetached('logs-all', [...scope, '-q'], client), spawnDetached('stats-all', scope, client)];
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const delays = await clockDelays(dir, clock);
    // The whole, and its parts over the same window: where the CPU goes. Once with every container
    // idle (the two that print paused), once with those two printing 30 lines a second between them.
    const measureParts = () =>
      Promise.all([
        measure(() => [...ours.map((child) => child.pid!), ...rigSshMasters(rig)], cpuSeconds),
        measure([ours[0]!.pid!], cpuSeconds),
        measure([ours[1]!.pid!], cpuSeconds),
        measure(() => rigSshMasters(rig), cpuSeconds),
      ]);
    await rigDockerOk(rig, ['pause', counter, clock]);
    const [measured, logsPart, statsPart, sshPart] = await measureParts();
    await rigDockerOk(rig, ['unpause', counter, clock]);
    const [printing, printingLogs, printingStats, printingSsh] = await measureParts();
    const connections = await rigSshConnections(rig);
    for (const child of ours) child.kill('SIGTERM');
    await Promise.all(ours);
    const counted = lostAndRepeated(dir, counter);

    // The plain CLI doing the same: a docker logs -f per container and one docker stats, each over
    // ssh, measured with every container idle as ours first was.
    const plainNames = [...names, counter, clock];
    const plain = [
      ...plainNames.map((name) => spawnPlain(['--context', dock, 'logs', '-f', '--timestamps', name], client)),
      spawnPlain(['--context', dock, 'stats', '--format', '{{json .}}', ...plainNames], client),
    ];
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    await rigDockerOk(rig, ['pause', counter, clock]);
    const plainMeasured = await measure(() => plain.map((child) => child.pid!), cpuSeconds);
    const plainConnections = await rigSshConnections(rig);
    const plainFailed = plain.filter((child) => child.exitCode !== null).length;
    for (const child of plain) child.kill('SIGKILL');
    await Promise.all(plain);

    const row = (what: string, found: Measured, tcp: number, note: string): void =>
      console.log(
        `  ${what.padEnd(40)} PSS ${found.pssMegabytes.toFixed(0).padStart(5)} MB   CPU ${found.cpuPercent.toFixed(1).padStart(5)} % of a core   ${tcp} TCP connections   ${found.processes} processes${note}`,
      );
    console.log(
      `following logs and stats of ${idleCount} idle containers on a dock (stock sshd), over ${cpuSeconds} s:`,
    );
    row(
      `${plainNames.length} docker logs -f + docker stats`,
      plainMeasured,
      plainConnections,
      `   (${plainFailed} of ${plain.length} had ended: refused by sshd)`,
    );
    row('logs-all + stats-all (ssh included)', measured, connections, '');
    const parts = (whole: Measured, logs: Measured, stats: Measured, ssh: Measured): string =>
      `CPU ${whole.cpuPercent.toFixed(1)} %: logs-all ${logs.cpuPercent.toFixed(1)} %, stats-all ${stats.cpuPercent.toFixed(1)} %, the shared ssh connection ${ssh.cpuPercent.toFixed(1)} %`;
    console.log(`    every container idle: ${parts(measured, logsPart, statsPart, sshPart)}`);
    console.log(
      `    two of them printing 30 lines a second: ${parts(printing, printingLogs, printingStats, printingSsh)}`,
    );
    console.log(`  counter: ${counted.lines} lines, ${counted.lost} lost, ${counted.repeated} repeated`);
    const sorted = [...delays].sort((a, b) => a - b);
    const at = (fraction: number): number =>
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
    console.log(
      `  latency, print on the dock -> line in its file: median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms (${sorted.length} lines)`,
    );
  } finally {
    await rig.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function spawnDetached(bin: string, args: readonly string[], client: BoundedOptions): ResultPromise {
  const [program, argv] = clientArgv(process.execPath, [join(repoRoot, 'bin', `${bin}.js`), ...args], client);
  return execa(program, argv, { env: client.env, cwd: client.cwd, reject: false, stdout: 'ignore', stderr: 'ignore' });
}

function spawnPlain(args: readonly string[], client: BoundedOptions): ResultPromise {
  const [program, argv] = clientArgv('docker', args, client);
  return execa(program, argv, { env: client.env, cwd: client.cwd, reject: false, stdout: 'ignore', stderr: 'ignore' });
}

// The rig's client home mounted over the user's, as runBounded does it for a command that runs to its end.
function clientArgv(file: string, args: readonly string[], client: BoundedOptions): [string, string[]] {
  return [
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$1" "$2" && shift 2 && exec "$@"',
      'sh',
      client.home!,
      userInfo().homedir,
      file,
      ...args,
    ],
  ];
}

// The kernel's uptime is the same clock in a container of the rig and here.
async function clockDelays(dir: string, name: string): Promise<number[]> {
  const delays: number[] = [];
  const seen = new Set<string>();
  const deadline = Date.now() + 20_000;
  // Lines in the file before the first look were not seen arriving: they only fill `seen`.
  let first = true;
  while (Date.now() < deadline && delays.length < 150) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const file = readdirSync(dir).find((entry) => entry.endsWith(`-${name}.log`));
    if (!file) continue;
    const now = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    for (const printed of readFileSync(join(dir, file), 'utf8').matchAll(/ stdout (\d+\.\d+) /g)) {
      if (seen.has(printed[1]!)) continue;
      seen.add(printed[1]!);
      if (!first) delays.push((now - Number(printed[1])) * 1000);
    }
    first = false;
  }
  return delays;
}

async function several(): Promise<void> {
  const rigs = await Promise.all([startRemoteRig(), startRemoteRig(), startRemoteRig()]);
  const work = mkdtempSync('/tmp/dock-bench-');
  try {
    const suffix = uniqueSuffix();
    const docks = rigs.map((_, index) => `several${index}${suffix}`);
    // Each rig has its own client home; the first one's knows the others' host keys too.
    const client = { ...rigs[0]!.client, cwd: work };
    const knownHosts = join(rigs[0]!.clientHome, '.ssh', 'known_hosts');
    appendFileSync(
      knownHosts,
      rigs
        .slice(1)
        .map((rig) => `${rig.knownHostLine}\n`)
        .join(''),
    );
    const firstKey = readFileSync(join(rigs[0]!.clientHome, '.ssh', 'id_ed25519.pub'), 'utf8');
    for (const rig of rigs.slice(1)) rig.authorizeRootKey(firstKey);
    for (const [index, rig] of rigs.entries()) {
      await addRigDock(rig, docks[index]!, client);
    }
    const alone: number[][] = docks.map(() => []);
    const together: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [index, dock] of docks.entries()) {
        alone[index]!.push(
          await timed(`ls-containers --dock ${dock}`, () => runBin('ls-containers', ['--all', '--dock', dock], client)),
        );
      }
      together.push(
        await timed('ls-containers on three docks', () =>
          runBin('ls-containers', ['--all', ...docks.flatMap((dock) => ['--dock', dock])], client),
        ),
      );
    }
    // The plain CLI beside it: docker ps on each dock alone, then on the three at once.
    const shared = { ...client, env: sshReuseEnvironment(client.env!) };
    const plainAlone: number[][] = docks.map(() => []);
    const plainTogether: number[] = [];
    const plainPs = (dock: string): Promise<{ exitCode: number; stderr: string }> =>
      runBounded('docker', ['--context', dock, 'ps', '-a'], shared);
    for (let round = 0; round < rounds; round++) {
      for (const [index, dock] of docks.entries()) {
        plainAlone[index]!.push(await timed(`docker --context ${dock} ps`, () => plainPs(dock)));
      }
      plainTogether.push(
        await timed('docker ps on three docks', async () => {
          const results = await Promise.all(docks.map(plainPs));
          return results.find((result) => result.exitCode !== 0) ?? results[0]!;
        }),
      );
    }
    const report = (what: string, each: number[][], all: number[]): void => {
      const slowest = Math.max(...each.map(median));
      console.log(`  ${what}, each dock alone: ${each.map((times) => `${median(times).toFixed(0)} ms`).join(', ')}`);
      console.log(
        `  ${what}, the three docks: ${median(all).toFixed(0)} ms = ${(median(all) / slowest).toFixed(2)}x the slowest alone`,
      );
    };
    console.log(`listing three docks, warm shared connections, ${rounds} rounds, medians:`);
    report('ls-containers (--dock A --dock B --dock C; target <= 1.3x)', alone, together);
    report('docker --context D ps -a (three at once)', plainAlone, plainTogether);
  } finally {
    await Promise.all(rigs.map((rig) => rig.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

const parts = process.argv.slice(2);
const wanted = (part: string): boolean => parts.length === 0 || parts.includes(part);
if (wanted('calls')) await calls();
if (wanted('scale')) await scale();
if (wanted('several')) await several();
