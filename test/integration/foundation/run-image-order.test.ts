import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { repoRoot, runBin } from '../../helpers/engine.js';
import { makeProject } from '../../helpers/project-fixture.js';

// Each part of the README's "The command is built in this order" paragraph, as it is written there,
// and what it becomes for the section below.
const parts = (project: string, root: string): { readme: string; line: string }[] => [
  {
    readme: '`docker run --init --name NAME --label dockerutils.project=<project> --label dockerutils.image=<image>`',
    line: `docker run --init --name probe --label dockerutils.project=${project} --label dockerutils.image=full`,
  },
  { readme: '(`environment`', line: '-e FROM_ENVIRONMENT=1' },
  { readme: 'the `env` section', line: '-e FROM_ENV_SECTION=2' },
  { readme: 'AWS credentials', line: '-e AWS_REGION' },
  { readme: '`-e`)', line: '-e FROM_FLAG=3' },
  { readme: '`--rm` (unless kept)', line: '--rm' },
  { readme: '`-d` (when kept)', line: '-d' },
  { readme: '`-it` (or `interactive`)', line: '-i' },
  { readme: '`gpu` (with `-g`)', line: '--gpus all' },
  { readme: '`--network`', line: '--network none' },
  { readme: '`volumes`', line: `-v ${root}:/src` },
  { readme: '`ports`', line: '-p 127.0.0.1::8080' },
  { readme: '`args` then', line: '--shm-size 64m' },
  { readme: 'then `-a`', line: '--memory 64m' },
  { readme: 'the image', line: `${project}-hello:tester` },
  { readme: '`cmd` (or `-c`)', line: 'echo from-cmd' },
];

t.test("run-image --dry-run puts the options in the README's order, for a section using every key", async (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('The command is built in this order:');
  t.ok(start >= 0, 'the README documents the order');
  const paragraph = readme.slice(start, readme.indexOf('\n\n', start)).replace(/\s+/g, ' ');
  const fixture = makeProject(
    t,
    [
      '[run_image]',
      'synthetic_images = full',
      '[full]',
      'name = hello',
      'environment = -e FROM_ENVIRONMENT=1',
      'env = full_env',
      'interactive = -i',
      'gpu = --gpus all',
      'network = none',
      'volumes = -v {project_root}:/src',
      'ports = -p 127.0.0.1::8080',
      'args = --shm-size 64m',
      'cmd = echo from-cmd',
      '[full_env]',
      'FROM_ENV_SECTION = 2',
    ].join('\n'),
    (suffix) => ({ hello: `FROM busybox\nLABEL dockerutils.test=${suffix}\n` }),
  );
  const documented = parts(fixture.name, fixture.root)
    .map((part) => ({ ...part, at: paragraph.indexOf(part.readme) }))
    .sort((a, b) => a.at - b.at);
  for (const part of documented) t.ok(part.at >= 0, `the README names ${part.readme}`);
  const env = { ...process.env, LOGNAME: 'tester', NO_COLOR: '1', AWS_REGION: 'eu-west-1' };
  const flags = ['-g', '-a', '--memory 64m', '-e', 'FROM_FLAG=3', '--name', 'probe', '--dry-run'];
  const expected = (leftOut: readonly string[]): string =>
    `${documented
      .filter((part) => !leftOut.includes(part.line))
      .map((part) => part.line)
      .join(' ')}\n`;

  const foreground = await runBin('run-image', ['full', ...flags], { cwd: fixture.root, env });
  t.equal(foreground.exitCode, 0, foreground.stderr);
  t.equal(foreground.stdout, expected(['-d']), 'in the foreground: --rm and the interactive flags');
  const kept = await runBin('run-image', ['full', '-k', ...flags], { cwd: fixture.root, env });
  t.equal(kept.exitCode, 0, kept.stderr);
  t.equal(kept.stdout, expected(['--rm', '-i']), 'kept: -d in the place of --rm, detached so not interactive');
});
