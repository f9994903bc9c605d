import { Command, Option } from 'commander';
import { logsAll } from '../actions/logs-all.js';
import { parseSinceOption, parseTailOption } from '../monitor/capture-options.js';
import type { LogLine } from '../monitor/log-decoder.js';
import { addDockOption, createCommandContext, type EngineOptions } from './common-options.js';
import { addScopeOptions, type ScopeOptions } from './scope-options.js';
import { counted, paint, wantsColor } from './terminal.js';

interface LogsAllOptions extends EngineOptions, ScopeOptions {
  includeStopped?: boolean;
  dir?: string;
  once?: boolean;
  since?: string;
  tail?: string;
  quiet?: boolean;
  name: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
// compose's palette for name prefixes: cyan, yellow, green, magenta, blue, red (bright and plain).
const prefixColors = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** logs-all */
export function createCommand(): Command {
  const command = new Command('logs-all')
    .description(
      'capture the logs of every container in scope, and of each one that starts, into <dir>/<short id>-<name>.log and <dir>/all.log, losing and repeating nothing across restarts',
    )
    .option('-a, --include-stopped', 'also catch up stopped containers')
    .addOption(
      new Option('--name <pattern>', 'only containers whose name matches this glob (repeatable)')
        .argParser(collect)
        .default([]),
    )
    .option('--dir <folder>', 'where the files go (default: .dockerutils/logs under the project root; git-ignore it)')
    .option('--once', 'catch every container up to now and exit (for cron and npm scripts)')
    .option(
      '--since <time>',
      'for a container with nothing captured yet: start at this time (10m, 1h, unix seconds, or RFC3339 with a zone)',
    )
    .option('--tail <lines>', 'for a container with nothing captured yet: start with its last N lines')
    .option('-q, --quiet', 'write the files only; do not mirror lines to the terminal')
    .addHelpText(
      'after',
      '\nExamples:\n  logs-all                      # until Ctrl-C\n  logs-all --once --dir logs    # from cron\n  logs-all --name "web*" --tail 100',
    )
    .action(async (options: LogsAllOptions) => {
      const context = createCommandContext(options);
      const firstSinceNanos = options.since === undefined ? undefined : parseSinceOption(options.since, Date.now());
      const firstTail = options.tail === undefined ? undefined : parseTailOption(options.tail);
      const stopper = new AbortController();
      const stop = (signal: NodeJS.Signals): void => {
        if (stopper.signal.aborted) {
          // A second Ctrl-C: do not wait for files to close.
          process.off(signal, stop);
          process.kill(process.pid, signal);
        }
        stopper.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        const summary = await logsAll(
          context,
          {
            ...options,
            once: Boolean(options.once),
            namePatterns: options.name,
            firstSinceNanos,
            firstTail,
            signal: stopper.signal,
          },
          {
            lines: options.quiet ? () => {} : createMirror(),
            notice: (text) => process.stderr.write(`${paint.yellow(text)}\n`),
          },
        );
        if (!context.dryRun)
          process.stderr.write(
            paint.dim(
              `${counted(summary.linesWritten, 'new line')} from ${counted(summary.containers, 'container')} in ${summary.dir}\n`,
            ),
          );
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
  addScopeOptions(command);
  addDockOption(command);
  return command;
}

// The terminal mirror: `name | text`, the name colored per container on a color terminal.
function createMirror(): (name: string, lines: readonly LogLine[]) => void {
  const color = wantsColor(process.stdout, process.env);
  const prefixes = new Map<string, string>();
  return (name, lines) => {
    let prefix = prefixes.get(name);
    if (prefix === undefined) {
      const code = prefixColors[prefixes.size % prefixColors.length]!;
      prefix = color ? `\u001b[${code}m${name} |\u001b[39m ` : `${name} | `;
      prefixes.set(name, prefix);
    }
    process.stdout.write(lines.map((line) => `${prefix}${line.text}\n`).join(''));
  };
}
