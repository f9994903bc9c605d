#!/usr/bin/env node
// Start-up cost of a command: wall time of `run-image hello --dry-run` (reads the cfg, resolves the
// run, prints the docker line), and of the names shell completion asks for, against `node -e 0` in the
// same environment, alternating runs, medians.
// Usage: node bench/startup.js [runs]   (run from anywhere; it uses this repository's docker/)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 25);
const cases = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'run-image hello --dry-run': [process.execPath, [join(root, 'bin', 'run-image.js'), 'hello', '--dry-run']],
  'build-image hello --dry-run': [process.execPath, [join(root, 'bin', 'build-image.js'), 'hello', '--dry-run']],
  // What Tab on an image name costs: the completion scripts ask this for the cfg's images.
  'completion --list images': [
    process.execPath,
    [join(root, 'bin', 'dockerutils.js'), 'completion', '--list', 'images'],
  ],
};

function timeOnce([file, args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const command of Object.values(cases)) timeOnce(command); // warm the file cache
for (let i = 0; i < runs; i++)
  for (const [name, command] of Object.entries(cases)) samples[name].push(timeOnce(command));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples['node -e 0']);
console.log(
  `start-up, median of ${runs} runs (NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})`,
);
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values);
  console.log(`${name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(2)}x node -e 0`);
}
