import { Command } from 'commander';
import { UserError } from '../errors.js';
import { repeatableOption } from './options.js';
import { paint } from './output/terminal.js';

interface ReadOptions {
  dir?: string;
  since?: string;
  until?: string;
  name: string[];
  dock?: string;
}

// The options both sub-commands read files with.
function addReadOptions(command: Command): Command {
  return command
    .option('--dir <folder>', "stats-all's folder (default: .dockerutils/logs under the project root)")
    .option(
      '--since <time>',
      'only samples from then on: 10m, 1h30m (before now), unix seconds, or RFC3339 with a zone',
    )
    .option('--until <time>', 'only samples up to then, in the same forms')
    .addOption(repeatableOption('--name <pattern>', 'only containers whose name matches this glob (repeatable)'))
    .option(
      '--dock <name>',
      "read <dir>/<name>/, a dock's files (without it: <dir> and its dock sub-folders, the dock in each label)",
    );
}

/** `stats-all report` and `stats-all export`: what stats-all recorded, as an HTML page or a CSV file. */
export function addStatsReportCommands(statsAll: Command): void {
  // The sub-commands take options named like stats-all's own (--dir, --name, --dock): each reads its
  // own, and stats-all's apply only before a sub-command's name.
  statsAll.enablePositionalOptions();
  // runCli configures the command it runs (errors as exit code 2, red messages) after it is built:
  // a sub-command takes that configuration when it is dispatched.
  statsAll.hook('preSubcommand', (parent, subcommand) => {
    subcommand.copyInheritedSettings(parent);
  });

  const report = addReadOptions(
    new Command('report')
      .description(
        'write one HTML page with charts of every figure per container (opens offline) and a table of min, mean, p95 and max',
      )
      .option('--out <file>', 'the page to write (default: stats-report.html in the folder read)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  stats-all report\n  stats-all report --since 1h --name "ann_web_*" --out web.html\n  stats-all report --dir /tmp/run1 --dock prod',
    )
    .action(async (options: ReadOptions & { out?: string }) => {
      const { statsReport } = await import('../commands/stats-report.js');
      const result = await statsReport({ cwd: process.cwd(), ...options, namePatterns: options.name });
      if (result.skipped) process.stderr.write(`${paint.yellow(result.skipped)}\n`);
      const drawing =
        result.downsampledBucketMs === undefined
          ? 'every sample drawn'
          : `drawn as min and max per ${result.downsampledBucketMs / 1000} s`;
      process.stderr.write(
        paint.dim(
          `${result.containers} container${result.containers === 1 ? '' : 's'} in ${result.groups} group${result.groups === 1 ? '' : 's'}, ${result.samples.toLocaleString('en-US')} samples (${drawing}), ${(result.bytes / 1024 / 1024).toFixed(1)} MiB\n`,
        ),
      );
      process.stdout.write(`${result.out}\n`);
    });

  const exportCommand = addReadOptions(
    new Command('export')
      .description('write the samples as CSV: one row per sample, a header row, numbers as numbers')
      .option('--csv', 'CSV (the one format so far; required, so that others can come)')
      .option('--out <file>', 'the file to write (default: stdout)'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  stats-all export --csv > stats.csv\n  stats-all export --csv --since 2024-01-02T03:00:00Z --out night.csv',
    )
    .action(async (options: ReadOptions & { csv?: boolean; out?: string }) => {
      if (!options.csv) throw new UserError('stats-all export: give the format, --csv');
      const { statsExport } = await import('../commands/stats-export.js');
      const result = await statsExport({
        cwd: process.cwd(),
        ...options,
        namePatterns: options.name,
        output: process.stdout,
      });
      if (result.skipped) process.stderr.write(`${paint.yellow(result.skipped)}\n`);
      if (result.out !== undefined) {
        process.stderr.write(
          paint.dim(
            `${result.rows.toLocaleString('en-US')} rows of ${result.containers} containers in ${result.out}\n`,
          ),
        );
      }
    });

  statsAll.addCommand(report).addCommand(exportCommand);
}
