// The package as a user gets it: every bin answers --version, and a tarball installs only what runs,
// without asking to allow scripts, and is small.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runBin, runBounded } from '../../helpers/engine.js';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

t.test('every bin and dockerutils answer --version and -V with the package version', async (t) => {
  const runs = Object.keys(packageJson.bin).flatMap((name) => ['--version', '-V'].map((flag) => [name, flag] as const));
  // Four at a time: each is a Node start-up, and there are dozens.
  for (let first = 0; first < runs.length; first += 4) {
    const batch = runs.slice(first, first + 4);
    const results = await Promise.all(batch.map(([name, flag]) => runBin(name, [flag], { timeoutMs: 20_000 })));
    batch.forEach(([name, flag], index) => {
      t.equal(results[index]!.exitCode, 0, `${name} ${flag}: ${results[index]!.stderr}`);
      t.equal(results[index]!.stdout, `${packageJson.version}\n`, `${name} ${flag}`);
    });
  }
  const sub = await runBin('dockerutils', ['run-image', '--version'], { timeoutMs: 20_000 });
  t.equal(sub.stdout, `${packageJson.version}\n`, 'dockerutils run-image --version');
});

t.test('the packed tarball installs with no dependencies and no install scripts, under 1 MB', async (t) => {
  const dir = t.testdir();
  const packed = await runBounded('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
    cwd: repoRoot,
    timeoutMs: 180_000,
  });
  t.equal(packed.exitCode, 0, packed.stderr);
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'))!;
  const size = statSync(join(dir, tarball)).size;
  t.ok(size < 1_000_000, `the tarball is ${size} bytes`);

  const prefix = join(dir, 'prefix');
  const installed = await runBounded(
    'npm',
    ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(dir, tarball)],
    { cwd: dir, timeoutMs: 180_000 },
  );
  t.equal(installed.exitCode, 0, installed.stderr);
  t.notMatch(installed.stderr, /script/i, 'npm says nothing about scripts');
  const modules = join(prefix, 'lib', 'node_modules');
  t.same(readdirSync(modules), ['dockerutils'], 'nothing but the package itself');
  t.notOk(readdirSync(join(modules, 'dockerutils')).includes('node_modules'), 'no dependencies of its own');
  const version = await runBounded(join(prefix, 'bin', 'run-image'), ['--version'], { timeoutMs: 20_000 });
  t.equal(version.stdout, `${packageJson.version}\n`);
  const ensure = await runBounded(join(prefix, 'bin', 'dockerutils'), ['ensure-engine', '--help'], {
    timeoutMs: 20_000,
  });
  t.equal(ensure.exitCode, 0, ensure.stderr);
  t.ok(statSync(join(modules, 'dockerutils', 'scripts', 'ensure-engine')).isFile(), 'the script ships');
});
