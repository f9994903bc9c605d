import { Command, Option } from 'commander';
import { isSeveralDocks } from '../commands/each-dock.js';
import { serviceDocks } from '../commands/dock-swarm.js';
import { statsAll, statsAllOnDocks } from '../commands/stats-all.js';
import type { StatsSample } from '../monitor/stats-sample.js';
import {
  addDocksOption,
  addScopeOptions,
  addServiceOption,
  createSession,
  positiveSeconds,
  repeatableOption,
  reportDockFailures,
  type ScopeOptions,
} from './options.js';
import { StatsView } from './output/stats-view.js';
import type { StatsOrder } from './output/tables.js';
import { counted, paint } from './output/terminal.js';
import { addStatsReportCommands } from './stats-all-report.js';
import { untilStopped } from './stop-signals.js';

interface StatsAllOptions extends ScopeOptions {
  dock: string[];
  dir?: string;
  once?: boolean;
  json?: boolean;
  interval: number;
  sort: StatsOrder;
  name: string[];
}

/** stats-all */
export function createCommand(): Command {
  const command = new Command('stats-all')
    .description(
      'record the resource usage of every running container in scope into <dir>/<short id>-<name>.stats.jsonl, and show it',
    )
    .addOption(repeatableOption('--name <pattern>', 'only containers whose name matches this glob (repeatable)'))
    .option('--dir <folder>', 'where the files go (default: .dockerutils/logs under the project root; git-ignore it)')
    .option('--once', 'take one sample of every container and exit')
    .option('--json', 'print each sample as a JSON line on stdout')
    .option(
      '--interval <seconds>',
      'seconds between samples; above 2 the engine is asked once per interval, which costs it less',
      positiveSeconds,
      1,
    )
    .addOption(
      new Option('--sort <column>', 'order of the live table').choices(['cpu', 'memory', 'name']).default('cpu'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  stats-all\n  stats-all --once --json | jq .memoryUsedBytes\n  stats-all --interval 10 --sort memory',
    )
    .action(async (options: StatsAllOptions) => {
      const session = createSession({ dock: options.dock.at(-1) });
      const view = new StatsView({ json: Boolean(options.json), order: options.sort });
      const reporter = {
        sample: (sample: StatsSample, jsonLine: string) => view.sample(sample, jsonLine),
        left: (id: string, name: string) => view.left(id, name),
        notice: (text: string) => process.stderr.write(`${paint.yellow(text)}\n`),
      };
      try {
        const result = await untilStopped(async (signal) => {
          const request = {
            ...options,
            once: Boolean(options.once),
            namePatterns: options.name,
            intervalSeconds: options.interval,
            signal,
          };
          // A swarm service's tasks run on several nodes: each node's dock is sampled.
          const docks = await serviceDocks(session, options.dock, options.service);
          return isSeveralDocks(docks)
            ? statsAllOnDocks(session, docks, request, reporter)
            : { ...(await statsAll(createSession({ dock: docks.at(-1) }), request, reporter)), failures: [] };
        });
        if (!session.dryRun) process.stderr.write(paint.dim(`${counted(result.samples, 'sample')} in ${result.dir}\n`));
        reportDockFailures(result.failures);
      } finally {
        view.close();
      }
    });
  addScopeOptions(command);
  addServiceOption(command);
  addDocksOption(command);
  addStatsReportCommands(command);
  return command;
}
