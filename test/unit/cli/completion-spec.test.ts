import t from 'tap';
import { Argument, Command, Option } from 'commander';
import { toolkitCommands } from '../../../src/cli/commands.js';
import { completesWith } from '../../../src/cli/completion-marks.js';
import { commandCompletions } from '../../../src/cli/completion-spec.js';
import { completionScript, completionShells } from '../../../src/cli/output/completion-scripts.js';

t.test("a command's completion is read from its commander definition", async (t) => {
  const command = new Command('demo')
    .argument('<image>')
    .argument('[containers...]')
    .option('-k, --keep')
    .option('--dock <name>')
    .option('-n, --name <name>')
    .addOption(new Option('--sort <column>').choices(['cpu', 'name']))
    .addOption(completesWith(new Option('--check <name>'), ['@docks']))
    .addOption(new Option('--secret <kind>').hideHelp());
  command.addCommand(new Command('use').addArgument(completesWith(new Argument('<name>'), ['@docks', 'local'])));
  const [own, use] = commandCompletions('demo', command);
  t.same(own, {
    path: 'demo',
    flags: ['-k', '--keep', '--dock', '-n', '--name', '--sort', '--check', '-h', '--help', '-V', '--version'],
    valueFlags: [
      { flag: '--dock', tokens: ['@docks'] },
      { flag: '-n', tokens: [] },
      { flag: '--name', tokens: [] },
      { flag: '--sort', tokens: ['cpu', 'name'] },
      { flag: '--check', tokens: ['@docks'] },
    ],
    positionals: [['@images'], ['@containers']],
    variadic: true,
    subcommands: ['use'],
  });
  t.same(use, {
    path: 'demo use',
    flags: ['-h', '--help'],
    valueFlags: [],
    positionals: [['@docks', 'local']],
    variadic: false,
    subcommands: [],
  });
});

t.test('every command of the list has a completion; each script registers every bin', async (t) => {
  const reachable = toolkitCommands.filter((entry) => entry.bin || entry.subcommand);
  const completions = (
    await Promise.all(
      reachable.map(async (entry) => commandCompletions(entry.name, (await entry.load()).createCommand())),
    )
  ).flat();
  const buildImage = completions.find((completion) => completion.path === 'build-image')!;
  t.same(buildImage.positionals, [['@buildable', 'all', 'clean']], 'build-image: buildable images, all, clean');
  t.ok(buildImage.flags.includes('--force-build-base'));
  t.same(completions.find((completion) => completion.path === 'dock use')!.positionals, [['@docks']]);
  for (const path of ['start-dock', 'stop-dock', 'ssh-dock', 'dock rm'])
    t.same(completions.find((completion) => completion.path === path)!.positionals[0], ['@docks'], `${path}: docks`);
  t.same(completions.find((completion) => completion.path === 'rm-images')!.positionals, [['@buildable']]);
  const bins = ['dockerutils', ...toolkitCommands.filter((entry) => entry.bin).map((entry) => entry.name)];
  for (const shell of completionShells) {
    const script = completionScript(shell, completions, bins);
    const registered =
      shell === 'fish'
        ? /^for command in (.+)$/m
        : shell === 'bash'
          ? /^complete -o default -F _dockerutils (.+)$/m
          : /^ {2}compdef _dockerutils (.+)$/m;
    t.same(registered.exec(script)?.[1]?.split(' '), bins, `${shell}: every bin`);
    for (const completion of completions) t.match(script, `'${completion.path}'`, `${shell}: ${completion.path}`);
  }
});

t.test('a word that cannot go between single quotes is refused, not written', async (t) => {
  t.throws(
    () =>
      completionScript(
        'bash',
        [{ path: 'x', flags: ["--it's"], valueFlags: [], positionals: [], variadic: false, subcommands: [] }],
        ['x'],
      ),
    { message: /cannot put "--it's" in a completion script/ },
  );
});
