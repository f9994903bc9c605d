import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolkitCommands } from '../../../src/cli/commands.js';
import { repoRoot } from '../../helpers/engine.js';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };

t.test("package.json's bins are the list's bins, plus dockerutils", async (t) => {
  const bins = toolkitCommands.filter((command) => command.bin).map((command) => command.name);
  t.same(Object.keys(packageJson.bin).sort(), ['dockerutils', ...bins].sort());
  for (const [name, path] of Object.entries(packageJson.bin)) t.equal(path, `bin/${name}.js`, name);
});

t.test('every command of the list loads and is named as listed', async (t) => {
  for (const entry of toolkitCommands) {
    const command = (await entry.load()).createCommand();
    t.equal(
      command.name(),
      entry.name === 'container-logs' ? 'logs' : entry.name === 'stats-snapshot' ? 'stats' : entry.name,
      entry.name,
    );
  }
});

t.test('shell command names are unique, aliases included', async (t) => {
  const names = toolkitCommands.flatMap((command) =>
    (command.shell ?? []).flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]),
  );
  t.same([...new Set(names)], names);
});
