import { Command } from 'commander';
import { isSeveralDocks } from '../commands/each-dock.js';
import { serviceDocks } from '../commands/dock-swarm.js';
import { logsAll, logsAllOnDocks, markPhase } from '../commands/logs-all.js';
import { parseSinceOption, parseTailOption } from '../monitor/capture-options.js';
import {
  addDocksOption,
  addScopeOptions,
  addServiceOption,
  createSession,
  repeatableOption,
  reportDockFailures,
  type ScopeOptions,
} from './options.js';
import { createLogMirror } from './output/log-mirror.js';
import { counted, paint } from './output/terminal.js';
import { untilStopped } from './stop-signals.js';

interface LogsAllOptions extends ScopeOptions {
  dock: string[];
  includeStopped?: boolean;
  dir?: string;
  once?: boolean;
  since?: string;
  tail?: string;
  quiet?: boolean;
  stats?: boolean;
  name: string[];
}

/** logs-all */
export function createCommand(): Command {
  const command = new Command('logs-all')
    .description(
      'capture the logs of every container in scope, and of each one that starts, into <dir>/<short id>-<name>.log and <dir>/all.log, losing and repeating nothing across restarts',
    )
    .option('-a, --include-stopped', 'also catch up stopped containers')
    .addOption(repeatableOption('--name <pattern>', 'only containers whose name matches this glob (repeatable)'))
    .option('--dir <folder>', 'where the files go (default: .dockerutils/logs under the project root; git-ignore it)')
    .option('--once', 'catch every container up to now and exit (for cron and npm scripts)')
    .option(
      '--since <time>',
      'for a container with nothing captured yet: start at this time (10m, 1h, unix seconds, or RFC3339 with a zone)',
    )
    .option('--tail <lines>', 'for a container with nothing captured yet: start with its last N lines')
    .option('-q, --quiet', 'write the files only; do not mirror lines to the terminal')
    .option(
      '--stats',
      'also record the resource usage of the same containers into <dir>/<short id>-<name>.stats.jsonl, as stats-all does, in this process (files only: the terminal shows the logs)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  logs-all                      # until Ctrl-C\n  logs-all --once --dir logs    # from cron\n  logs-all --name "web*" --tail 100\n  logs-all --stats              # logs and stats of the same containers, one process',
    )
    .action(async (options: LogsAllOptions) => {
      markPhase('command started');
      const session = createSession({ dock: options.dock.at(-1) });
      const firstSinceNanos = options.since === undefined ? undefined : parseSinceOption(options.since, Date.now());
      const firstTail = options.tail === undefined ? undefined : parseTailOption(options.tail);
      const reporter = {
        lines: options.quiet ? undefined : createLogMirror(),
        notice: (text: string) => process.stderr.write(`${paint.yellow(text)}\n`),
      };
      const { summary, failures } = await untilStopped(async (signal) => {
        const request = {
          ...options,
          once: Boolean(options.once),
          namePatterns: options.name,
          firstSinceNanos,
          firstTail,
          signal,
        };
        // A swarm service's tasks run on several nodes: each node's dock is followed.
        const docks = await serviceDocks(session, options.dock, options.service);
        return isSeveralDocks(docks)
          ? logsAllOnDocks(session, docks, request, reporter)
          : { summary: await logsAll(createSession({ dock: docks.at(-1) }), request, reporter), failures: [] };
      });
      if (!session.dryRun) {
        process.stderr.write(
          paint.dim(
            `${counted(summary.linesWritten, 'new line')} from ${counted(summary.containers, 'container')}${summary.samples === undefined ? '' : `, ${counted(summary.samples, 'stats sample')}`} in ${summary.dir}\n`,
          ),
        );
      }
      reportDockFailures(failures);
      if (process.env.DOCKERUTILS_TIMINGS) process.stderr.write(phaseTimings());
    });
  addScopeOptions(command);
  addServiceOption(command);
  addDocksOption(command);
  return command;
}

// `timings: command started 96 ms, containers listed +21 ms, ...`: from the process's start, then each phase's own time.
function phaseTimings(): string {
  const marks = performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('logs-all '));
  marks.sort((first, second) => first.startTime - second.startTime);
  const parts = marks.map(
    (mark, index) =>
      `${mark.name.slice('logs-all '.length)} ${index === 0 ? '' : '+'}${(mark.startTime - (marks[index - 1]?.startTime ?? 0)).toFixed(0)} ms`,
  );
  return `timings: ${parts.join(', ')}\n`;
}
