import * as readline from 'node:readline';
import { appendHistory, readHistory } from './history-file.js';

/** What running one line did. */
export interface ShellOutcome {
  readonly exitCode: number;
  /** The line asked to leave the shell (`exit`). */
  readonly exit?: boolean;
}

/** What the session loop needs from the shell's commands: it only reads lines and shows output. */
export interface ShellFrontEnd {
  execute(line: string): Promise<ShellOutcome>;
  complete(line: string): Promise<[string[], string]>;
  prompt(): string;
  /** Starts reporting outside events through `print`; returns the function that stops it. */
  watchNotices(print: (text: string) => void): () => void;
}

/** Where the interactive shell keeps its history. */
export interface HistoryOptions {
  readonly path: string;
  readonly size: number;
}

/**
 * The prompt on a terminal: lines run one at a time, each with the terminal to itself (cooked mode,
 * so Ctrl-C reaches the running docker command as SIGINT and not the shell); Ctrl-C at the prompt
 * drops the line, Ctrl-D leaves. Resolves with 0 when the user leaves.
 */
export function runInteractiveShell(frontEnd: ShellFrontEnd, history: HistoryOptions): Promise<number> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input,
      output,
      terminal: true,
      history: readHistory(history.path, history.size),
      historySize: history.size,
      removeHistoryDuplicates: false,
      completer: (line: string, callback: (error: null, result: [string[], string]) => void) => {
        frontEnd.complete(line).then(
          (result) => callback(null, result),
          () => callback(null, [[], line]),
        );
      },
    });
    const pending: string[] = [];
    let busy = false;
    let historyBroken = false;

    const showPrompt = (): void => {
      rl.setPrompt(frontEnd.prompt());
      rl.prompt();
    };
    const print = (text: string): void => {
      if (busy) {
        output.write(`${text}\n`);
        return;
      }
      readline.clearLine(output, 0);
      readline.cursorTo(output, 0);
      output.write(`${text}\n`);
      rl.prompt(true);
    };
    const stopNotices = frontEnd.watchNotices(print);
    // A Ctrl-C typed while a command runs is for that command (the terminal sends it to the whole
    // foreground group); without a listener node would end the shell with it.
    const keepShell = (): void => {};
    process.on('SIGINT', keepShell);

    const remember = (line: string): void => {
      if (line.trim() === '' || historyBroken) return;
      try {
        appendHistory(history.path, line.trimEnd());
      } catch (error) {
        historyBroken = true;
        output.write(`cannot keep history in ${history.path}: ${(error as Error).message}\n`);
      }
    };
    const drain = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (pending.length > 0) {
        const line = pending.shift()!;
        remember(line);
        rl.pause();
        input.setRawMode?.(false);
        let outcome: ShellOutcome;
        try {
          outcome = await frontEnd.execute(line);
        } finally {
          input.setRawMode?.(true);
          rl.resume();
        }
        if (outcome.exit) {
          rl.close();
          return;
        }
      }
      busy = false;
      showPrompt();
    };

    rl.on('line', (line) => {
      pending.push(line);
      void drain();
    });
    rl.on('SIGINT', () => {
      output.write('^C\n');
      // readline has no public way to drop the typed line; its `line` and `cursor` are plain fields.
      Object.assign(rl, { line: '', cursor: 0 });
      showPrompt();
    });
    rl.on('close', () => {
      stopNotices();
      process.off('SIGINT', keepShell);
      output.write('\n');
      resolve(0);
    });
    showPrompt();
  });
}

/**
 * Commands from a pipe or file, one a line, run in order; the first failure stops the script and
 * its exit code is returned. The whole input is read first, so a command that reads standard input
 * (run -i) cannot swallow the lines after it.
 */
export async function runScriptedShell(frontEnd: ShellFrontEnd, input: NodeJS.ReadableStream): Promise<number> {
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  for (const line of text.split('\n')) {
    const outcome = await frontEnd.execute(line);
    if (outcome.exitCode !== 0) return outcome.exitCode;
    if (outcome.exit) return 0;
  }
  return 0;
}
