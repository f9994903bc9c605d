import { Command } from 'commander';
import { homedir } from 'node:os';
import { contextNamesArgs } from '../docker/container-output.js';
import { watchContainerDeaths } from '../docker/container-events.js';
import { listContainers } from '../docker/containers.js';
import { runDocker } from '../docker/exec.js';
import { ExitCode } from '../errors.js';
import { loadProject, runnableImages, type Project } from '../project/project.js';
import { completeShellLine } from '../shell/completion.js';
import { DeathNotices, sinceArgument } from '../shell/exit-notices.js';
import { historyFilePath } from '../shell/history-file.js';
import { activeDockName, shellPrompt } from '../shell/prompt.js';
import { parseShellLine } from '../shell/shell-line.js';
import {
  runInteractiveShell,
  runScriptedShell,
  type ShellFrontEnd,
  type ShellOutcome,
} from '../shell/shell-session.js';
import { createCommandContext } from './common-options.js';
import { runCommand } from './run-command.js';
import { shellCommandEntries, type ShellCommandEntry } from './shell-commands.js';
import { paint } from './terminal.js';

const historySize = 1000;
const watcherRestartDelayMs = 1000;

/** dockerutils shell */
export function createCommand(): Command {
  return new Command('shell')
    .description(
      "an interactive prompt for the project's images and containers; reads commands from a pipe too, one a line",
    )
    .addHelpText(
      'after',
      `\nType "help" at the prompt for its commands. History: ${historyFilePath({ XDG_STATE_HOME: '$XDG_STATE_HOME' }, '~')}.\n\nExamples:\n  dockerutils shell\n  printf 'build hello\\nrun hello -k\\nps\\n' | dockerutils shell   # stops at the first failure`,
    )
    .action(async () => {
      const context = createCommandContext({});
      const project = loadProject(context.cwd, context.env);
      const notices = new DeathNotices();
      let restartWatcher = (): void => {};
      const entries = shellCommandEntries({ onDockChange: () => restartWatcher() });
      const frontEnd: ShellFrontEnd = {
        execute: (line) => executeShellLine(line, entries, notices),
        complete: (line) =>
          completeShellLine(line, entries, {
            images: runnableImages(project),
            containers: async () =>
              (
                await listContainers(
                  createCommandContext({}),
                  { project: project.name, includeStopped: true },
                  { quiet: true },
                )
              ).map((container) => container.name),
            docks: async () =>
              (await runDocker(createCommandContext({}), contextNamesArgs(), { quiet: true })).stdout
                .split('\n')
                .filter(Boolean),
          }),
        prompt: () => shellPrompt(project.name, activeDockName(process.env)),
        watchNotices: (print) => {
          const watcher = watchOutsideDeaths(project, notices, print);
          restartWatcher = watcher.restart;
          return watcher.stop;
        },
      };
      const exitCode = process.stdin.isTTY
        ? await runInteractiveShell(frontEnd, { path: historyFilePath(process.env, homedir()), size: historySize })
        : await runScriptedShell(frontEnd, process.stdin);
      if (exitCode !== 0) throw new ExitCode(exitCode);
    });
}

/** Runs one line: the separate command's own commander command, so flags, echo and errors are the same. */
async function executeShellLine(
  line: string,
  entries: readonly ShellCommandEntry[],
  notices: DeathNotices,
): Promise<ShellOutcome> {
  const parsed = parseShellLine(line, entries);
  if (parsed.kind === 'empty') return { exitCode: 0 };
  if (parsed.kind === 'error') {
    process.stderr.write(`${paint.red('error:')} ${parsed.message}\n`);
    return { exitCode: 2 };
  }
  const entry = parsed.spec as ShellCommandEntry;
  if (entry.name === 'exit') return { exitCode: 0, exit: true };
  const command = (await entry.load()).name(entry.name);
  let usageProblem = false;
  command.configureOutput({
    writeErr: (text) => {
      usageProblem = true;
      process.stderr.write(text);
    },
  });
  const ownChangeEnded = entry.changesContainers ? notices.beginOwnChange() : undefined;
  const exitCode = await runCommand(command, [...parsed.args, ...(entry.extraArgs ?? [])], 'user');
  ownChangeEnded?.();
  if (usageProblem && exitCode !== 0) process.stderr.write(`usage: ${entry.usage}\n`);
  return { exitCode };
}

/**
 * Reports the project's containers that die while the prompt is open. docker events is restarted
 * when it ends (a Ctrl-C meant for a command reaches it too, the dock may change) with `--since`,
 * so no event is missed; DeathNotices drops the replayed ones.
 */
function watchOutsideDeaths(
  project: Project,
  notices: DeathNotices,
  print: (text: string) => void,
): { stop: () => void; restart: () => void } {
  const stopped = new AbortController();
  let current = new AbortController();
  void (async () => {
    let since: string | undefined;
    let quiet = false;
    while (!stopped.signal.aborted) {
      current = new AbortController();
      const abortCurrent = (): void => current.abort();
      stopped.signal.addEventListener('abort', abortCurrent, { once: true });
      await watchContainerDeaths(
        createCommandContext({}),
        { project: project.name, includeStopped: true },
        {
          since,
          quiet,
          signal: current.signal,
          onDeath: (death) => {
            const notice = notices.noticeFor(death);
            if (notice) print(notice);
          },
        },
      ).catch(() => undefined);
      stopped.signal.removeEventListener('abort', abortCurrent);
      quiet = true;
      since = sinceArgument(BigInt(Date.now() - watcherRestartDelayMs) * 1_000_000n);
      if (!stopped.signal.aborted) await new Promise((resolve) => setTimeout(resolve, watcherRestartDelayMs));
    }
  })();
  return { stop: () => stopped.abort(), restart: () => current.abort() };
}
