// A two-node swarm: the local engine as manager, the rig's engine (behind its sshd) as worker. Swarm
// mode changes the shared engine, so the whole file runs under a machine-wide lock, and teardown
// takes both engines out of any swarm, failed or not.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { addRigDock, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';
import { startLocalRegistry, waitForRegistry } from '../../helpers/registry.js';
import { takeSwarmLock } from '../../helpers/swarm-lock.js';

/** Forwards TCP connections from one address to another, in this process; closed with the returned function. */
async function forward(listenHost: string, port: number, targetHost: string): Promise<() => Promise<void>> {
  const server: Server = createServer((socket) => {
    const upstream = connect(port, targetHost);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, listenHost, resolve));
  return () => new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A registry both engines reach as 127.0.0.1:PORT, which each trusts without TLS: Debian's registry on this
 * machine's loopback, reached from the rig's namespace through a forwarder there and one on the veth address here.
 */
async function startRegistry(t: Test, rig: { hostAddress: string; namespace: string }, port: number): Promise<void> {
  startLocalRegistry(t, t.testdir(), port);
  t.teardown(await forward(rig.hostAddress, port, '127.0.0.1'));
  const script = `require('net').createServer((s) => { const u = require('net').connect(${port}, '${rig.hostAddress}'); s.pipe(u).pipe(s); s.on('error', () => u.destroy()); u.on('error', () => s.destroy()); }).listen(${port}, '127.0.0.1')`;
  const inside = execa('nsenter', [`--net=/run/netns/${rig.namespace}`, process.execPath, '-e', script], {
    reject: false,
    stdin: 'ignore',
  });
  t.teardown(async () => {
    inside.kill('SIGKILL');
    await inside;
  });
  await waitForRegistry(rig.hostAddress, port);
}

async function swarmState(args: readonly string[] = []): Promise<string> {
  return dockerOk([...args, 'info', '--format', '{{.Swarm.LocalNodeState}}']);
}

async function httpGet(address: string, port: number): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`http://${address}:${port}/`, { signal: AbortSignal.timeout(3000) });
      return (await response.text()).trim();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

// The lock may be held by another run for minutes, and the swarm steps are slow on a loaded machine:
// the runner's timeout (package.json) would kill the process before its own bounds do.
t.setTimeout(1_500_000);

t.test('docks as a swarm: init, join, deploy, update in place, watch, undeploy, leave', async (t) => {
  await requireEngine();
  const lock = await takeSwarmLock();
  t.teardown(lock.release);
  if ((await swarmState()) !== 'inactive')
    throw new Error('the local engine is in a swarm already: `docker swarm leave --force` if a test left it so');
  const hadGatewayBridge = (await docker(['network', 'inspect', 'docker_gwbridge'])).exitCode === 0;
  const suffix = uniqueSuffix();
  const project = `p${suffix}`;
  const rig = await startRemoteRig();
  lock.addEngine(rig.engineSocket);
  // Last registered, first run: the rig's engine leaves before it stops, then the manager.
  t.teardown(rig.stop);
  t.teardown(async () => {
    await docker(['-H', rig.engineSocket, 'swarm', 'leave', '--force'], { timeoutMs: 30_000 });
    await docker(['swarm', 'leave', '--force'], { timeoutMs: 60_000 });
    if (!hadGatewayBridge) await docker(['network', 'rm', 'docker_gwbridge']);
    await removeLabelled(`${testLabel}=${suffix}`);
  });
  t.teardown(async () => {
    const services = (await docker(['service', 'ls', '-q', '--filter', `label=dockerutils.project=${project}`])).stdout;
    for (const id of services.split('\n').filter(Boolean)) await docker(['service', 'rm', id]);
  });

  const env = { ...rig.clientEnv, LOGNAME: 'tester', SWARM_SECRET: `s3cret-${suffix}` };
  const home = rig.clientHome;
  const dock = `w${suffix}`;
  await addRigDock(rig, dock, { env, home });

  // A 1 MB image: busybox's httpd answers with MODE and the container's hostname.
  const root = join(t.testdir(), project);
  mkdirSync(join(root, 'docker', 'web'), { recursive: true });
  writeFileSync(join(root, 'blob.bin'), randomBytes(1024 * 1024));
  writeFileSync(
    join(root, 'docker', 'web', 'Dockerfile'),
    `FROM busybox\nLABEL ${testLabel}=${suffix}\nCOPY blob.bin /blob.bin\nRUN mkdir /w\n`,
  );
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const registryPort = port + 1;
  const cfg = (mode: string): string =>
    [
      '[web]',
      `ports = -p ${port}:8080`,
      `environment = -e MODE=${mode} -e SECRET=$SWARM_SECRET`,
      'cmd = sh -c "echo $$MODE $$(hostname) > /w/index.html; exec httpd -f -p 8080 -h /w"',
      'replicas = 2',
      'max_per_node = 1',
      'publish_mode = host',
      'endpoint_mode = dnsrr',
      '',
      '[nowhere]',
      'name = web',
      'placement = node.labels.nowhere==true',
      'cmd = sleep 600',
      '',
      '[pub]',
      'name = web',
      `publication_tag = 127.0.0.1:${registryPort}/{image}:{tag}`,
      'cmd = sleep 600',
      'replicas = 2',
      'max_per_node = 1',
      '',
      '[run_image]',
      'synthetic_images = nowhere, pub',
      '',
    ].join('\n');
  writeFileSync(join(root, 'docker', 'dockerutils.cfg'), cfg('one'));
  const built = await runBin('build-image', ['web'], { env, home, cwd: root, timeoutMs: 120_000 });
  t.equal(built.exitCode, 0, built.stderr);
  const reference = `${project}-web:tester`;
  const imageId = await dockerOk(['image', 'inspect', '--format', '{{.Id}}', reference]);
  const service = `${project}_web`;
  const bin = (name: string, args: readonly string[], timeoutMs = 60_000) =>
    runBin(name, args, { env, home, cwd: root, timeoutMs });

  await t.test('init makes the local engine a manager advertising the address the dock reaches', async (t) => {
    const init = await bin('dock', ['swarm', 'init']);
    t.equal(init.exitCode, 0, init.stderr);
    t.match(init.stderr, `docker swarm init --advertise-addr ${rig.hostAddress}`);
    t.equal(await swarmState(), 'active');
    t.equal(await dockerOk(['info', '--format', '{{.Swarm.NodeAddr}}']), rig.hostAddress);
  });

  await t.test('join sends the token from engine to engine, never printed', async (t) => {
    const join = await bin('dock', ['swarm', 'join', dock]);
    t.equal(join.exitCode, 0, join.stderr);
    t.match(
      join.stderr,
      `docker --context ${dock} swarm join --token "$(docker swarm join-token -q worker)" ${rig.hostAddress}:2377`,
    );
    const token = await dockerOk(['swarm', 'join-token', '-q', 'worker']);
    t.notMatch(join.stdout + join.stderr, token, 'the token is nowhere in the output');
    t.equal(await swarmState(['-H', rig.engineSocket]), 'active');

    const again = await bin('dock', ['swarm', 'join', dock]);
    t.equal(again.exitCode, 0, again.stderr);
    t.match(again.stderr, 'already');
  });

  await t.test('ls shows each node with its dock', async (t) => {
    const listed = await bin('dock', ['swarm', 'ls', '--json']);
    t.equal(listed.exitCode, 0, listed.stderr);
    const nodes = JSON.parse(listed.stdout) as { dock: string; role: string; state: string }[];
    t.same(
      nodes.map((node) => [node.dock, node.role, node.state]),
      [
        ['local', 'manager', 'ready'],
        [dock, 'worker', 'ready'],
      ],
    );
    const table = await bin('dock', ['swarm', 'ls']);
    t.match(table.stdout, /^DOCK +ROLE +AVAILABILITY +STATE +ENGINE/);
  });

  await t.test('bad input: each problem in one line, before anything changes', async (t) => {
    const closed = `${dock}-closed`;
    await dockerOk(['context', 'create', closed, '--docker', `host=ssh://root@${rig.address}:2`], { env });
    t.teardown(() => dockerOk(['context', 'rm', '-f', closed], { env }));
    const silent = await bin('dock', ['swarm', 'join', closed]);
    t.equal(silent.exitCode, 1);
    t.match(
      silent.stderr,
      new RegExp(`^error: ${closed} does not answer \\(.*\\): check it with \`dock ls --check ${closed}\`\\n$`),
    );
    t.notMatch(silent.stderr, /swarm join --token/, 'nothing was tried');
    const inSwarm = await bin('dock', ['swarm', 'init', dock]);
    t.equal(inSwarm.exitCode, 1);
    t.match(inSwarm.stderr, `${dock} is already in a swarm (worker, state active): \`dock swarm leave ${dock}\` first`);
    const noManager = await bin('dock', ['swarm', 'join', 'local', '--manager', dock]);
    t.equal(noManager.exitCode, 1);
    t.match(noManager.stderr, `${dock} is not a swarm manager`);
  });

  await t.test('--dry-run prints the transfer and the service create, and changes nothing', async (t) => {
    const dry = await bin('deploy-image', ['web', '--dry-run']);
    t.equal(dry.exitCode, 0, dry.stderr);
    t.match(dry.stdout, `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'`);
    t.match(dry.stdout, /docker service create --detach --no-resolve-image --name \S+_web /);
    t.match(dry.stdout, '-e "SECRET=$SWARM_SECRET"');
    t.equal((await docker(['service', 'inspect', service])).exitCode, 1, 'no service');
    t.equal((await docker(['-H', rig.engineSocket, 'image', 'inspect', imageId])).exitCode, 1, 'no image sent');
  });

  await t.test('deploy sends the image to the dock and runs one task on each node', async (t) => {
    const deployed = await bin('deploy-image', ['web', '--wait-timeout', '90'], 180_000);
    t.equal(deployed.exitCode, 0, deployed.stderr);
    t.equal(deployed.stdout, `${service}\n`);
    t.match(
      deployed.stderr,
      `docker save ${reference} | gzip -1 | ssh -l root -- ${rig.address} 'gunzip | docker load'`,
    );
    t.match(deployed.stderr, new RegExp(`${dock}: image sent \\(\\d+\\.\\d MB in \\d+\\.\\d s\\), same id there`));
    t.match(deployed.stderr, `${service} created`);
    t.match(deployed.stderr, new RegExp(`${service}\\.\\d running on local`));
    t.match(deployed.stderr, new RegExp(`${service}\\.\\d running on ${dock}`));
    t.notMatch(deployed.stderr, env.SWARM_SECRET, 'the secret is never printed');
    t.equal(await rigDockerOk(rig, ['image', 'inspect', '--format', '{{.Id}}', imageId]), imageId, 'same id there');
    t.equal(
      await dockerOk(['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}', service]),
      imageId,
      'the service runs the image by id: no node can run another build',
    );
    t.match(
      await dockerOk(['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', service]),
      `SECRET=${env.SWARM_SECRET}`,
      'the value reached the service through the environment of docker',
    );
    const answers = [await httpGet(rig.hostAddress, port), await httpGet(rig.address, port)];
    t.match(answers[0], /^one \w+$/);
    t.match(answers[1], /^one \w+$/);
    t.not(answers[0], answers[1], 'a different task answers on each node (mode=host)');
  });

  await t.test('an overlay network joins the tasks across the two nodes', async (t) => {
    const local = await dockerOk(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`]);
    const remote = await rigDockerOk(rig, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`]);
    const remoteAddress = await rigDockerOk(rig, [
      'inspect',
      '--format',
      `{{(index .NetworkSettings.Networks "${project}_swarm").IPAddress}}`,
      remote,
    ]);
    const remoteHost = await rigDockerOk(rig, ['exec', remote, 'hostname']);
    const answer = await dockerOk([
      'exec',
      local,
      'sh',
      '-c',
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${remoteAddress} 8080`,
    ]);
    t.match(answer, `one ${remoteHost}`, "the local task reached the dock's task on the overlay network");
  });

  await t.test(
    'ls-containers --service lists the tasks on every node with their dock; logs-all follows them',
    async (t) => {
      const listed = await bin('ls-containers', ['--service', service, '--json']);
      t.equal(listed.exitCode, 0, listed.stderr);
      const rows = JSON.parse(listed.stdout) as { node: string; state: string; project: string }[];
      t.same(rows.map((row) => row.node).sort(), ['local', dock].sort());
      t.ok(rows.every((row) => row.state === 'running' && row.project === project));
      const table = await bin('ls-containers', ['--service', service]);
      t.match(table.stdout, /NODE\n/);
      // The manager names the nodes; each node's dock is read for its task.
      const dir = t.testdir();
      const logs = await bin('logs-all', ['--service', service, '--once', '--quiet', '--dir', dir]);
      t.equal(logs.exitCode, 0, logs.stderr);
      t.match(logs.stderr, `--filter label=com.docker.swarm.service.name=${service}`);
      t.match(logs.stderr, `docker --context ${dock} ps`);
      for (const node of ['local', dock]) {
        const files = readdirSync(join(dir, node)).filter((file) => file.endsWith('.log') && file !== 'all.log');
        t.equal(files.length, 1, `one file for the task on ${node}`);
      }
      const stats = await bin('stats-all', ['--service', service, '--once', '--json']);
      t.equal(stats.exitCode, 0, stats.stderr);
      const sampled = stats.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { name: string; dock?: string });
      t.equal(sampled.length, 2, 'a sample of each task, from both nodes');
    },
  );

  await t.test('a second deploy changes nothing; a changed cfg updates in place, saying what', async (t) => {
    const same = await bin('deploy-image', ['web']);
    t.equal(same.exitCode, 0, same.stderr);
    t.match(same.stderr, `${service} unchanged`);
    t.notMatch(same.stderr, /docker service (update|create)|docker save/);

    writeFileSync(join(root, 'docker', 'dockerutils.cfg'), cfg('two'));
    const updated = await bin('deploy-image', ['web', '--wait-timeout', '90'], 180_000);
    t.equal(updated.exitCode, 0, updated.stderr);
    t.match(updated.stderr, `docker service update --detach --no-resolve-image --env-add MODE=two ${service}`);
    t.match(updated.stderr, `${service} updated: environment ~MODE`);
    t.match(await httpGet(rig.hostAddress, port), /^two /);
    t.match(await httpGet(rig.address, port), /^two /);
  });

  await t.test('with a publication_tag the image is published and each node pulls it by digest', async (t) => {
    await startRegistry(t, rig, registryPort);
    const deployed = await bin('deploy-image', ['pub', '--wait-timeout', '90'], 180_000);
    t.equal(deployed.exitCode, 0, deployed.stderr);
    const published = `127.0.0.1:${registryPort}/${project}-web:tester`;
    t.match(deployed.stderr, `docker push ${published}`);
    t.notMatch(deployed.stderr, /docker save/, 'nothing streamed');
    const image = await dockerOk([
      'service',
      'inspect',
      '--format',
      '{{.Spec.TaskTemplate.ContainerSpec.Image}}',
      `${project}_pub`,
    ]);
    t.match(image, new RegExp(`^127\\.0\\.0\\.1:${registryPort}/${project}-web@sha256:[0-9a-f]{64}$`), 'by digest');
    t.match(deployed.stderr, /running on local/);
    t.match(deployed.stderr, new RegExp(`running on ${dock}`));
    t.ok(
      (await rigDockerOk(rig, ['image', 'ls', '--digests', '--format', '{{.Digest}}'])).includes(image.split('@')[1]!),
      'the worker pulled it',
    );
    const removed = await bin('undeploy-image', ['pub'], 90_000);
    t.equal(removed.exitCode, 0, removed.stderr);
  });

  await t.test("tasks that cannot start are reported with docker's error", async (t) => {
    const stuck = await bin('deploy-image', ['nowhere', '--wait-timeout', '6']);
    t.equal(stuck.exitCode, 1);
    t.match(stuck.stderr, /no suitable node \(scheduling constraints not satisfied on 2 nodes\)/);
    t.match(stuck.stderr, /0 of 1 tasks running after 6 s/);
    const removed = await bin('undeploy-image', ['nowhere']);
    t.equal(removed.exitCode, 0, removed.stderr);
  });

  await t.test('undeploy removes the service and the project network', async (t) => {
    const removed = await bin('undeploy-image', ['web'], 90_000);
    t.equal(removed.exitCode, 0, removed.stderr);
    t.match(removed.stderr, `${service} removed, with the project network`);
    t.equal((await docker(['service', 'inspect', service])).exitCode, 1);
    // The manager drops the network at once; its engine's own copy goes a moment later.
    const deadline = Date.now() + 15_000;
    while ((await docker(['network', 'inspect', `${project}_swarm`])).exitCode === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    t.equal((await docker(['network', 'inspect', `${project}_swarm`])).exitCode, 1, 'the network is gone');
    const again = await bin('undeploy-image', ['web']);
    t.equal(again.exitCode, 0);
    t.match(again.stderr, 'nothing to remove');
  });

  await t.test('leave takes the dock out and drops it from the node list, then the manager', async (t) => {
    const left = await bin('dock', ['swarm', 'leave', dock]);
    t.equal(left.exitCode, 0, left.stderr);
    t.equal(await swarmState(['-H', rig.engineSocket]), 'inactive');
    t.equal((await dockerOk(['node', 'ls', '-q'])).split('\n').filter(Boolean).length, 1);
    const manager = await bin('dock', ['swarm', 'leave', 'local', '--force']);
    t.equal(manager.exitCode, 0, manager.stderr);
    t.equal(await swarmState(), 'inactive');
  });
});
