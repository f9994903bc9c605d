import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findProjectRoot,
  imageDesignation,
  loadProject,
  requireImage,
  runnableImages,
} from '../../../src/project/project.js';
import { currentUserName } from '../../../src/project/user-name.js';

const env = { LOGNAME: 'me' };

t.test("the Python tool's sample-dir: designation and image list", async (t) => {
  const root = t.testdir({
    'sample-dir': {
      docker: {
        'dockerutils.cfg': '[test]\ntag=latest\n\n[run_image]\nsynthetic_images=shell,notebook\n\n[shell]\nname=test\n',
        test: { Dockerfile: 'FROM busybox\n' },
        'not-an-image': { 'README.md': 'no Dockerfile here' },
      },
    },
  });
  const project = loadProject(join(root, 'sample-dir'), env);
  t.equal(project.name, 'sample-dir');
  t.same(imageDesignation(project, 'test'), {
    name: 'sample-dir-test',
    tag: 'latest',
    reference: 'sample-dir-test:latest',
  });
  t.same(runnableImages(project), ['test', 'shell', 'notebook']);
  t.same(project.buildableImages, ['test']);
  t.equal(imageDesignation(project, 'shell').reference, 'sample-dir-test:me', 'a synthetic image runs its name= image');
});

t.test('name=, prefix=False and tag=', async (t) => {
  const root = t.testdir({
    MyProj: {
      docker: {
        'dockerutils.cfg':
          '[dev]\nname=workbench\n[nb]\nname=jupyter/base-notebook\nprefix=False\ntag=latest\n[x]\nname=y\nprefix=True\n',
        dev: { Dockerfile: 'FROM busybox' },
      },
    },
  });
  const project = loadProject(join(root, 'MyProj'), env);
  t.equal(project.name, 'myproj', 'the project name is the folder name, lower-cased');
  t.equal(imageDesignation(project, 'dev').reference, 'myproj-workbench:me');
  t.equal(imageDesignation(project, 'nb').reference, 'jupyter/base-notebook:latest');
  t.equal(imageDesignation(project, 'x').reference, 'myproj-y:me');
  t.equal(imageDesignation(project, 'other').reference, 'myproj-other:me');
});

t.test('the project root is found from any folder below it', async (t) => {
  const root = t.testdir({ proj: { docker: { dev: { Dockerfile: 'FROM busybox' } }, src: { deep: { er: {} } } } });
  t.equal(findProjectRoot(join(root, 'proj', 'src', 'deep', 'er')), join(root, 'proj'));
  const project = loadProject(join(root, 'proj', 'src'), env);
  t.equal(project.cfg.sections.size, 0, 'a missing cfg is an empty one');
});

t.test('no docker/ folder: says where it looked', async (t) => {
  // Outside this repository, whose own docker/ folder would be found.
  const empty = mkdtempSync(join(tmpdir(), 'dockerutils-empty-'));
  t.teardown(() => rmSync(empty, { recursive: true, force: true }));
  t.throws(() => findProjectRoot(empty), {
    message: `no docker/ folder in ${empty} or any of its parents: create docker/<image>/Dockerfile at the project root`,
  });
});

t.test('unknown image: lists the images and suggests the closest', async (t) => {
  const root = t.testdir({
    p: { docker: { dev: { Dockerfile: 'FROM busybox' }, hello: { Dockerfile: 'FROM busybox' } } },
  });
  const project = loadProject(join(root, 'p'), env);
  t.throws(() => requireImage(project, 'helo', runnableImages(project)), {
    message: `unknown image "helo" in ${join(root, 'p')} (did you mean "hello"?); images: dev, hello`,
  });
  t.throws(() => requireImage(project, 'zzzzzz', runnableImages(project)), {
    message: `unknown image "zzzzzz" in ${join(root, 'p')}; images: dev, hello`,
  });
});

t.test('the user name is looked up as getpass does', async (t) => {
  t.equal(currentUserName({ LOGNAME: 'a', USER: 'b' }), 'a');
  t.equal(currentUserName({ USER: 'b', USERNAME: 'c' }), 'b');
  t.equal(currentUserName({ USERNAME: 'c' }), 'c');
  t.type(currentUserName({}), 'string');
});
