import t, { type Test } from 'tap';
import { join } from 'node:path';
import {
  buildImageArgs,
  buildImageCommandLines,
  parseImageRemoval,
  removeImagesArgs,
} from '../../../src/docker/images.js';
import { resolveArgs } from '../../../src/docker/command-line.js';
import { hasBuilderStage, imagesToClean, imagesToRemove, planBuild } from '../../../src/project/build-plan.js';
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

t.test('rm-images: the named images and their builders, once each; synthetic and unknown names refused', async (t) => {
  const p = project(t);
  t.same(imagesToRemove(p, ['web', 'dev', 'web']), ['app-web:me', 'app-dev:me', 'app-dev-builder:me']);
  t.throws(() => imagesToRemove(p, ['web', 'shell']), {
    message: '"shell" is a synthetic image (run-only): remove "dev" instead',
  });
  t.throws(() => imagesToRemove(p, ['all']), { message: /unknown image "all" .*; images: base, dev, web$/ });
  t.same(removeImagesArgs(['a:1'], { force: true }), ['image', 'rm', '-f', 'a:1']);
});

t.test("docker image rm's output splits into removed and refused references, with docker's reason", async (t) => {
  t.same(
    parseImageRemoval(
      ['a:1', 'b:2', 'c:3'],
      'Untagged: a:1\nDeleted: sha256:0123\nUntagged: c:3\n',
      'Error response from daemon: conflict: unable to remove repository reference "b:2" (must force) - container 0a1b is using its referenced image 9f8e\n',
      1,
    ),
    {
      removed: ['a:1', 'c:3'],
      failures: [
        {
          target: 'b:2',
          reason:
            'conflict: unable to remove repository reference "b:2" (must force) - container 0a1b is using its referenced image 9f8e',
        },
      ],
    },
  );
  t.same(parseImageRemoval(['x:1'], '', '', 1).failures, [
    { target: 'x:1', reason: 'docker could not remove x:1 (exit code 1)' },
  ]);
});

t.test(
  'the build lines config shows are those build-image echoes, builder first, with --context for a dock',
  async (t) => {
    const [step] = planBuild(project(t), { target: 'dev' });
    t.same(buildImageCommandLines({ context: 'gpu', endpoint: 'ssh://me@gpu', name: 'gpu', remote: true }, step!), [
      'docker --context gpu build --compress -t app-dev-builder:me -f docker/dev/Dockerfile --target builder --build-arg USER=me --build-arg "TOKEN=$TOKEN" .',
      'docker --context gpu build --compress -t app-dev:me -f docker/dev/Dockerfile --build-arg USER=me --build-arg "TOKEN=$TOKEN" .',
    ]);
  },
);

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
