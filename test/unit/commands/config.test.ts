import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { showConfig, type ConfigReport } from '../../../src/commands/config.js';
import type { CommandSession } from '../../../src/commands/session.js';

// dockerutils config reads files only: the project, the cfg and the docker CLI's contexts.
const cfg = `[dev]
tag = t1
volumes = -v {project_root}:/src
volumes_docked = -v /data/{project}:/src
cmd_docked = serve --port 80
env = dev_env
environment = -e TOKEN=$API_TOKEN
build_args = --build-arg URL=https://$API_USER@host
pre_build_script = make wheels

[dev_env]
MODE = dev
KEY = $API_TOKEN

[run_image]
synthetic_images = shell

[shell]
name = dev
cmd = sh -c "echo a; echo b"
`;

function project(t: Test, cfgText = cfg): { root: string; env: NodeJS.ProcessEnv } {
  const base = t.testdir({
    myproj: {
      docker: {
        'dockerutils.cfg': cfgText,
        dev: { Dockerfile: 'FROM busybox AS builder\nFROM busybox\n' },
      },
    },
    dockerconfig: {
      'config.json': '{}',
      contexts: {
        meta: {
          [createHash('sha256').update('gpu').digest('hex')]: {
            'meta.json': JSON.stringify({ Name: 'gpu', Endpoints: { docker: { Host: 'ssh://me@gpu-box' } } }),
          },
        },
      },
    },
  });
  return {
    root: join(base, 'myproj'),
    env: {
      LOGNAME: 'ann',
      API_TOKEN: 'the-secret',
      API_USER: 'bob',
      DOCKER_CONFIG: join(base, 'dockerconfig'),
      HOME: base,
    },
  };
}

function session(root: string, env: NodeJS.ProcessEnv, dock?: string): CommandSession {
  return { cwd: root, env, dock, dryRun: false, echo: () => t.fail('config runs no docker command') };
}

const request = { stdinIsTerminal: true, now: new Date(2026, 0, 2, 3, 4, 5) };

function settingsOf(report: ConfigReport, image: string): Record<string, string[]> {
  const found = report.images.find((entry) => entry.image === image)!;
  return Object.fromEntries(found.settings.map((setting) => [setting.key, setting.words]));
}

t.test('every image: settings substituted, secrets by name, the lines build-image and run-image echo', async (t) => {
  const { root, env } = project(t);
  const report = await showConfig(session(root, env), request);
  t.equal(report.engine, 'local');
  t.equal(report.docked, false);
  t.same(
    report.images.map((image) => [image.image, image.kind, image.reference]),
    [
      ['dev', 'buildable', 'myproj-dev:t1'],
      ['shell', 'synthetic', 'myproj-dev:ann'],
    ],
  );
  t.same(settingsOf(report, 'dev'), {
    tag: ['t1'],
    volumes: ['-v', `${root}:/src`],
    env: ['MODE=dev', 'KEY=$API_TOKEN'],
    environment: ['-e', 'TOKEN=$API_TOKEN'],
    build_args: ['--build-arg', 'URL=https://$API_USER@host'],
    pre_build_script: ['make wheels'],
  });
  const dev = report.images[0]!;
  t.same(dev.build, [
    'docker build --compress -t myproj-dev-builder:t1 -f docker/dev/Dockerfile --target builder --build-arg "URL=https://$API_USER@host" .',
    'docker build --compress -t myproj-dev:t1 -f docker/dev/Dockerfile --build-arg "URL=https://$API_USER@host" .',
  ]);
  t.equal(
    dev.run,
    `docker run --init --name ann_dev_26-01-02_03.04.05 --label dockerutils.project=myproj --label dockerutils.image=dev -e "TOKEN=$API_TOKEN" -e MODE=dev -e "KEY=$API_TOKEN" --rm -it -v ${root}:/src myproj-dev:t1`,
  );
  t.equal(dev.settings.find((setting) => setting.key === 'volumes')!.from, 'docker/dockerutils.cfg:3 [dev] volumes');
  t.notMatch(JSON.stringify(report), /the-secret|bob/, 'no secret value anywhere');
  const shell = report.images[1]!;
  t.same(shell.build, [], 'a synthetic image is not built');
  t.same(settingsOf(report, 'shell').cmd, ['sh', '-c', 'echo a; echo b']);
  t.equal(shell.settings.find((setting) => setting.key === 'cmd')!.text, "sh -c 'echo a; echo b'");
  t.match(shell.run, / myproj-dev:ann sh -c 'echo a; echo b'$/);
});

t.test('--dock: the _docked values replace their keys and every line names the context', async (t) => {
  const { root, env } = project(t);
  const report = await showConfig(session(root, env, 'gpu'), { ...request, image: 'dev' });
  t.equal(report.engine, 'gpu');
  t.equal(report.docked, true);
  t.same(
    report.images.map((image) => image.image),
    ['dev'],
  );
  const settings = settingsOf(report, 'dev');
  t.same(settings.volumes, ['-v', '/data/myproj:/src']);
  t.same(settings.cmd, ['serve', '--port', '80'], 'a _docked key without its plain key applies too');
  t.notOk('volumes_docked' in settings);
  const dev = report.images[0]!;
  t.equal(
    dev.settings.find((setting) => setting.key === 'volumes')!.from,
    'docker/dockerutils.cfg:4 [dev] volumes_docked',
  );
  t.ok(
    dev.build.every((line) => line.startsWith('docker --context gpu build ')),
    dev.build.join('\n'),
  );
  t.match(dev.run, /^docker --context gpu run .* -v \/data\/myproj:\/src myproj-dev:t1 serve --port 80$/);
});

t.test('problems: an unknown image, an unknown dock, every value problem of every image at once', async (t) => {
  const { root, env } = project(t);
  await t.rejects(showConfig(session(root, env), { ...request, image: 'dve' }), {
    message: /^unknown image "dve" in .* \(did you mean "dev"\?\); images: dev, shell$/,
    exitCode: 2,
  });
  await t.rejects(showConfig(session(root, env, 'nowhere'), request), { message: /^no dock named "nowhere"/ });
  const unset = { ...env, API_TOKEN: undefined };
  await t.rejects(showConfig(session(root, unset), request), {
    message: [
      'docker/dockerutils.cfg:7 [dev] environment: environment variable $API_TOKEN is not set',
      'docker/dockerutils.cfg:13 [dev_env] KEY: environment variable $API_TOKEN is not set',
    ].join('\n'),
    exitCode: 2,
  });
  const broken = project(t, `${cfg}\n[bad]\nthis line is not a key\n`);
  await t.rejects(showConfig(session(broken.root, broken.env), request), {
    message: /^docker\/dockerutils\.cfg:23: expected "\[section\]" or "key = value", found: this line is not a key$/,
  });
});
