import { Command } from 'commander';
import { homedir } from 'node:os';
import { listenToContainerChanges, watchContainerDeaths } from '../commands/container-deaths.js';
import { dockNames } from '../commands/dock.js';
import { logsAll } from '../commands/logs-all.js';
import { listScopeContainers } from '../commands/ls-containers.js';
import { engineName, type CommandSession } from '../commands/session.js';
import { ExitCode, errorMessage, UserError } from '../errors.js';
import { sleep } from '../monitor/engine-gate.js';
import { defaultMonitorDir, loadProject, runnableImages, type Project } from '../project/project.js';
import { BackgroundCapture } from '../shell/background-capture.js';
import { completeShellLine } from '../shell/completion.js';
import { DeathNotices } from '../shell/exit-notices.js';
import { historyFilePath } from '../shell/history-file.js';
import { shellPrompt } from '../shell/prompt.js';
import { formatShellHelp, parseShellLine, type ShellCommandSpec } from '../shell/shell-line.js';
import {
  runInteractiveShell,
  runScriptedShell,
  type ShellFrontEnd,
  type ShellOutcome,
} from '../shell/shell-session.js';
import type { ShellEntry, ToolkitCommand } from './command-entry.js';
import { createSession } from './options.js';
import { counted, paint } from './output/terminal.js';
import { runCommand } from './run-command.js';

const historySize = 1000;
const watcherRetryDelayMs = 1000;

/** A shell command with what runs it: a command of the list, or one of the shell's own. */
interface ShellCommandEntry extends ShellEntry {
  readonly load: () => Promise<Command>;
}

/** dockerutils shell, over the given commands. */
export function createShellCommand(commands: readonly ToolkitCommand[]): Command {
  return new Command('shell')
    .description(
      "an interactive prompt for the project's images and containers; reads commands from a pipe too, one a line",
    )
    .addHelpText(
      'after',
      `\nType "help" at the prompt for its commands. History: ${historyFilePath({ XDG_STATE_HOME: '$XDG_STATE_HOME' }, '~')}.\n\nExamples:\n  dockerutils shell\n  printf 'build hello\\nrun hello -k\\nps\\n' | dockerutils shell   # stops at the first failure`,
    )
    .action(async () => {
      const project = loadProject(process.cwd(), process.env);
      const notices = new DeathNotices();
      // Until the prompt shows, and in a script, notices are plain lines on stderr.
      let printNotice = (text: string): void => void process.stderr.write(`${text}\n`);
      const capture = startableCapture((text) => printNotice(text));
      const entries = shellCommandEntries(commands, capture);
      let watcher: DeathWatcher | undefined;
      const frontEnd: ShellFrontEnd = {
        execute: async (line) => {
          const outcome = await executeShellLine(line, entries, notices);
          if (outcome.changedEngine) watcher?.restart();
          return outcome;
        },
        complete: (line) =>
          completeShellLine(line, entries, {
            images: runnableImages(project),
            containers: async () =>
              (await listScopeContainers(quietSession(), { includeStopped: true })).map((container) => container.name),
            docks: () => dockNames(quietSession()),
          }),
        prompt: () => shellPrompt(project.name, engineName(quietSession())),
        watchNotices: (print) => {
          printNotice = print;
          watcher = watchOutsideDeaths(project, notices, print);
          return () => watcher?.stop();
        },
      };
      let exitCode: number;
      try {
        exitCode = process.stdin.isTTY
          ? await runInteractiveShell(frontEnd, { path: historyFilePath(process.env, homedir()), size: historySize })
          : await runScriptedShell(frontEnd, process.stdin);
      } finally {
        // Leaving the shell ends its capture, once its files are complete.
        await stopCapture(capture.capture, (text) => process.stderr.write(`${text}\n`));
      }
      if (exitCode !== 0) throw new ExitCode(exitCode);
    });
}

// Look-ups the user did not type (completion, the prompt) are not echoed.
function quietSession(): ReturnType<typeof createSession> {
  return { ...createSession(), echo: () => {} };
}

/** The shell's capture, where it writes, and the engine it follows: the active one when it started. */
interface ShellCapture {
  readonly capture: BackgroundCapture;
  readonly dir: string;
  readonly session: CommandSession;
  engine: string;
}

// logs-all of the project in the shell's process: files only, its echoed commands and notices printed
// as the shell's other notices are (above the prompt).
function startableCapture(print: (text: string) => void): ShellCapture {
  // logs-all resolves the engine once, when it starts: a later `dock use` does not move a running capture.
  const session: CommandSession = { ...createSession(), echo: (line: string) => print(paint.cyan(line)) };
  const shellCapture: ShellCapture = {
    dir: defaultMonitorDir(session.cwd),
    session,
    engine: '',
    capture: new BackgroundCapture(
      (signal) =>
        logsAll(
          session,
          { once: false, namePatterns: [], signal },
          { lines: () => {}, notice: (text) => print(paint.yellow(`capture: ${text}`)) },
        ),
      (error) => print(paint.yellow(`capture stopped: ${errorMessage(error)}`)),
    ),
  };
  return shellCapture;
}

async function stopCapture(capture: BackgroundCapture, print: (text: string) => void): Promise<void> {
  const summary = await capture.stop();
  if (summary)
    print(
      paint.dim(
        `capture off: ${counted(summary.linesWritten, 'new line')} from ${counted(summary.containers, 'container')} in ${summary.dir}`,
      ),
    );
}

function createCaptureCommand(shellCapture: ShellCapture): Command {
  const { capture, dir } = shellCapture;
  const print = (text: string): void => void process.stderr.write(`${text}\n`);
  return new Command('capture')
    .argument('[state]', 'on or off; alone: whether it runs')
    .action(async (state?: string) => {
      const since = capture.runningSince;
      if (state === undefined) {
        print(
          since
            ? `capture runs since ${since.toTimeString().slice(0, 8)} on ${shellCapture.engine}: logs-all of the project into ${dir}`
            : 'capture is off ("capture on" starts logs-all of the project in the background)',
        );
      } else if (state === 'on') {
        if (since !== undefined) {
          print(`capture runs already, since ${since.toTimeString().slice(0, 8)}, into ${dir}`);
          return;
        }
        shellCapture.engine = engineName(shellCapture.session);
        print(`capture on: logs-all of the project on ${shellCapture.engine} into ${dir} ("capture off" stops it)`);
        capture.start();
      } else if (state === 'off') {
        if (since === undefined) print('capture is off already');
        else await stopCapture(capture, print);
      } else {
        throw new UserError(`capture ${state}: say "capture on", "capture off", or "capture" to see whether it runs`);
      }
    });
}

/** Every command of the shell, in `help` order: those of the list, then the shell's own. */
function shellCommandEntries(commands: readonly ToolkitCommand[], capture: ShellCapture): ShellCommandEntry[] {
  const entries: ShellCommandEntry[] = commands.flatMap((command) =>
    (command.shell ?? []).map((spec) => ({ ...spec, load: async () => (await command.load()).createCommand() })),
  );
  entries.push(
    {
      name: 'capture',
      usage: 'capture [on|off]',
      summary: "logs-all of the project in the shell's background, into its files; alone: whether it runs",
      minArgs: 0,
      completes: 'none',
      choices: ['on', 'off'],
      load: async () => createCaptureCommand(capture),
    },
    {
      name: 'help',
      usage: 'help [COMMAND]',
      summary: "this list, or one command's flags",
      minArgs: 0,
      completes: 'command',
      load: async () => createHelpCommand(entries),
    },
    {
      name: 'exit',
      aliases: ['quit'],
      usage: 'exit',
      summary: 'leave the shell (Ctrl-D too)',
      minArgs: 0,
      completes: 'none',
      load: async () => new Command('exit'),
    },
  );
  return entries;
}

function createHelpCommand(entries: readonly ShellCommandEntry[]): Command {
  return new Command('help').argument('[command]', 'a command whose flags to show').action(async (name?: string) => {
    const entry = entries.find((candidate) => candidate.name === name || candidate.aliases?.includes(name ?? ''));
    if (name !== undefined && !entry) throw new UserError(`no command "${name}"; "help" lists them`);
    if (!entry) {
      process.stdout.write(formatShellHelp(entries));
      return;
    }
    const command = await entry.load();
    process.stdout.write(`usage: ${entry.usage}\n\n${command.name(entry.name).helpInformation()}`);
  });
}

/** Runs one line: the separate command's own commander command, so flags, echo and errors are the same. */
async function executeShellLine(
  line: string,
  entries: readonly ShellCommandEntry[],
  notices: DeathNotices,
): Promise<ShellOutcome & { changedEngine?: boolean }> {
  const parsed = parseShellLine(line, entries);
  if (parsed.kind === 'empty') return { exitCode: 0 };
  if (parsed.kind === 'error') {
    process.stderr.write(`${paint.red('error:')} ${parsed.message}\n`);
    return { exitCode: 2 };
  }
  const entry = parsed.spec as ShellCommandEntry & ShellCommandSpec;
  if (entry.name === 'exit') return { exitCode: 0, exit: true };
  const command = (await entry.load()).name(entry.name);
  let usageProblem = false;
  command.configureOutput({
    writeErr: (text) => {
      usageProblem = true;
      process.stderr.write(text);
    },
  });
  const ownChange = entry.changesContainers ? notices.beginOwnChange() : undefined;
  const stopListening = ownChange ? listenToContainerChanges((targets) => ownChange.changes(targets)) : undefined;
  let exitCode: number;
  try {
    exitCode = await runCommand(command, [...parsed.args, ...(entry.extraArgs ?? [])], 'user');
  } finally {
    stopListening?.();
    ownChange?.end();
  }
  if (usageProblem && exitCode !== 0) process.stderr.write(`usage: ${entry.usage}\n`);
  return { exitCode, changedEngine: entry.changesEngine };
}

interface DeathWatcher {
  stop(): void;
  /** Watches the engine that is active now (after `dock use`). */
  restart(): void;
}

/**
 * Reports the project's containers that die while the prompt is open, from docker events; a watch
 * that fails (no engine yet) says so once and is tried again. DeathNotices drops replayed events.
 */
function watchOutsideDeaths(project: Project, notices: DeathNotices, print: (text: string) => void): DeathWatcher {
  const stopped = new AbortController();
  let current = new AbortController();
  let lastProblem: string | undefined;
  void (async () => {
    let echo = true;
    while (!stopped.signal.aborted) {
      current = new AbortController();
      const signal = AbortSignal.any([stopped.signal, current.signal]);
      const session = echo ? createSession() : quietSession();
      echo = false;
      try {
        await watchContainerDeaths(session, {
          project: project.name,
          signal,
          notice: print,
          onDeath: (death) => {
            const notice = notices.noticeFor(death);
            if (notice) print(notice);
          },
          onStart: (start) => notices.noteStart(start),
        });
        lastProblem = undefined;
      } catch (error) {
        const problem = `cannot watch the project's containers: ${errorMessage(error)}`;
        if (problem !== lastProblem) print(paint.yellow(problem));
        lastProblem = problem;
        await sleep(watcherRetryDelayMs, stopped.signal);
      }
    }
  })();
  return { stop: () => stopped.abort(), restart: () => current.abort() };
}
