import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  docker,
  dockerOk,
  removeLabelled,
  requireEngine,
  runBin,
  testContainerArgs,
  testLabel,
  uniqueSuffix,
} from '../../helpers/engine.js';
import { runsOf } from '../../helpers/log-files.js';
import { range } from '../../helpers/wait.js';
import { addRigDock, loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';

// One rig for the file. The same project is built on the local engine too, so a command that reached
// the wrong engine shows it.
t.test('config, rm-images, attach-container and logs-all --stats with --dock reach the dock', async (t) => {
  await requireEngine();
  const suffix = uniqueSuffix();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  t.teardown(() => removeLabelled(`${testLabel}=${suffix}`));
  const dock = `conv${suffix}`;
  const project = `p${suffix}`;
  const user = `u${suffix}`;
  const env = { ...rig.clientEnv, LOGNAME: user, NO_COLOR: '1' };
  const root = join(t.testdir(), project);
  mkdirSync(join(root, 'docker', 'hello'), { recursive: true });
  writeFileSync(
    join(root, 'docker', 'hello', 'Dockerfile'),
    `FROM busybox\nLABEL ${testLabel}=${suffix}\nRUN echo hi > /hi\n`,
  );
  writeFileSync(
    join(root, 'docker', 'dockerutils.cfg'),
    '[hello]\nnetwork = none\ncmd = sh -c "echo local"\ncmd_docked = sh -c "echo docked"\n',
  );
  const options = { ...rig.client, env, cwd: root, timeoutMs: 120_000 };
  const reference = `${project}-hello:${user}`;

  await addRigDock(rig, dock, { ...rig.client, env });
  await loadImageIntoRig(rig, 'busybox:latest');
  for (const args of [['hello'], ['hello', '--dock', dock]]) {
    const built = await runBin('build-image', args, options);
    t.equal(built.exitCode, 0, built.stderr);
  }

  await t.test('config --dock: the _docked values and docker --context lines, nothing run', async (t) => {
    const result = await runBin('dockerutils', ['config', 'hello', '--dock', dock, '--json'], options);
    t.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      engine: string;
      docked: boolean;
      images: { settings: { key: string; words: string[] }[]; build: string[]; run: string }[];
    };
    t.equal(report.engine, dock);
    t.equal(report.docked, true);
    const [hello] = report.images;
    t.same(hello!.settings.find((setting) => setting.key === 'cmd')?.words, ['sh', '-c', 'echo docked']);
    t.same(hello!.build, [`docker --context ${dock} build --compress -t ${reference} -f docker/hello/Dockerfile .`]);
    t.match(hello!.run, new RegExp(`^docker --context ${dock} run --init .* ${reference} sh -c 'echo docked'$`));
    const local = await runBin('dockerutils', ['config', 'hello', '--json'], options);
    t.match(JSON.parse(local.stdout), { engine: 'local', docked: false, images: [{ run: /sh -c 'echo local'$/ }] });
  });

  await t.test("ls-images --dock: the dock's image, with the version build-image labelled it with there", async (t) => {
    const [id, version] = (
      await rigDockerOk(rig, [
        'image',
        'inspect',
        '--format',
        '{{.Id}} {{index .Config.Labels "org.opencontainers.image.version"}}',
        reference,
      ])
    ).split(' ');
    t.ok(version, 'built in a git checkout: labelled');
    const result = await runBin('ls-images', ['--dock', dock, '--json'], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.match(JSON.parse(result.stdout), [{ image: 'hello', reference, built: true, id, version }]);
    const local = await runBin('ls-images', ['--json'], options);
    t.not((JSON.parse(local.stdout) as { id: string }[])[0]!.id, id, 'the local engine has its own build');
  });

  await t.test('rm-images --dock removes the image there, not here', async (t) => {
    const result = await runBin('rm-images', ['hello', '--dock', dock], options);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `${reference}\n`);
    t.match(result.stderr, `docker --context ${dock} image rm ${reference}\n`);
    const remote = await rigDockerOk(rig, ['image', 'ls', '-q', reference]);
    t.equal(remote, '', 'gone from the dock');
    t.equal((await docker(['image', 'inspect', reference])).exitCode, 0, 'still on the local engine');
    const listed = await runBin('ls-images', ['--dock', dock, '--json'], options);
    t.match(JSON.parse(listed.stdout), [{ image: 'hello', built: false }], 'ls-images --dock: no longer built there');
  });

  const remoteName = `remote-${suffix}`;
  await rigDockerOk(rig, testContainerArgs(suffix, remoteName, ['sh', '-c', 'seq 1 200; sleep 8; echo 201; exit 4']));

  await t.test('attach-container --dock follows the remote container to its end', async (t) => {
    const result = await runBin('attach-container', [remoteName, '--dock', dock], options);
    t.equal(result.exitCode, 4, result.stderr);
    t.equal(result.stdout, '201\n', 'what it printed while attached');
    t.match(
      result.stderr,
      `docker --context ${dock} attach --detach-keys ctrl-p,ctrl-q --no-stdin --sig-proxy=false ${remoteName}\n`,
    );
    const absent = await runBin('attach-container', [remoteName, '--dock', 'local'], options);
    t.equal(absent.exitCode, 2, 'the local engine has no such container');
  });

  await t.test('logs-all --stats --dock --once: the remote logs, and a sample of what runs there', async (t) => {
    const sleeper = `sleeper-${suffix}`;
    await rigDockerOk(rig, testContainerArgs(suffix, sleeper, ['sh', '-c', 'seq 1 10; exec sleep 600']));
    const dir = join(t.testdir(), 'logs');
    const result = await runBin(
      'logs-all',
      ['--dock', dock, '--all', '--name', `*-${suffix}`, '--once', '--stats', '-q', '--dir', dir],
      options,
    );
    t.equal(result.exitCode, 0, result.stderr);
    t.same(runsOf(dir, remoteName), [range(1, 201)]);
    t.same(runsOf(dir, sleeper), [range(1, 10)]);
    const statsFiles = readdirSync(dir).filter((file) => file.endsWith('.stats.jsonl'));
    t.equal(statsFiles.length, 1, 'one sample file: the running container');
    t.match(statsFiles[0], `-${sleeper}.stats.jsonl`);
    t.ok(existsSync(join(dir, 'all.log')));
    t.match(result.stderr, `docker --context ${dock} stats --no-stream`);
    t.equal(await dockerOk(['ps', '-aq', '--filter', `name=${sleeper}`]), '', 'nothing of it on the local engine');
  });
});
