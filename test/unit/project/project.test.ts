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

t.test('every problem of the cfg at once: syntax and values, with file and line', async (t) => {
  const root = t.testdir({
    proj: {
      docker: {
        'dockerutils.cfg':
          '[dev]\nvolumes=-v {nosuch}:/x\njust words\nkeep_container=maybe\ncmd=sh -c "unclosed\nenv=nowhere\n[test]\nports=-p {projct_root}:1\n',
        dev: { Dockerfile: 'FROM busybox' },
      },
    },
  });
  const error = t.throws(() => loadProject(join(root, 'proj'), env)) as Error;
  const lines = error.message.split('\n');
  t.equal(lines.length, 6, error.message);
  t.match(lines[0], /dockerutils\.cfg:2 \[dev\] volumes: unknown variable \{nosuch\}/);
  t.match(lines[1], /dockerutils\.cfg:3: expected "\[section\]" or "key = value"/);
  t.match(lines[2], /dockerutils\.cfg:4 \[dev\] keep_container: "maybe" is not a yes or no/);
  t.match(lines[3], /dockerutils\.cfg:5 \[dev\] cmd: cannot split into words/);
  t.match(lines[4], /dockerutils\.cfg:6 \[dev\] env: no section \[nowhere\]/);
  t.match(lines[5], /dockerutils\.cfg:8 \[test\] ports: unknown variable \{projct_root\}/);
});

t.test('a cfg that is a folder is a one-line error', async (t) => {
  const root = t.testdir({ proj: { docker: { 'dockerutils.cfg': {}, dev: { Dockerfile: 'FROM busybox' } } } });
  t.throws(() => loadProject(join(root, 'proj'), env), {
    name: 'UserError',
    message: /dockerutils\.cfg is a folder: the cfg must be a file/,
  });
});

t.test('prefix= takes yes and no words; names and tags docker would refuse are named', async (t) => {
  const root = t.testdir({
    'My Proj': {
      docker: {
        'dockerutils.cfg': '[nb]\nname=jupyter/base-notebook\nprefix=no\n[t]\nname=ok\nprefix=0\ntag=bad tag!\n',
        dev: { Dockerfile: 'FROM busybox' },
      },
    },
  });
  const project = loadProject(join(root, 'My Proj'), env);
  t.equal(imageDesignation(project, 'nb').reference, 'jupyter/base-notebook:me');
  t.throws(() => imageDesignation(project, 'dev'), {
    message:
      /image name "my proj-dev" \(the project folder's name "my proj" and the image "dev"; name= in \[dev\] chooses another\) is not valid for docker: "my proj-dev" may hold only/,
  });
  t.throws(() => imageDesignation(project, 'nb', { tag: 'bad tag!' }), {
    message: /image tag "bad tag!" \(from -t\) is not valid for docker/,
  });
  t.throws(() => imageDesignation(project, 't'), {
    message: /image tag "bad tag!" \(from .*dockerutils\.cfg:7 \[t\] tag\)/,
  });
});
