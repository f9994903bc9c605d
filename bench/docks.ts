// Dock benchmarks against the plain docker commands over the same dock, in the same run:
//   1. run-image --dock (one docker call; cold = SSH handshake included, warm = shared connection kept)
//   2. ls-containers --dock against docker --context DOCK ps, cold and warm
//   3. a command making several docker calls (dock ls --check: ssh probe + docker version)
//   4. transfer-image against `docker save | gzip | ssh DOCK 'gunzip | docker load'` on a ~300 MB image
// Needs root (it starts the test rig). Run: npm run build && node --import=@tapjs/typescript/import bench/docks.ts
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeLabelled, runBin, runBounded, testLabel, uniqueSuffix } from '../test/helpers/engine.js';
import { loadImageIntoRig, rigDockerOk, startRemoteRig } from '../test/helpers/remote-rig.js';

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

const suffix = uniqueSuffix();
const rig = await startRemoteRig();
const work = mkdtempSync('/tmp/dock-bench-');
try {
  const env = rig.clientEnv;
  const dock = `bench${suffix}`;
  const controlDir = join(rig.clientRuntimeDir, `dockerutils-ssh-${process.getuid!()}`);
  const closeSharedConnections = (): void => rmSync(controlDir, { recursive: true, force: true });
  if ((await runBin('dock', ['add', dock, rig.sshUrl], { env })).exitCode !== 0) throw new Error('dock add failed');
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
        if (temperature === 'cold') closeSharedConnections();
        oursMs.push(await timed(label, ours));
        plainMs.push(await timed(`plain ${label}`, plain));
      }
      line(`${label} (${temperature})`, median(oursMs), median(plainMs));
    }
  };
  await coldAndWarm(
    'run-image hello --dock',
    () => runBin('run-image', ['hello', '--dock', dock], { env, cwd: project }),
    () => runBounded('docker', plainRun, { env }),
  );
  // Outside a project (work), so ls-containers lists the whole engine as docker ps does.
  await coldAndWarm(
    'ls-containers --dock',
    () => runBin('ls-containers', ['--dock', dock], { env, cwd: work }),
    () => runBounded('docker', ['--context', dock, 'ps'], { env }),
  );

  {
    const ours: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      closeSharedConnections();
      ours.push(await timed('dock ls --check', () => runBin('dock', ['ls', '--check', dock], { env })));
      // The same two calls, plain: an ssh probe, then a docker call, each with its own handshake.
      plain.push(
        await timed('plain check', async () => {
          const probe = await runBounded(
            'ssh',
            ['-o', 'BatchMode=yes', '-l', 'root', '--', rig.address, 'docker', 'version'],
            { env },
          );
          return probe.exitCode !== 0 ? probe : runBounded('docker', ['--context', dock, 'version'], { env });
        }),
      );
    }
    line('dock ls --check (2 calls, cold)', median(ours), median(plain));
  }

  {
    const many = ['ps', 'images', 'info', 'volume ls', 'network ls'].map((verb) => verb.split(' '));
    const ours: number[] = [];
    const plain: number[] = [];
    const { sshReuseEnvironment } = await import('../src/docker/ssh-reuse.js');
    for (let round = 0; round < rounds; round += 1) {
      closeSharedConnections();
      const shared = sshReuseEnvironment(env);
      ours.push(
        await timed('5 calls shared', async () => {
          for (const args of many) await runBounded('docker', ['--context', dock, ...args], { env: shared });
          return { exitCode: 0, stderr: '' };
        }),
      );
      plain.push(
        await timed('5 calls plain', async () => {
          for (const args of many) await runBounded('docker', ['--context', dock, ...args], { env });
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
        await timed('transfer-image', () => runBin('transfer-image', [reference, dock], { env, timeoutMs: 600_000 })),
      );
      await rigDockerOk(rig, ['image', 'rm', '-f', reference]);
      plain.push(
        await timed('plain pipeline', () =>
          runBounded('sh', ['-c', pipeline, 'sh', reference, rig.address], { env, timeoutMs: 600_000 }),
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
