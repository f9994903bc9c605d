import t, { type Test } from 'tap';
import { join } from 'node:path';
import { buildImageArgs, removeImagesArgs } from '../../../src/docker/images.js';
import { resolveArgs } from '../../../src/docker/command-line.js';
import { hasBuilderStage, imagesToClean, planBuild } from '../../../src/project/build-plan.js';
import { loadProject } from '../../../src/project/project.js';

function project(t: Test) {
  const root = t.testdir({
    app: {
      docker: {
        'dockerutils.cfg': [
          '[base]',
          'pull_FROM_on_force=True',
          '[dev]',
          'build_args=--build-arg USER={user} --build-arg TOKEN=$TOKEN',
          'pre_build_script=echo before',
          'post_build_script=echo after',
          '[run_image]',
          'synthetic_images=shell',
          '[shell]',
          'name=dev',
        ].join('\n'),
        base: { Dockerfile: 'FROM busybox' },
        dev: { Dockerfile: 'FROM busybox AS Builder\nRUN true\nFROM busybox\n' },
        web: { Dockerfile: 'FROM busybox\n' },
      },
    },
  });
  return loadProject(join(root, 'app'), { LOGNAME: 'me', TOKEN: 't0k3n' });
}

t.test('one image: docker build from the project root', async (t) => {
  const [step] = planBuild(project(t), { target: 'web' });
  t.same(buildImageArgs(step!), ['build', '--compress', '-t', 'app-web:me', '-f', 'docker/web/Dockerfile', '.']);
});

t.test('a builder stage is built and tagged first', async (t) => {
  const [step] = planBuild(project(t), { target: 'dev' });
  t.equal(step!.builderReference, 'app-dev-builder:me');
  t.same(
    resolveArgs(buildImageArgs(step!, { target: 'builder', reference: step!.builderReference! }), { TOKEN: 't0k3n' }),
    [
      'build',
      '--compress',
      '-t',
      'app-dev-builder:me',
      '-f',
      'docker/dev/Dockerfile',
      '--target',
      'builder',
      '--build-arg',
      'USER=me',
      '--build-arg',
      'TOKEN=t0k3n',
      '.',
    ],
  );
  t.equal(step!.preBuildScript, 'echo before');
  t.equal(step!.postBuildScript, 'echo after');
});

t.test('-f builds base first, with --pull when base says pull_FROM_on_force', async (t) => {
  const steps = planBuild(project(t), { target: 'web', forceBuildBase: true });
  t.same(
    steps.map((step) => [step.reference, step.pull]),
    [
      ['app-base:me', true],
      ['app-web:me', false],
    ],
  );
  t.same(buildImageArgs(steps[0]!).slice(0, 3), ['build', '--pull', '--compress']);
});

t.test('-p pulls for every image; -i and -t replace the designation', async (t) => {
  const [step] = planBuild(project(t), { target: 'web', pullBase: true, imageName: 'custom', imageTag: 'v1' });
  t.same(buildImageArgs(step!), [
    'build',
    '--pull',
    '--compress',
    '-t',
    'custom:v1',
    '-f',
    'docker/web/Dockerfile',
    '.',
  ]);
});

t.test('all builds base first, then the rest; clean names images and builders', async (t) => {
  const p = project(t);
  t.same(
    planBuild(p, { target: 'all' }).map((step) => step.image),
    ['base', 'dev', 'web'],
  );
  t.same(imagesToClean(p, { target: 'clean' }), ['app-base:me', 'app-dev:me', 'app-dev-builder:me', 'app-web:me']);
  t.same(removeImagesArgs(['a:1', 'b:2']), ['image', 'rm', 'a:1', 'b:2']);
});

t.test('a synthetic image cannot be built: says which one to build', async (t) => {
  t.throws(() => planBuild(project(t), { target: 'shell' }), {
    message: '"shell" is a synthetic image (run-only): build "dev" instead',
  });
  t.throws(() => planBuild(project(t), { target: 'wbe' }), {
    message: /unknown image "wbe" .*\(did you mean "web"\?\); images: base, dev, web, all, clean/,
  });
});

t.test('builder stages are found in any case, not in comments or other names', async (t) => {
  t.ok(hasBuilderStage('FROM node:20 AS builder\n'));
  t.ok(hasBuilderStage('from node:20 as BUILDER\n'));
  t.ok(hasBuilderStage('FROM --platform=$BUILDPLATFORM node:20 AS builder\n'));
  t.notOk(hasBuilderStage('FROM node:20 AS builder2\n'));
  t.notOk(hasBuilderStage('# FROM x AS builder\nFROM busybox\n'));
});

t.test("the source's version labels go after -f and --target, before the build arguments", async (t) => {
  const [step] = planBuild(project(t), { target: 'dev' });
  const labels = { 'org.opencontainers.image.version': 'v1.2', 'org.opencontainers.image.revision': 'abc' };
  t.same(
    resolveArgs(buildImageArgs({ ...step!, labels }, { target: 'builder', reference: step!.builderReference! }), {
      TOKEN: 't0k3n',
    }),
    [
      'build',
      '--compress',
      '-t',
      'app-dev-builder:me',
      '-f',
      'docker/dev/Dockerfile',
      '--target',
      'builder',
      '--label',
      'org.opencontainers.image.version=v1.2',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--build-arg',
      'USER=me',
      '--build-arg',
      'TOKEN=t0k3n',
      '.',
    ],
  );
});

t.test('version_file must name a file inside the build context', async (t) => {
  const dir = t.testdir({
    ok: { docker: { 'dockerutils.cfg': '[web]\nversion_file = src/VERSION\n', web: { Dockerfile: 'FROM busybox\n' } } },
    bad: {
      docker: {
        'dockerutils.cfg': '[web]\nversion_file = ../VERSION\n[db]\nversion_file = /etc/VERSION\n',
        web: { Dockerfile: 'FROM busybox\n' },
      },
    },
  });
  const [step] = planBuild(loadProject(join(dir, 'ok'), { LOGNAME: 'me' }), { target: 'web' });
  t.equal(step!.versionFile, 'src/VERSION');
  t.throws(() => loadProject(join(dir, 'bad'), { LOGNAME: 'me' }), {
    message:
      'docker/dockerutils.cfg:2 [web] version_file: "../VERSION" is outside the build context: name a file relative to the project root\n' +
      'docker/dockerutils.cfg:4 [db] version_file: "/etc/VERSION" is outside the build context: name a file relative to the project root',
  });
});
