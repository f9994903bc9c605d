// Drives an interactive program in a real pseudo-terminal: a private tmux server per test.
import { runBounded, type BoundedOptions } from './engine.js';

/** A tmux server of its own (`tmux -L NAME`), so parallel tests never share sessions. */
export class TmuxServer {
  /** NAME carries a recorded suffix (uniqueSuffix), so that the suite's clean-up knows whose it is. */
  constructor(readonly socketName: string) {}

  /**
   * Runs one tmux command, bounded; fails when tmux does. The command that starts the server gives it
   * its environment and home (`env`, `home`), which the programs of its sessions inherit.
   */
  async tmux(args: readonly string[], options: Pick<BoundedOptions, 'env' | 'home'> = {}): Promise<string> {
    const result = await runBounded('tmux', ['-L', this.socketName, ...args], { ...options, timeoutMs: 10_000 });
    if (result.exitCode !== 0)
      throw new Error(
        `tmux ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}. Install tmux: apt-get install -y tmux`,
      );
    return result.stdout;
  }

  /** Starts `argv` (run directly, no shell) in a new detached session of a fixed size. */
  async start(
    session: string,
    cwd: string,
    argv: readonly string[],
    options: Pick<BoundedOptions, 'env' | 'home'> = {},
  ): Promise<void> {
    await this.tmux(['new-session', '-d', '-s', session, '-x', '200', '-y', '50', '-c', cwd, ...argv], options);
  }

  /** Types keys: literal text with `text`, key names (Enter, Tab, C-c, Up) with `key`. */
  async text(session: string, text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', session, '-l', text]);
  }

  async key(session: string, key: string): Promise<void> {
    await this.tmux(['send-keys', '-t', session, key]);
  }

  /** The visible screen of the session's pane. */
  async screen(session: string): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-J', '-t', session]);
  }

  /** Polls the screen until `pattern` matches; fails with the screen after `timeoutMs`. */
  async waitFor(session: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen(session).catch((error: Error) => error.message);
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the screen never matched ${pattern} within ${timeoutMs} ms; it shows:\n${screen}`);
  }

  /** Waits until the session's program has ended (tmux closes the session then). */
  async waitForEnd(session: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const result = await runBounded('tmux', ['-L', this.socketName, 'has-session', '-t', session], {
        timeoutMs: 10_000,
      });
      if (result.exitCode !== 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`session ${session} still runs after ${timeoutMs} ms; it shows:\n${await this.screen(session)}`);
  }

  /** Ends the server and every session in it. */
  async kill(): Promise<void> {
    await runBounded('tmux', ['-L', this.socketName, 'kill-server'], { timeoutMs: 10_000 });
  }
}
