import { Command, Option } from 'commander';
import { statsAll } from '../actions/stats-all.js';
import { formatTable } from '../monitor/container-table.js';
import { formatBytes } from '../byte-units.js';
import { formatStatsLine, type StatsSample } from '../monitor/stats-sample.js';
import { addDockOption, createCommandContext, type EngineOptions } from './common-options.js';
import { addScopeOptions, type ScopeOptions } from './scope-options.js';
import { addStatsReportCommands } from './stats-all-report.js';
import { counted, paint, writesToDevNull } from './terminal.js';

interface StatsAllOptions extends EngineOptions, ScopeOptions {
  dir?: string;
  once?: boolean;
  json?: boolean;
  interval: string;
  sort: 'cpu' | 'memory' | 'name';
  name: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** stats-all */
export function createCommand(): Command {
  const command = new Command('stats-all')
    .description(
      'record the resource usage of every running container in scope into <dir>/<short id>-<name>.stats.jsonl, and show it',
    )
    .addOption(
      new Option('--name <pattern>', 'only containers whose name matches this glob (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .option('--dir <folder>', 'where the files go (default: .dockerutils/logs under the project root; git-ignore it)')
    .option('--once', 'take one sample of every container and exit')
    .option('--json', 'print each sample as a JSON line on stdout')
    .option(
      '--interval <seconds>',
      'seconds between samples; above 2 the engine is asked once per interval, which costs it less',
      '1',
    )
    .addOption(
      new Option('--sort <column>', 'order of the live table').choices(['cpu', 'memory', 'name']).default('cpu'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  stats-all\n  stats-all --once --json | jq .memoryUsedBytes\n  stats-all --interval 10 --sort memory',
    )
    .action(async (options: StatsAllOptions) => {
      const context = createCommandContext(options);
      const intervalSeconds = Number(options.interval);
      const stopper = new AbortController();
      const stop = (): void => stopper.abort();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const live = !options.json && Boolean(process.stdout.isTTY);
      const discarded = writesToDevNull(1);
      const latest = new Map<string, StatsSample>();
      let redraw: NodeJS.Timeout | undefined;
      const draw = (): void => {
        redraw = undefined;
        const rows = [...latest.values()].sort((a, b) =>
          options.sort === 'name'
            ? a.name.localeCompare(b.name)
            : options.sort === 'memory'
              ? b.memoryUsedBytes - a.memoryUsedBytes
              : b.cpuPercent - a.cpuPercent,
        );
        const table = formatTable(
          ['NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'],
          rows.map((sample) => [
            sample.name,
            `${sample.cpuPercent.toFixed(2)}%`,
            `${formatBytes(sample.memoryUsedBytes)} / ${formatBytes(sample.memoryLimitBytes)}`,
            `${sample.memoryPercent.toFixed(2)}%`,
            `${formatBytes(sample.networkRxBytes)} / ${formatBytes(sample.networkTxBytes)}`,
            `${formatBytes(sample.blockReadBytes)} / ${formatBytes(sample.blockWriteBytes)}`,
            String(sample.pids),
          ]),
        );
        process.stdout.write(`\u001b[H\u001b[J${table}`);
      };
      try {
        const result = await statsAll(
          context,
          {
            ...options,
            once: Boolean(options.once),
            namePatterns: options.name,
            intervalSeconds: Number.isFinite(intervalSeconds) && intervalSeconds > 0 ? intervalSeconds : 1,
            signal: stopper.signal,
          },
          {
            sample: (sample, jsonLine) => {
              if (discarded) return;
              if (options.json) process.stdout.write(`${jsonLine}\n`);
              else if (!live) process.stdout.write(`${formatStatsLine(sample)}\n`);
              else {
                latest.set(sample.id, sample);
                redraw ??= setTimeout(draw, 100);
              }
            },
            left: (id, name) => {
              latest.delete(id);
              if (live) redraw ??= setTimeout(draw, 100);
              else process.stderr.write(paint.dim(`${name} left\n`));
            },
            notice: (text) => process.stderr.write(`${paint.yellow(text)}\n`),
          },
        );
        if (!context.dryRun) process.stderr.write(paint.dim(`${counted(result.samples, 'sample')} in ${result.dir}\n`));
      } finally {
        clearTimeout(redraw);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  addScopeOptions(command);
  addDockOption(command);
  addStatsReportCommands(command);
  return command;
}
