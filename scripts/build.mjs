#!/usr/bin/env node
// Bundles each command (src/cli/*.ts) into dist/cli/, with the code they share in chunks and
// lazily imported modules (execa, ssh, ...) kept in chunks of their own. One file per command
// instead of dozens of small modules halves start-up; type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliDir = join(root, 'src', 'cli');
rmSync(join(root, 'dist'), { recursive: true, force: true });
// commander requires node:child_process when it loads, only to spawn executable subcommands, which
// no command here has; loading it (with net, dgram, streams) is a fifth of a dry run's start-up.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${join('node_modules', 'commander')}`) ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: readdirSync(cliDir).filter((name) => name.endsWith('.ts')).map((name) => join(cliDir, name)),
  outdir: join(root, 'dist', 'cli'),
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (commander) call require(); ESM output has none of its own.
  plugins: [lazyChildProcessForCommander],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
