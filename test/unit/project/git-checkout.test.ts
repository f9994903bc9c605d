import t from 'tap';
import { join } from 'node:path';
import {
  findGitCheckout,
  headCommit,
  parseGitConfig,
  remoteUrl,
  withoutCredentials,
} from '../../../src/project/git-checkout.js';
import { shortDescription, versionLabels } from '../../../src/project/source-version.js';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

t.test('a clone: HEAD through a loose ref, the packed refs, or detached', async (t) => {
  const dir = t.testdir({
    repo: {
      '.git': {
        HEAD: 'ref: refs/heads/main\n',
        refs: { heads: { main: `${a}\n` } },
        'packed-refs': `# pack-refs with: peeled\n${b} refs/heads/packed\n`,
        config: '[core]\n\tbare = false\n',
      },
      src: { deep: {} },
    },
    outside: {},
  });
  const checkout = findGitCheckout(join(dir, 'repo', 'src', 'deep'));
  t.same(checkout, {
    workTree: join(dir, 'repo'),
    gitDir: join(dir, 'repo', '.git'),
    commonDir: join(dir, 'repo', '.git'),
  });
  t.equal(headCommit(checkout!), a);
  t.equal(remoteUrl(checkout!), undefined, 'no remote');
});

t.test('a linked worktree: HEAD in its own folder, refs and config in the common one', async (t) => {
  const dir = t.testdir({
    main: {
      '.git': {
        HEAD: 'ref: refs/heads/main\n',
        'packed-refs': `${b} refs/heads/feature\n`,
        config: '[remote "origin"]\n\turl = https://user:s3cret@example.com/team/app.git\n',
        worktrees: { wt: { HEAD: 'ref: refs/heads/feature\n', commondir: '../..\n' } },
      },
    },
    wt: {},
  });
  const gitFile = join(dir, 'wt', '.git');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(gitFile, `gitdir: ${join(dir, 'main', '.git', 'worktrees', 'wt')}\n`);
  const checkout = findGitCheckout(join(dir, 'wt'))!;
  t.equal(checkout.commonDir, join(dir, 'main', '.git'));
  t.equal(headCommit(checkout), b, 'from packed-refs of the common folder');
  t.equal(remoteUrl(checkout), 'https://example.com/team/app.git', 'credentials removed');
});

t.test("the remote: the branch's, else origin, else the first", async (t) => {
  const config = [
    '[remote "upstream"]',
    '  url = git@github.com:org/app.git',
    '[remote "origin"]',
    '  url = "https://github.com/me/app.git" ; a comment',
    '[branch "main"]',
    '  remote = upstream',
    '',
  ].join('\n');
  const parsed = parseGitConfig(config);
  t.equal(parsed.get('remote.origin')?.get('url'), 'https://github.com/me/app.git');
  const dir = t.testdir({
    onMain: { '.git': { HEAD: 'ref: refs/heads/main\n', config } },
    onOther: { '.git': { HEAD: 'ref: refs/heads/other\n', config } },
  });
  t.equal(remoteUrl(findGitCheckout(join(dir, 'onMain'))!), 'git@github.com:org/app.git');
  t.equal(remoteUrl(findGitCheckout(join(dir, 'onOther'))!), 'https://github.com/me/app.git');
});

t.test('credentials never reach a label', async (t) => {
  t.equal(withoutCredentials('https://ghp_token@github.com/o/r.git'), 'https://github.com/o/r.git');
  t.equal(withoutCredentials('https://u:p@host:8443/r'), 'https://host:8443/r');
  t.equal(withoutCredentials('ssh://git@host/r.git'), 'ssh://host/r.git');
  t.equal(withoutCredentials('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  t.equal(withoutCredentials('https://github.com/o/r.git'), 'https://github.com/o/r.git');
});

t.test("git describe's usual form from its --long form", async (t) => {
  t.equal(shortDescription('v1.2-0-g1a2b3c4'), 'v1.2');
  t.equal(shortDescription('v1.2-0-g1a2b3c4-dirty'), 'v1.2-dirty');
  t.equal(shortDescription('v1.2-3-g1a2b3c4'), 'v1.2-3-g1a2b3c4');
  t.equal(shortDescription('v1.2-10-g1a2b3c4-dirty'), 'v1.2-10-g1a2b3c4-dirty');
  t.equal(shortDescription('1a2b3c4'), '1a2b3c4');
  t.equal(shortDescription('1a2b3c4-dirty'), '1a2b3c4-dirty');
});

t.test('the OCI labels: none outside git, created to the second', async (t) => {
  const now = new Date('2024-05-01T12:34:56.789Z');
  t.same(versionLabels(undefined, now), {});
  const checkout = { workTree: '/x', gitDir: '/x/.git', commonDir: '/x/.git' };
  t.same(
    versionLabels({ checkout, longDescription: 'v1-0-gabc', version: 'v1', revision: a, source: 'https://h/r' }, now),
    {
      'org.opencontainers.image.version': 'v1',
      'org.opencontainers.image.revision': a,
      'org.opencontainers.image.created': '2024-05-01T12:34:56Z',
      'org.opencontainers.image.source': 'https://h/r',
    },
  );
  t.same(Object.keys(versionLabels({ checkout, longDescription: 'abc', version: 'abc' }, now)), [
    'org.opencontainers.image.version',
    'org.opencontainers.image.created',
  ]);
});
