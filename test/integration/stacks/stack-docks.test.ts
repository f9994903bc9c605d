import t from 'tap';
import { dockerOk, requireEngine } from '../../helpers/engine.js';
import { loadImageIntoRig, rigDockerOk, startRemoteRig } from '../../helpers/remote-rig.js';
import { removeStackProject, stackFolder, writeStackProject } from '../../helpers/stack-project.js';

// One image on the local engine, one on a dock behind a real sshd (`docks =`): up, diff and down act
// on each engine, name the engine on each line, and the dock gets its `_docked` settings.
t.test('docks = in a section runs that image on the dock; up, diff and down act on each engine', async (t) => {
  await requireEngine();
  const rig = await startRemoteRig();
  t.teardown(rig.stop);
  const parent = stackFolder(t);
  const dock = `stk${Date.now().toString(36)}`;
  const project = writeStackProject(
    parent,
    { db: ['CMD ["sleep", "3600"]'], web: ['CMD ["sleep", "3600"]'] },
    `[db]\n\n[web]\ndepends_on = db\ndocks = ${dock}\nenvironment = -e WHERE=here\nenvironment_docked = -e WHERE=dock\n`,
    rig.clientEnv,
    rig.clientHome,
  );
  t.teardown(() => removeStackProject(project));
  const added = await project.bin('dock', ['add', dock, rig.sshUrl]);
  t.equal(added.exitCode, 0, added.stderr);
  for (const image of ['db', 'web']) t.equal((await project.bin('build-image', [image])).exitCode, 0, image);
  await loadImageIntoRig(rig, `${project.name}-web:${project.user}`);
  const db = project.container('db');
  const web = project.container('web');
  const onRig = async (): Promise<string> =>
    rigDockerOk(rig, ['ps', '-a', '--filter', `label=dockerutils.project=${project.name}`, '--format', '{{.Names}}']);
  const onLocal = async (): Promise<string> =>
    dockerOk(['ps', '-a', '--filter', `label=dockerutils.project=${project.name}`, '--format', '{{.Names}}']);

  await t.test('up-containers creates db here and web on the dock, each line naming its engine', async (t) => {
    const result = await project.bin('up-containers', []);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `create    ${db} @local: no container yet\ncreate    ${web} @${dock}: no container yet\n`);
    t.match(result.stderr, `docker --context ${dock} create --init --name ${web}`);
    t.equal(await onRig(), web);
    t.equal(await onLocal(), db);
    t.equal(await rigDockerOk(rig, ['exec', web, 'sh', '-c', 'echo $WHERE']), 'dock', 'the _docked variant applies');
  });

  await t.test('diff and a no-op up ask each engine twice, and change nothing', async (t) => {
    const diff = await project.bin('up-containers', ['--diff']);
    t.equal(diff.stdout, `unchanged ${db} @local\nunchanged ${web} @${dock}\n`);
    const result = await project.bin('up-containers', []);
    t.equal(result.exitCode, 0, result.stderr);
    const calls = result.stderr
      .split('\n')
      .filter((line) => line.startsWith('docker '))
      .map((line) => line.replace(/ --format .*| --no-trunc.*/, ''))
      .sort();
    t.same(
      calls,
      ['docker --context stk-dock inspect', 'docker --context stk-dock ps -a -q', 'docker inspect', 'docker ps -a -q']
        .map((line) => line.replace('stk-dock', dock))
        .sort(),
    );
  });

  await t.test('down-containers removes both, and the network on each engine', async (t) => {
    const result = await project.bin('down-containers', []);
    t.equal(result.exitCode, 0, result.stderr);
    t.same(result.stdout.split('\n').filter(Boolean).sort(), [`${db} @local`, `${web} @${dock}`].sort());
    t.equal(await onRig(), '');
    t.equal(await onLocal(), '');
    t.equal(
      await rigDockerOk(rig, ['network', 'ls', '-q', '--filter', `label=dockerutils.project=${project.name}`]),
      '',
    );
  });

  await t.test('--dock puts the images without docks on that dock', async (t) => {
    await loadImageIntoRig(rig, `${project.name}-db:${project.user}`);
    const result = await project.bin('up-containers', ['--dock', dock]);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `create    ${db} @${dock}: no container yet\ncreate    ${web} @${dock}: no container yet\n`);
    t.same((await onRig()).split('\n').sort(), [db, web].sort());
    t.equal(await onLocal(), '');
    const down = await project.bin('down-containers', ['--dock', dock]);
    t.equal(down.exitCode, 0, down.stderr);
    t.equal(await onRig(), '');
  });
});
