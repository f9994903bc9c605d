import { Command } from 'commander';
import { logsAll } from '../commands/logs-all.js';
import { parseSinceOption, parseTailOption } from '../monitor/capture-options.js';
import {
  addDockOption,
  addScopeOptions,
  createSession,
  repeatableOption,
  type EngineOptions,
  type ScopeOptions,
} from './options.js';
import { createLogMirror } from './output/log-mirror.js';
import { counted, paint } from './output/terminal.js';
import { untilStopped } from './stop-signals.js';

interface LogsAllOptions extends EngineOptions, ScopeOptions {
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
      const session = createSession(options);
      const firstSinceNanos = options.since === undefined ? undefined : parseSinceOption(options.since, Date.now());
      const firstTail = options.tail === undefined ? undefined : parseTailOption(options.tail);
      const summary = await untilStopped((signal) =>
        logsAll(
          session,
          { ...options, once: Boolean(options.once), namePatterns: options.name, firstSinceNanos, firstTail, signal },
          {
            lines: options.quiet ? () => {} : createLogMirror(),
            notice: (text) => process.stderr.write(`${paint.yellow(text)}\n`),
          },
        ),
      );
      if (!session.dryRun) {
        process.stderr.write(
          paint.dim(
            `${counted(summary.linesWritten, 'new line')} from ${counted(summary.containers, 'container')}${summary.samples === undefined ? '' : `, ${counted(summary.samples, 'stats sample')}`} in ${summary.dir}\n`,
          ),
        );
      }
    });
  addScopeOptions(command);
  addDockOption(command);
  return command;
}
