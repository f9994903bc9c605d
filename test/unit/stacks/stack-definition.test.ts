import t from 'tap';
import type { Test } from 'tap';
import { join } from 'node:path';
import { loadProject } from '../../../src/project/project.js';
import {
  desiredContainers,
  namedVolumesOf,
  readStackImages,
  settingsSummary,
} from '../../../src/stacks/stack-definition.js';

const env = { LOGNAME: 'ann' };
const cfg = `[db]
volumes = -v data:/var/lib/data
exec_commands = touch /ready
    sh -c "echo 'a b' > /x"

[web]
depends_on = db
ports = -p 8080:80
instances = 2
volumes = -v data:/www -v {project_root}:/src

[side]
depends_on = web
uses = db
network = host
`;

function project(t: Test): ReturnType<typeof loadProject> {
  const root = t.testdir({
    proj: {
      docker: {
        'dockerutils.cfg': cfg,
        db: { Dockerfile: 'FROM busybox\n' },
        web: { Dockerfile: 'FROM busybox\n' },
        side: { Dockerfile: 'FROM busybox\n' },
      },
    },
  });
  return loadProject(join(root, 'proj'), env);
}

t.test('the stack keys of each section', async (t) => {
  const images = readStackImages(project(t));
  t.same(
    images.map(({ image, dependsOn, uses }) => ({ image, dependsOn, uses })),
    [
      { image: 'db', dependsOn: [], uses: [] },
      { image: 'side', dependsOn: ['web'], uses: ['db'] },
      { image: 'web', dependsOn: ['db'], uses: [] },
    ],
  );
});

t.test(
  'containers: stable names with the user, stack labels, the project network with the image as alias',
  async (t) => {
    const proj = project(t);
    const images = new Map(readStackImages(proj).map((image) => [image.image, image]));
    const context = { docked: false, now: new Date(2026, 0, 2) };
    const [db] = desiredContainers(proj, images.get('db')!, context);
    t.equal(db!.name, 'proj_db_ann');
    t.same(db!.settings.labels, {
      'dockerutils.project': 'proj',
      'dockerutils.image': 'db',
      'dockerutils.stack': 'proj_ann',
      'dockerutils.instance': '1',
    });
    t.same(db!.settings.network, ['proj_ann']);
    t.same(db!.settings.networkAliases, ['db']);
    t.same(db!.settings.volumes, [['-v'], ['proj_data:/var/lib/data']]);
    t.same(db!.volumes, ['proj_data']);
    t.same(db!.execCommands, [
      [['touch'], ['/ready']],
      [['sh'], ['-c'], ["echo 'a b' > /x"]],
    ]);
    t.equal(db!.settings.detach, false);
    t.equal(db!.settings.removeOnExit, false, 'kept: no --rm');
    t.same(db!.settings.interactive, [], 'no -it');

    const web = desiredContainers(proj, images.get('web')!, context);
    t.same(
      web.map((container) => [container.name, container.settings.ports.map((word) => word.join(''))]),
      [
        ['proj_web_ann_1', ['-p', '8080:80']],
        ['proj_web_ann_2', ['-p', '8081:80']],
      ],
      'instances step ports as --count does',
    );

    const [side] = desiredContainers(proj, images.get('side')!, context);
    t.same(side!.settings.network, ['host'], 'the section network wins');
    t.equal(side!.settings.networkAliases, undefined);
    t.equal(side!.stackNetwork, undefined);
    t.same(side!.usesContainers, ['proj_db_ann']);
    t.same(side!.settings.volumes, [['--volumes-from'], ['proj_db_ann']]);
    t.match(settingsSummary(side!), { network: '--network host', volumes: '--volumes-from proj_db_ann' });
    t.same(namedVolumesOf(proj, 'web', false), ['proj_data']);
  },
);

t.test('the cfg checks name unknown images with the closest one, and bad instances, by file and line', async (t) => {
  const root = t.testdir({
    proj: {
      docker: {
        'dockerutils.cfg': '[web]\ndepends_on = dbb, cache\nuses = web2\ninstances = two\n\n[db]\ninstances = 0\n',
        db: { Dockerfile: 'FROM busybox\n' },
        web: { Dockerfile: 'FROM busybox\n' },
      },
    },
  });
  t.throws(() => loadProject(join(root, 'proj'), env), {
    message: [
      'docker/dockerutils.cfg:2 [web] depends_on: unknown image "dbb" (did you mean "db"?); images: db, web',
      'docker/dockerutils.cfg:2 [web] depends_on: unknown image "cache"; images: db, web',
      'docker/dockerutils.cfg:3 [web] uses: unknown image "web2" (did you mean "web"?); images: db, web',
      'docker/dockerutils.cfg:4 [web] instances: "two" is not a number of containers: write a whole number, 1 or more',
      'docker/dockerutils.cfg:7 [db] instances: "0" is not a number of containers: write a whole number, 1 or more',
    ].join('\n'),
  });
});
