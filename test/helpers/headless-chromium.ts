// A page opened in a real headless Chromium (Debian's `chromium`), driven over the DevTools protocol
// on a pipe (--remote-debugging-pipe): no browser download, no port, no dependency. Used by the stats
// report test and by the script that makes the README's screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Where Debian's package puts it; CHROMIUM overrides. */
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Fails loudly (never skips) when Chromium is missing, with the command that installs it. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath}: run \`apt-get install -y chromium\` as root (.ci/run does)`);
  }
}

// Root needs --no-sandbox; the rest keeps the browser from reaching out to anything on its own.
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--mute-audio',
  // The crash handler runs in a session of its own, which the kill of the group would miss.
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--hide-scrollbars',
  // A page opened over the protocol counts as a background tab: without these its parsing and timers
  // are throttled to a crawl (a 6 MB page took 30 s to parse).
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--remote-debugging-pipe',
];

interface ProtocolMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** What a page did that a person would call broken: exceptions, console errors, failed loads. */
export interface PageProblem {
  readonly source: string;
  readonly text: string;
}

/** A headless Chromium, killed (SIGKILL) by close() and at the latest by `timeoutMs`. */
export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: ProtocolMessage) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Set<(message: ProtocolMessage) => void>();
  private readonly killTimer: NodeJS.Timeout;
  private stderr = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly userDataDir: string,
    timeoutMs: number,
  ) {
    const input = child.stdio[4] as Readable;
    let buffered = '';
    input.setEncoding('utf8');
    input.on('data', (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf('\0'); end !== -1; end = buffered.indexOf('\0')) {
        const message = JSON.parse(buffered.slice(0, end)) as ProtocolMessage;
        buffered = buffered.slice(end + 1);
        this.dispatch(message);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-4000);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const { reject } of this.pending.values()) reject(new Error(`chromium exited: ${this.stderr.trim()}`));
      this.pending.clear();
    });
    this.killTimer = setTimeout(() => this.kill(), timeoutMs);
  }

  /** Starts Chromium with a fresh profile. */
  static async launch(options: { timeoutMs?: number } = {}): Promise<HeadlessChromium> {
    requireChromium();
    const userDataDir = mkdtempSync(join(tmpdir(), 'report-chromium-'));
    // Its own process group: the renderer, GPU and crash handler processes end with it.
    const child = spawn(chromiumPath, [...chromiumFlags, `--user-data-dir=${userDataDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const browser = new HeadlessChromium(child, userDataDir, options.timeoutMs ?? 120_000);
    await browser.send('Browser.getVersion');
    return browser;
  }

  /** Sends a protocol command (to a page when `sessionId` is given) and resolves with its result. */
  async send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    if (this.exited) throw new Error(`chromium exited: ${this.stderr.trim()}`);
    const id = this.nextId++;
    const answer = new Promise<ProtocolMessage>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    const message = await answer;
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result ?? {};
  }

  /** Calls `listener` with every event until the returned function is called. */
  listen(listener: (message: ProtocolMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a new page (tab) of the given size. */
  async newPage(width: number, height: number): Promise<ChromiumPage> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new ChromiumPage(this, sessionId as string);
    await page.start(width, height);
    return page;
  }

  /** Closes the browser (killing its processes if it does not close within 5 s) and removes its profile. */
  async close(): Promise<void> {
    clearTimeout(this.killTimer);
    if (!this.exited) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await withTimeout(this.send('Browser.close'), 5000, 'Browser.close').catch(() => this.kill());
      await withTimeout(exited, 5000, 'chromium exiting').catch(() => this.kill());
      await exited;
    }
    // Its helper processes may still be writing into the profile for a moment.
    this.kill();
    rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  // SIGKILL to the process group this launch started (negative pid: the group).
  private kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  private dispatch(message: ProtocolMessage): void {
    if (message.id !== undefined) {
      this.pending.get(message.id)?.resolve(message);
      this.pending.delete(message.id);
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
}

/** One tab: what it loaded and what went wrong in it. */
export class ChromiumPage {
  /** Exceptions, console errors and error log entries, in order. */
  readonly problems: PageProblem[] = [];
  /** Every URL the page requested. */
  readonly requests: string[] = [];
  private loaded: (() => void) | undefined;

  constructor(
    private readonly browser: HeadlessChromium,
    private readonly sessionId: string,
  ) {
    browser.listen((message) => {
      if (message.sessionId !== sessionId || !message.params) return;
      const params = message.params as Record<string, never>;
      if (message.method === 'Runtime.exceptionThrown') {
        const details = params.exceptionDetails as { text: string; exception?: { description?: string } };
        this.problems.push({ source: 'exception', text: details.exception?.description ?? details.text });
      } else if (message.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(params.type)) {
        const args = params.args as { value?: unknown; description?: string }[];
        this.problems.push({
          source: 'console',
          text: args.map((arg) => arg.description ?? String(arg.value)).join(' '),
        });
      } else if (message.method === 'Log.entryAdded') {
        const entry = params.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error')
          this.problems.push({ source: 'log', text: `${entry.text} ${entry.url ?? ''}`.trim() });
      } else if (message.method === 'Network.requestWillBeSent') {
        this.requests.push((params.request as { url: string }).url);
      } else if (message.method === 'Page.loadEventFired') {
        this.loaded?.();
      }
    });
  }

  /** Enables the domains it watches and sets the viewport. */
  async start(width: number, height: number): Promise<void> {
    for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await this.send(`${domain}.enable`);
    await this.send('Page.bringToFront');
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  /** Sends a command to this page. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Shows the page as a viewer in this time zone would see it (an IANA name). */
  async setTimeZone(timezoneId: string): Promise<void> {
    await this.send('Emulation.setTimezoneOverride', { timezoneId });
  }

  /** Navigates and resolves once the load event fired. */
  async goto(url: string, timeoutMs = 30_000): Promise<void> {
    const loaded = new Promise<void>((resolve) => (this.loaded = resolve));
    const result = await this.send('Page.navigate', { url });
    if (result.errorText) throw new Error(`navigating to ${url}: ${String(result.errorText)}`);
    await withTimeout(loaded, timeoutMs, `the load event of ${url}`);
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result.exceptionDetails) {
      throw new Error(`evaluating ${expression}: ${JSON.stringify(result.exceptionDetails)}`);
    }
    return (result.result as { value: T }).value;
  }

  /** Polls an expression until it is truthy. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > deadline) throw new Error(`${expression} still false after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Moves the mouse to a point of the viewport. */
  async hover(x: number, y: number): Promise<void> {
    await this.mouse('mouseMoved', x, y, 'none');
  }

  /** A left click at a point of the viewport, as a mouse makes it. */
  async click(x: number, y: number): Promise<void> {
    await this.mouse('mouseMoved', x, y, 'none');
    await this.mouse('mousePressed', x, y);
    await this.mouse('mouseReleased', x, y);
  }

  /** A left-button drag from one point to another, in a few moves. */
  async drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await this.mouse('mouseMoved', from.x, from.y, 'none');
    await this.mouse('mousePressed', from.x, from.y);
    for (let step = 1; step <= 5; step++) {
      await this.mouse('mouseMoved', from.x + ((to.x - from.x) * step) / 5, from.y + ((to.y - from.y) * step) / 5);
    }
    await this.mouse('mouseReleased', to.x, to.y);
  }

  private async mouse(type: string, x: number, y: number, button = 'left'): Promise<void> {
    await this.send('Input.dispatchMouseEvent', { type, x, y, button, clickCount: button === 'none' ? 0 : 1 });
  }

  /** A PNG of the whole page (not only the viewport), or of its top `maxHeight` pixels, written to `path`. */
  async screenshot(path: string, maxHeight = Infinity): Promise<void> {
    const metrics = await this.send('Page.getLayoutMetrics');
    const content = metrics.cssContentSize as { width: number; height: number };
    const size = { width: content.width, height: Math.min(content.height, maxHeight) };
    const { data } = await this.send('Page.captureScreenshot', {
      format: 'png',
      captureBeyondViewport: true,
      clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 },
    });
    writeFileSync(path, Buffer.from(data as string, 'base64'));
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
