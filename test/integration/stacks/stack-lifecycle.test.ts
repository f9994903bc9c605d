import t from 'tap';
import { dockerOk, requireEngine } from '../../helpers/engine.js';
import {
  containerIds,
  labelledLeftovers,
  removeStackProject,
  stackFolder,
  writeStackProject,
} from '../../helpers/stack-project.js';

// db writes the page into the shared named volume and becomes healthy after it; web serves that
// volume with busybox httpd once db is healthy; side mounts db's volumes (`uses`) and reaches web by alias.
const dockerfiles = {
  db: [
    'HEALTHCHECK --interval=500ms --timeout=2s --retries=30 CMD test -f /ready',
    'CMD ["sh", "-c", "echo hello-from-db > /data/index.html; sleep 1; touch /ready; exec sleep 3600"]',
  ],
  web: ['CMD ["busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]'],
  side: ['CMD ["sleep", "3600"]'],
};
const cfg = (webEnvironment = '-e MODE=one'): string => `[db]
volumes = -v site:/data
exec_commands = touch /exec-ran

[web]
depends_on = db
volumes = -v site:/www
environment = ${webEnvironment}

[side]
depends_on = web
uses = db
`;

t.test(
  'a stack of three images on the real engine: order, aliases, shared volumes, and what out of date means',
  async (t) => {
    await requireEngine();
    const project = writeStackProject(stackFolder(t), dockerfiles, cfg());
    t.teardown(() => removeStackProject(project));
    const names = ['db', 'web', 'side'].map((image) => project.container(image));
    const [db, web, side] = names as [string, string, string];
    const up = (args: string[] = []): ReturnType<typeof project.bin> => project.bin('up-containers', args);
    const ids = (): Promise<Record<string, string>> => containerIds(names);
    const changedAfter = async (before: Record<string, string>): Promise<string[]> => {
      const after = await ids();
      return names.filter((name) => after[name] !== before[name]);
    };

    const built = await project.bin('build-image', ['all']);
    t.equal(built.exitCode, 0, `build-image all: ${built.stderr}`);

    await t.test('up-containers creates db, then web once db is healthy, then side', async (t) => {
      const result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.equal(result.stdout, names.map((name) => `create    ${name}: no container yet\n`).join(''));
      const inspected = JSON.parse(await dockerOk(['inspect', ...names])) as {
        State: { StartedAt: string; Health?: { Log: { ExitCode: number; End: string }[] } };
      }[];
      const started = inspected.map((container) => Date.parse(container.State.StartedAt));
      t.ok(started[0]! < started[1]! && started[1]! < started[2]!, `start order db < web < side: ${started.join(' ')}`);
      const firstHealthy = inspected[0]!.State.Health!.Log.find((probe) => probe.ExitCode === 0);
      t.ok(firstHealthy, 'db became healthy');
      t.ok(started[1]! >= Date.parse(firstHealthy!.End), 'web started after db was healthy');
      t.equal(await dockerOk(['exec', db, 'sh', '-c', 'test -f /exec-ran && echo ran']), 'ran', 'exec_commands ran');
    });

    await t.test('side reaches web by its alias, and web serves the page db wrote into the named volume', async (t) => {
      t.equal(await dockerOk(['exec', side, 'wget', '-qO-', 'http://web:8080/']), 'hello-from-db');
      t.equal(await dockerOk(['exec', side, 'cat', '/data/index.html']), 'hello-from-db', 'uses = db: its volumes');
      const volumes = await dockerOk(['volume', 'ls', '-q', '--filter', `label=dockerutils.project=${project.name}`]);
      t.equal(volumes, `${project.name}_site`);
    });

    await t.test('ls-containers and ls-images show the stack containers', async (t) => {
      const listed = await project.bin('ls-containers', ['--json']);
      t.same((JSON.parse(listed.stdout) as { name: string }[]).map((c) => c.name).sort(), [...names].sort());
      const images = await project.bin('ls-images', ['--json']);
      const rows = JSON.parse(images.stdout) as { image: string; containers: string[] }[];
      t.same(rows.find((row) => row.image === 'web')?.containers, [web]);
    });

    await t.test('a second up-containers changes nothing, in two docker calls', async (t) => {
      const before = await ids();
      const result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.equal(result.stdout, names.map((name) => `unchanged ${name}\n`).join(''));
      const calls = result.stderr.split('\n').filter((line) => line.startsWith('docker '));
      t.same(
        calls.map((line) => line.split(' ').slice(0, 2).join(' ')),
        ['docker ps', 'docker inspect'],
      );
      t.same(await changedAfter(before), []);
    });

    await t.test('a changed environment recreates web alone, and --diff names the change', async (t) => {
      project.writeCfg(cfg('-e MODE=two'));
      const diff = await up(['--diff']);
      t.equal(diff.exitCode, 0, diff.stderr);
      t.match(diff.stdout, `recreate  ${web}: environment changed: -e MODE=one -> -e MODE=two`);
      const dryRun = await up(['--dry-run']);
      t.match(dryRun.stdout, `# recreate  ${web}: environment changed`);
      t.match(dryRun.stdout, `docker stop -t 10 ${web}\ndocker rm ${web}\ndocker create --init --name ${web}`);
      const before = await ids();
      const result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.same(await changedAfter(before), [web]);
      t.equal(await dockerOk(['exec', side, 'wget', '-qO-', 'http://web:8080/']), 'hello-from-db');
    });

    await t.test(
      'a rebuilt image recreates its container and the one that uses it, not the one that depends on it',
      async (t) => {
        project.writeDockerfile('db', [...dockerfiles.db, 'LABEL rebuilt=yes']);
        const built = await project.bin('build-image', ['db']);
        t.equal(built.exitCode, 0, built.stderr);
        const diff = await up(['--diff']);
        t.match(
          diff.stdout,
          new RegExp(
            `recreate  ${db}: image ${project.name}-db:${project.user} rebuilt: sha256:[0-9a-f]{12}\\.\\.\\. -> sha256:[0-9a-f]{12}\\.\\.\\.`,
          ),
        );
        t.match(diff.stdout, `recreate  ${side}: uses ${db}, which is recreated`);
        t.match(diff.stdout, `unchanged ${web}`);
        const before = await ids();
        const result = await up();
        t.equal(result.exitCode, 0, result.stderr);
        t.same(await changedAfter(before), [db, side]);
      },
    );

    await t.test('a stopped container is started, not recreated', async (t) => {
      const before = await ids();
      await dockerOk(['stop', '-t', '1', web], { timeoutMs: 30_000 });
      const result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.match(result.stdout, `start     ${web}: stopped`);
      t.same(await changedAfter(before), []);
      t.equal(await dockerOk(['inspect', '--format', '{{.State.Status}}', web]), 'running');
    });

    await t.test('a container taken off the network is recreated alone; a network gone recreates all', async (t) => {
      const network = `${project.name}_${project.user}`;
      await dockerOk(['network', 'disconnect', network, side]);
      let before = await ids();
      let result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.match(result.stdout, `recreate  ${side}: not on network ${network}`);
      t.same(await changedAfter(before), [side]);

      for (const name of names) await dockerOk(['network', 'disconnect', network, name]);
      await dockerOk(['network', 'rm', network]);
      before = await ids();
      result = await up();
      t.equal(result.exitCode, 0, result.stderr);
      t.match(result.stdout, `recreate  ${web}: network ${network} is gone`);
      t.same(await changedAfter(before), names);
      t.equal(await dockerOk(['exec', side, 'wget', '-qO-', 'http://web:8080/']), 'hello-from-db');
    });

    await t.test(
      'down-containers keeps the named volume; --volumes leaves nothing with the project label',
      async (t) => {
        const down = await project.bin('down-containers', []);
        t.equal(down.exitCode, 0, down.stderr);
        t.equal(down.stdout, `${side}\n${web}\n${db}\n`, 'dependents first');
        t.same(await labelledLeftovers(project), [`${project.name}_site`], 'the volume is kept, the network is gone');
        const again = await up();
        t.equal(again.exitCode, 0, again.stderr);
        const downAll = await project.bin('down-containers', ['--volumes']);
        t.equal(downAll.exitCode, 0, downAll.stderr);
        t.same(await labelledLeftovers(project), []);
      },
    );
  },
);
