import { Command } from 'commander';
import { showConfig, type ConfigReport } from '../commands/config.js';
import { addDockOption, createSession, type EngineOptions } from './options.js';

interface ConfigOptions extends EngineOptions {
  json?: boolean;
}

/** dockerutils config [IMAGE] */
export function createCommand(): Command {
  const command = new Command('config')
    .description(
      "each image's settings as the commands will use them (variables substituted, <key>_docked applied for a remote engine, secrets as $NAME) and the docker commands build-image and run-image would run; runs nothing",
    )
    .argument('[image]', 'one image (default: every image of the project)')
    .option('--json', 'print JSON instead of text')
    .addHelpText(
      'after',
      "\nExamples:\n  dockerutils config dev\n  dockerutils config --dock gpu          # the _docked values, docker --context gpu\n  dockerutils config --json | jq -r '.images[] | .run'",
    )
    .action(async (image: string | undefined, options: ConfigOptions) => {
      const report = await showConfig(createSession(options), {
        image,
        stdinIsTerminal: Boolean(process.stdin.isTTY),
        now: new Date(),
      });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatConfig(report));
    });
  addDockOption(command);
  return command;
}

// A block per image: its reference, each setting, then the commands, keys in one column.
function formatConfig(report: ConfigReport): string {
  const header = `engine: ${report.engine}${report.docked ? ' (remote: <key>_docked values apply)' : ''}\n`;
  const blocks = report.images.map((image) => {
    const rows: [string, string][] = [
      ...image.settings.map((setting): [string, string] => [setting.key, setting.text]),
      ...image.build.map((line): [string, string] => ['build', line]),
      ['run', image.run],
    ];
    const width = Math.max(...rows.map(([key]) => key.length));
    const title = `${image.image}  ${image.reference}${image.kind === 'synthetic' ? '  (synthetic: run-only)' : ''}`;
    return [title, ...rows.map(([key, text]) => `  ${key.padEnd(width)}  ${text}`)].join('\n') + '\n';
  });
  return [header, ...blocks].join('\n');
}
