#!/usr/bin/env node
// Bundles each bin of package.json into one file, dist/bin/<name>.js, from src/cli/<name>.ts, with the
// modules it loads lazily (execa, ...) in chunks beside it. One file per command instead of a graph of
// shared chunks is what keeps start-up near `node -e 0`; type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');
const commands = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin);

// commander requires node:child_process when it loads, only to spawn executable subcommands, which
// no command here has; loading it (with net, dgram, streams) is a fifth of a dry run's start-up.
const lazyChildProcessForCommander = {
  name: 'lazy-child-process-for-commander',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(join('node_modules', 'commander'))
        ? { path: 'lazy-child-process', namespace: 'lazy' }
        : undefined,
    );
    esbuild.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents:
        "module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

// `import text from 'file' with { type: 'text' }`: the file's contents as a string (esbuild itself only
// knows `type: 'json'`); the stats report inlines uPlot and its page script this way.
const textImports = {
  name: 'text-imports',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.(js|css)$/ }, (args) =>
      args.with.type === 'text' ? { contents: readFileSync(args.path, 'utf8'), loader: 'text' } : undefined,
    );
  },
};

// The entry of a bin: the umbrella's main(), or one command run through the shared runCli.
function entryFor(name) {
  const cli = join(root, 'src', 'cli');
  return name === 'dockerutils'
    ? `import { main } from ${JSON.stringify(join(cli, 'dockerutils.ts'))};\nawait main();\n`
    : `import { runCli } from ${JSON.stringify(join(cli, 'run-command.ts'))};\nimport { createCommand } from ${JSON.stringify(join(cli, `${name}.ts`))};\nawait runCli(createCommand());\n`;
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
// One build per bin: a build of several entries would share code between them through chunks again.
await Promise.all(
  commands.map((name) =>
    build({
      stdin: { contents: entryFor(name), resolveDir: root, sourcefile: `bin/${name}.js`, loader: 'ts' },
      outdir,
      entryNames: name,
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: false,
      minify: true,
      logLevel: 'warning',
      plugins: [lazyChildProcessForCommander, textImports],
      // Bundled CommonJS dependencies (commander) call require(); ESM output has none of its own.
      banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    }),
  ),
);
