// deploy-image against the plain commands a user would type, in the same run: a 20 MB image as 2
// replicas (one per node) across the local engine (manager) and the rig's engine over ssh (worker),
// from nothing on the worker, timed until both tasks run.
//   plain: docker save IMAGE | ssh DOCK docker load, then docker service create (which waits for the tasks)
// Needs root (it starts the test rig); holds the machine-wide swarm lock and leaves both engines out
// of any swarm. Run: npm run build && node --import=@tapjs/typescript/import bench/swarm.ts
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  docker,
  dockerOk,
  removeLabelled,
  runBin,
  runBounded,
  testLabel,
  uniqueSuffix,
} from '../test/helpers/engine.js';
import { addRigDock, rigDockerOk, startRemoteRig } from '../test/helpers/remote-rig.js';
import { takeSwarmLock } from '../test/helpers/swarm-lock.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const imageMegabytes = Number(process.env.BENCH_IMAGE_MB ?? 20);

const lock = await takeSwarmLock();
if ((await dockerOk(['info', '--format', '{{.Swarm.LocalNodeState}}'])) !== 'inactive')
  throw new Error('the local engine is in a swarm already');
const hadGatewayBridge = (await docker(['network', 'inspect', 'docker_gwbridge'])).exitCode === 0;

const suffix = uniqueSuffix();
const rig = await startRemoteRig();
lock.addEngine(rig.engineSocket);
const work = mkdtempSync('/tmp/swarm-bench-');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  const env = rig.clientEnv;
  const dock = `bench${suffix}`;
  const project = `bench${suffix}`;
  await addRigDock(rig, dock, { env });
  if ((await runBin('dock', ['swarm', 'init'], { env })).exitCode !== 0) throw new Error('swarm init failed');
  if ((await runBin('dock', ['swarm', 'join', dock], { env })).exitCode !== 0) throw new Error('swarm join failed');

  const root = join(work, project);
  mkdirSync(join(root, 'docker', 'app'), { recursive: true });
  writeFileSync(join(root, 'blob.bin'), randomBytes(imageMegabytes * 1024 * 1024));
  writeFileSync(
    join(root, 'docker', 'app', 'Dockerfile'),
    `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY blob.bin /blob.bin\n`,
  );
  writeFileSync(
    join(root, 'docker', 'dockerutils.cfg'),
    '[app]\ncmd = sleep 3600\nreplicas = 2\nmax_per_node = 1\ninit = False\n',
  );
  if ((await runBin('build-image', ['app'], { env, cwd: root, timeoutMs: 180_000 })).exitCode !== 0)
    throw new Error('build failed');
  const reference = `${project}-app:${process.env.USER ?? 'root'}`;
  const imageId = await dockerOk(['image', 'inspect', '--format', '{{.Id}}', reference]);
  const size = Number(await dockerOk(['image', 'inspect', '--format', '{{.Size}}', reference]));

  // From nothing on the worker: no service, and neither the image nor its busybox layers there.
  const reset = async (service: string): Promise<void> => {
    await docker(['service', 'rm', service]);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await rigDockerOk(rig, ['ps', '-aq'])) !== '')
      await new Promise((resolve) => setTimeout(resolve, 300));
    await rigDockerOk(rig, ['image', 'prune', '-af']);
  };
  const timed = async (run: () => Promise<{ exitCode: number; stderr: string }>): Promise<number> => {
    const started = performance.now();
    const result = await run();
    if (result.exitCode !== 0) throw new Error(result.stderr);
    return performance.now() - started;
  };

  // The like-for-like variant: deploy-image attaches the tasks to the project's overlay network.
  const network = `${project}_plainnet`;
  await dockerOk([
    'network',
    'create',
    '--driver',
    'overlay',
    '--attachable',
    '--label',
    `${testLabel}=${suffix}`,
    network,
  ]);
  const plainDeploy = (withNetwork: boolean) => async () => {
    const load = await runBounded(
      'sh',
      ['-c', 'docker save "$1" | ssh -l root -- "$2" docker load', 'sh', reference, rig.address],
      { env, timeoutMs: 300_000 },
    );
    if (load.exitCode !== 0) return load;
    return runBounded(
      'docker',
      [
        'service',
        'create',
        '--quiet',
        '--name',
        `${project}_plain`,
        '--replicas',
        '2',
        '--replicas-max-per-node',
        '1',
        ...(withNetwork ? ['--network', network] : []),
        '--no-resolve-image',
        imageId,
        'sleep',
        '3600',
      ],
      { env, timeoutMs: 300_000 },
    );
  };
  const ours: number[] = [];
  const plain: number[] = [];
  const plainNetwork: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await reset(`${project}_app`);
    ours.push(await timed(() => runBin('deploy-image', ['app'], { env, cwd: root, timeoutMs: 300_000 })));
    await reset(`${project}_app`);
    plain.push(await timed(plainDeploy(false)));
    await reset(`${project}_plain`);
    plainNetwork.push(await timed(plainDeploy(true)));
    await reset(`${project}_plain`);
  }
  const rows: [string, number[]][] = [
    ['deploy-image', ours],
    ['docker save | ssh docker load; service create', plain],
    ['the same, service create --network OVERLAY', plainNetwork],
  ];
  console.log(
    `image ${(size / 1e6).toFixed(1)} MB, 2 replicas on 2 nodes (local manager, rig worker over ssh), ${rounds} rounds, medians`,
  );
  for (const [label, values] of rows)
    console.log(
      `${label.padEnd(48)} ${median(values).toFixed(0).padStart(6)} ms   (rounds: ${values.map((ms) => ms.toFixed(0)).join(', ')})`,
    );
  console.log(`speed ratio, plain / ours                        ${(median(plain) / median(ours)).toFixed(2)}`);
  console.log(`speed ratio, plain with the network / ours       ${(median(plainNetwork) / median(ours)).toFixed(2)}`);
  await docker(['network', 'rm', network]);
} finally {
  await docker(['-H', rig.engineSocket, 'swarm', 'leave', '--force'], { timeoutMs: 30_000 });
  await docker(['swarm', 'leave', '--force'], { timeoutMs: 60_000 });
  if (!hadGatewayBridge) await docker(['network', 'rm', 'docker_gwbridge']);
  await removeLabelled(`${testLabel}=${suffix}`);
  await rig.stop();
  rmSync(work, { recursive: true, force: true });
  await lock.release();
}
