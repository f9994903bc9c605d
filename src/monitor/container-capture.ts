import {
  containerLogsCommandLine,
  EngineApiError,
  type EngineResponse,
  inspectContainerState,
  isEngineUnreachable,
  openContainerLogs,
  type ContainerRunState,
  type LogRequest,
} from '../docker/engine-api.js';
import type { CommandContext } from '../docker/exec.js';
import { shortId } from '../docker/containers.js';
import { fixedWidthTimestamp, formatTimestamp, timestampNanos } from '../docker/timestamps.js';
import { sleep, type EngineGate } from './engine-gate.js';
import { formatNoteLine, LineHistory, type ResumeFilter } from './log-cursor.js';
import { ByteBuilder } from './byte-builder.js';
import { LogDecoder, toLogLine, type LineSink, type LogLine, type LogStream } from './log-decoder.js';
import {
  AppendFile,
  containerCursorPath,
  FileWriteError,
  containerLogPath,
  readCursor,
  readLogFileTail,
  writeCursor,
} from './log-files.js';
import { errorMessage } from '../errors.js';
import { writeRetryDelayMs, type WriteGate } from './write-gate.js';

// For the phase timings of a run (see markPhase in commands/logs-all.ts).
let firstLogOpened = false;

/** How logs-all captures: shared by every container. */
export interface CaptureSettings {
  readonly dir: string;
  /** Catch up to now and stop, instead of following. */
  readonly once: boolean;
  /** `--since`, for a container that has no lines captured yet. */
  readonly firstSinceNanos?: bigint;
  /** `--tail`, for a container that has no lines captured yet. */
  readonly firstTail?: number;
  readonly signal: AbortSignal;
}

/** Where captured lines and notices go besides the container's own file. */
export interface CaptureOutput {
  readonly allLog: AppendFile;
  /** Tells once that the folder cannot be written, and when it can again. */
  readonly writes: WriteGate;
  /** Lines as they are written, for the terminal. */
  lines?: (name: string, lines: readonly LogLine[]) => void;
  /** One-line news for people: exits, removals. */
  notice(text: string): void;
  readonly engine: EngineGate;
}

// Lines are stamped up to ~3.5 s after a container's FinishedAt (the daemon stops the log copier
// after marking the container stopped): a stopped container's log is read until it is quiet, at most this long.
const copyAfterExitNanos = 5_000_000_000n;
// The log of a stopped container has stopped growing when this long passed without a new line.
const logQuietMs = 1000;
const logPollMs = 200;
const zeroTime = '0001-01-01T00:00:00.000000000Z';
const cursorSaveDelayMs = 500;
// The engine sends a few lines per read during a burst: lines are written in pieces of up to this
// size, at most this long after they arrived.
const writeBatchBytes = 256 * 1024;
const writeDelayMs = 25;

/**
 * Captures one container's log into its file, across follows, restarts and engine outages: every
 * read resumes from the newest written line (overlapping, repeats dropped), and every follow that
 * ends is followed by reads without -f until the log is exhausted.
 */
export class ContainerCapture {
  private readonly history = new LineHistory();
  private file: AppendFile | undefined;
  private readonly cursorPath: string;
  private readonly logPath: string;
  private bannerStartedAt: string | undefined;
  private bannerFinishedAt: string | undefined;
  private dieExitCode: number | undefined;
  // The oldest line this capture wrote: where a --tail read began.
  private oldestWritten: string | undefined;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private response: EngineResponse | undefined;
  private cursorTimer: NodeJS.Timeout | undefined;
  private echoedFollow = false;
  private following = false;
  /** A die event came after the last inspect: a follow opened since then must be re-decided. */
  private dieSeen = false;
  /** A run seen by inspect whose start banner is due before its first line. */
  private armedRun: ContainerRunState | undefined;
  /** Where the armed run's lines begin (see runBoundary). */
  private armedBoundary: string | undefined;
  /** Lines of runs before the first one seen were written under a note of their own. */
  private earlierRunsMarked = false;
  /** The text of the lines being written, for the container's file and for all.log. */
  private readonly ownText = new ByteBuilder();
  private readonly allText = new ByteBuilder();
  private readonly namePrefix: Buffer;
  private cursorSaving: Promise<void> = Promise.resolve();
  /**
   * Text for the container's file and for all.log, not written yet: encoded read by read, so a batch
   * waiting for its write is a few buffers, not thousands of strings the garbage collector copies.
   * A piece leaves its queue only once written, so a failed write is tried again with the same text.
   */
  private readonly ownQueue = new WriteQueue();
  private readonly allQueue = new WriteQueue();
  private writing: Promise<void> = Promise.resolve();
  private writeTimer: NodeJS.Timeout | undefined;
  /** Lines written by this capture. */
  linesWritten = 0;

  constructor(
    private readonly context: CommandContext,
    readonly id: string,
    readonly name: string,
    private readonly settings: CaptureSettings,
    private readonly output: CaptureOutput,
  ) {
    this.namePrefix = Buffer.from(`${name} `);
    this.cursorPath = containerCursorPath(settings.dir, id, name);
    this.logPath = containerLogPath(settings.dir, id, name);
    settings.signal.addEventListener('abort', () => this.interrupt(), { once: true });
  }

  /** A start event: whatever the capture is waiting for, it looks at the container again. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
    if (this.following) this.response?.destroy();
  }

  /** The exit code of a die event, for the exit banner of a run that was restarted before we saw it stopped. */
  noteDie(exitCode: number | undefined): void {
    this.dieExitCode = exitCode;
    this.dieSeen = true;
  }

  // A timed write that fails is tried again by the next write or by the loop's retry.
  private readonly noteWriteFailure = (error: unknown): void => {
    // --once ends with the error instead.
    if (error instanceof FileWriteError) {
      if (!this.settings.once) this.output.writes.failed(error);
    } else this.output.notice(`${this.name}: ${errorMessage(error)}`);
  };

  /** Runs until the container is removed, the run is stopped, or (with --once) it is caught up. */
  async run(): Promise<void> {
    try {
      await this.restore();
      await this.loop();
    } finally {
      clearTimeout(this.cursorTimer);
      // Saving the cursor writes the queued lines first.
      await this.saveCursor().catch(this.noteWriteFailure);
      this.file?.close();
    }
  }

  private async loop(): Promise<void> {
    const { signal, once } = this.settings;
    while (!signal.aborted) {
      try {
        this.wakeRequested = false;
        this.dieSeen = false;
        const state = await this.inspect();
        if (state.startedAt !== zeroTime && state.startedAt !== this.bannerStartedAt) {
          this.armedRun = state;
          this.armedBoundary = runBoundary(state);
        }
        if (state.running && !once) {
          // Lines before the new run's start go above its banner, the rest below.
          if (this.armedRun) await this.read(state, { follow: false, final: false });
          await this.writeArmedBanner();
          const startedMs = Date.now();
          const added = await this.read(state, { follow: true, final: false });
          // A follow that ends at once on a running container: do not spin.
          if (added === 0 && Date.now() - startedMs < 1000) await sleep(1000, signal);
          continue;
        }
        await this.catchUp(state);
        await this.writeArmedBanner();
        if (state.running) return;
        const after = await this.inspect();
        if (after.running || after.startedAt !== state.startedAt) continue;
        await this.bannerExit(after);
        if (once) return;
        await this.waitForWake();
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof EngineApiError && error.statusCode === 404) {
          await this.writeNote(formatTimestamp(BigInt(Date.now()) * 1_000_000n), 'removed', `${this.name} was removed`);
          this.output.notice(`${this.name} removed`);
          return;
        }
        if (isEngineUnreachable(error)) {
          await this.output.engine.waitUntilReachable(error);
          continue;
        }
        if (error instanceof FileWriteError) {
          // --once ends with the error; a follower reads nothing more until what it read is written.
          if (once) throw error;
          await this.writeUntilItWorks(error);
          continue;
        }
        this.output.notice(`${this.name}: ${errorMessage(error)}; retrying`);
        await sleep(1000, signal);
      }
    }
  }

  // Reads without -f until nothing new comes; a stopped container is read again until its last
  // lines have surely been stored, and only then is a last line without a newline final.
  private async inspect(): Promise<ContainerRunState> {
    const state = await inspectContainerState(this.context, this.id);
    return {
      ...state,
      startedAt: fixedWidthTimestamp(state.startedAt),
      finishedAt: fixedWidthTimestamp(state.finishedAt),
    };
  }

  private async catchUp(state: ContainerRunState): Promise<void> {
    if (state.running) {
      await this.read(state, { follow: false, final: false });
      return;
    }
    const settledAtMs = Number((timestampNanos(state.finishedAt) + copyAfterExitNanos) / 1_000_000n);
    // docker goes on copying a stopped container's last lines for a while (seconds after a burst):
    // the log is read again until it stops growing, each time after making sure no next run began.
    let quietSinceMs = Date.now();
    while (Date.now() < settledAtMs) {
      const now = await this.inspect();
      if (now.running || now.startedAt !== state.startedAt) return;
      const added = await this.read(state, { follow: false, final: false });
      if (this.wakeRequested || this.settings.signal.aborted) return;
      if (added > 0) quietSinceMs = Date.now();
      else if (Date.now() - quietSinceMs >= logQuietMs) break;
      await this.sleepUnlessWoken(logPollMs);
      if (this.wakeRequested || this.settings.signal.aborted) return;
    }
    await this.read(state, { follow: false, final: true });
  }

  private async sleepUnlessWoken(ms: number): Promise<void> {
    if (ms <= 0 || this.wakeRequested) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }

  private async read(
    state: ContainerRunState,
    options: { follow: boolean; final: boolean; until?: string },
  ): Promise<number> {
    if (this.history.needsRecall) await this.recallWrittenLines();
    const resumeNanos = this.history.resumeFromNanos();
    const sinceNanos = resumeNanos ?? this.settings.firstSinceNanos;
    const tail = resumeNanos === undefined ? this.settings.firstTail : undefined;
    const request: LogRequest = {
      follow: options.follow,
      sinceNanos,
      untilNanos: options.until === undefined ? undefined : timestampNanos(options.until),
      tail,
    };
    if (!this.echoedFollow && (options.follow || this.settings.once)) {
      this.echoedFollow = true;
      this.context.echo(containerLogsCommandLine(this.context, this.name, request));
    }
    const response = await openContainerLogs(this.context, this.id, request, this.name);
    if (!firstLogOpened) {
      firstLogOpened = true;
      performance.mark('logs-all first log opened');
    }
    this.response = response;
    this.following = options.follow;
    // A stop while the request was being opened found no response to end: end it now.
    if (this.settings.signal.aborted || (options.follow && (this.dieSeen || this.wakeRequested))) response.destroy();
    const decoder = new LogDecoder(state.tty);
    const filter = this.history.resumeFilter();
    let added = 0;
    try {
      for await (const bytes of response)
        added += await this.write((sink) => decoder.pushTo(bytes, sink), filter, options.follow);
      if (options.final) added += await this.write((sink) => decoder.takePendingTo(sink), filter, false);
    } catch (error) {
      // A follow cut by the engine going away or by Ctrl-C: what was read is written, the rest is read again.
      if (error instanceof FileWriteError) throw error;
      if (this.settings.signal.aborted) return added;
      if (!options.follow) throw error;
    } finally {
      this.response = undefined;
      this.following = false;
    }
    if (resumeNanos === undefined && tail !== undefined && added === 0)
      this.history.markFloor(formatTimestamp(BigInt(Date.now()) * 1_000_000n));
    // What --since or --tail left out stays out of the reads that resume from here.
    if (resumeNanos === undefined && added > 0) {
      if (sinceNanos !== undefined) this.history.markStart(formatTimestamp(sinceNanos));
      else if (tail !== undefined && this.oldestWritten !== undefined) this.history.markStart(this.oldestWritten);
    }
    await this.saveCursor();
    return added;
  }

  /**
   * Writes the lines a piece of the log completes. Each line is copied from the engine's bytes
   * straight into the text of the two files (`<timestamp> <stream> <content>`, with `<name> ` before it
   * in all.log); only the lines at the resume boundary and around a run's banner are looked at as text.
   */
  private async write(feed: (sink: LineSink) => void, filter: ResumeFilter, following: boolean): Promise<number> {
    const own = this.ownText;
    const all = this.allText;
    const mirrored: LogLine[] | undefined = this.output.lines ? [] : undefined;
    let count = 0;
    // The last line of each stream, as places in `own`: a stream's lines come in time order, so the
    // newer of the two is the newest line written, for the history.
    const last = { stdout: new LinePlace('stdout'), stderr: new LinePlace('stderr') };
    // And the first line of each stream: the older of the two is where a --tail read began.
    const first = { stdout: new LinePlace('stdout'), stderr: new LinePlace('stderr') };
    const note = (text: string): void => {
      own.append(Buffer.from(text));
      all.append(Buffer.from(prefixLines(this.name, text)));
    };
    feed((stream, bytes, timestampStart, timestampEnd, contentStart, contentEnd) => {
      if (!filter.passes(stream, bytes, timestampStart, timestampEnd) || this.armedRun) {
        const line = toLogLine(stream, bytes, timestampStart, timestampEnd, contentStart, contentEnd);
        const decision = filter.decide(line);
        if (!decision.write) return;
        if (this.armedRun && this.armedBoundary !== undefined) {
          if (line.timestamp < this.armedBoundary && this.bannerStartedAt === undefined && !this.earlierRunsMarked) {
            note(this.earlierRunsBanner(this.armedRun, line.timestamp));
          }
          if (line.timestamp >= this.armedBoundary) note(this.takeArmedBanner());
        }
        if (decision.gap) {
          note(
            formatNoteLine(
              decision.gap.before,
              'gap',
              `lines after ${decision.gap.after} are missing: docker's log rotation dropped them before they were captured`,
            ),
          );
        }
      }
      const lineStart = own.length;
      own.append(bytes, timestampStart, timestampEnd);
      const timestampOwnEnd = own.length;
      own.append(streamTags[stream]);
      const ownContent = own.length;
      own.append(bytes, contentStart, contentEnd);
      own.byte(10);
      all.append(this.namePrefix);
      all.appendFrom(own, lineStart, own.length);
      last[stream].set(lineStart, timestampOwnEnd, ownContent, own.length - 1);
      if (first[stream].start < 0) first[stream].set(lineStart, timestampOwnEnd, ownContent, own.length - 1);
      count++;
      mirrored?.push(toLogLine(stream, bytes, timestampStart, timestampEnd, contentStart, contentEnd));
    });
    if (count === 0) {
      // Banners alone (a line that was a repeat after them) still go out.
      if (own.length > 0) this.queue(own.take(), all.take(), 0);
      return 0;
    }
    const [oldest] = byTimestamp(own, first.stdout, first.stderr);
    const oldestText = own.text(oldest.start, oldest.timestampEnd, 'latin1');
    if (this.oldestWritten === undefined || oldestText < this.oldestWritten) this.oldestWritten = oldestText;
    const [, newest] = byTimestamp(own, last.stdout, last.stderr);
    this.history.add({
      timestamp: own.text(newest.start, newest.timestampEnd, 'latin1'),
      stream: newest.stream,
      text: own.text(newest.contentStart, newest.contentEnd, 'utf8'),
    });
    this.queue(own.take(), all.take(), count);
    if (this.ownQueue.bytes >= writeBatchBytes) await this.writeQueued();
    // A follow's lines are due in the file soon; a catch-up read writes full pieces, and the rest at its end.
    else if (following)
      this.writeTimer ??= setTimeout(() => void this.writeQueued().catch(this.noteWriteFailure), writeDelayMs);
    if (mirrored) this.output.lines?.(this.name, mirrored);
    this.cursorTimer ??= setTimeout(() => {
      this.cursorTimer = undefined;
      void this.saveCursor().catch(this.noteWriteFailure);
    }, cursorSaveDelayMs);
    return count;
  }

  // Lines older than the engine's last run came from runs before logs-all first saw the container:
  // their start is marked as well as the engine can tell, which is not exactly.
  private earlierRunsBanner(state: ContainerRunState, firstLineTimestamp: string): string {
    this.earlierRunsMarked = true;
    const restarts = state.restartCount > 0 ? `; its restart policy restarted it ${state.restartCount} times` : '';
    return formatNoteLine(
      firstLineTimestamp,
      'start',
      `${this.name} (${shortId(this.id)}) ran before logs-all first saw it: the engine keeps only its last run's times${restarts}`,
    );
  }

  // The banner lines of the armed run: an exit note for a run that restarted before we saw it stopped
  // (docker restart, or die-then-start while we were away), and the start note.
  private takeArmedBanner(): string {
    const state = this.armedRun;
    if (!state) return '';
    this.armedRun = undefined;
    this.armedBoundary = undefined;
    let text = '';
    if ((this.bannerStartedAt !== undefined || this.earlierRunsMarked) && this.bannerFinishedAt !== state.finishedAt) {
      const code = this.dieExitCode === undefined ? 'an unknown code' : `code ${this.dieExitCode}`;
      const previousFinish = previousRunFinishedAt(state);
      if (previousFinish !== undefined) {
        text += formatNoteLine(previousFinish, 'exit', `${this.name} exited with ${code}, then restarted`);
        this.bannerFinishedAt = previousFinish;
      } else if (this.earlierRunsMarked) {
        text += formatNoteLine(
          runBoundary(state),
          'exit',
          `${this.name} exited with ${code} before ${state.startedAt}, then started again`,
        );
      }
    }
    text += formatNoteLine(
      state.startedAt,
      'start',
      `${this.name} (${shortId(this.id)}) started at ${state.startedAt}`,
    );
    this.bannerStartedAt = state.startedAt;
    return text;
  }

  private async writeArmedBanner(): Promise<void> {
    const banner = this.takeArmedBanner();
    if (banner === '') return;
    this.queue(banner, prefixLines(this.name, banner));
    await this.saveCursor();
  }

  private async bannerExit(state: ContainerRunState): Promise<void> {
    if (state.finishedAt === this.bannerFinishedAt || state.finishedAt === zeroTime) return;
    await this.writeNote(
      state.finishedAt,
      'exit',
      `${this.name} exited with code ${state.exitCode}${state.oomKilled ? ', OOM-killed' : ', not OOM-killed'}`,
    );
    this.bannerFinishedAt = state.finishedAt;
    await this.saveCursor();
    this.output.notice(`${this.name} exited (code ${state.exitCode})`);
  }

  private async writeNote(timestamp: string, kind: 'exit' | 'removed', text: string): Promise<void> {
    const note = formatNoteLine(timestamp, kind, text);
    this.queue(note, `${this.name} ${note}`);
    await this.writeQueued();
  }

  private queue(text: string | Buffer, allText: string | Buffer, lines = 0): void {
    this.ownQueue.push(typeof text === 'string' ? Buffer.from(text) : text, lines);
    this.allQueue.push(typeof allText === 'string' ? Buffer.from(allText) : allText, 0);
  }

  /** Writes the queued text, one call at a time, so the files get it in queue order. */
  private writeQueued(): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    const written = this.writing
      .catch(() => undefined)
      .then(async () => {
        await Promise.all([
          this.ownQueue.writeTo(this.openFile()).then((lines) => (this.linesWritten += lines)),
          this.allQueue.writeTo(this.output.allLog),
        ]);
      });
    this.writing = written;
    return written;
  }

  private async writeUntilItWorks(failure: FileWriteError): Promise<void> {
    this.output.writes.failed(failure);
    for (let attempt = 0; !this.settings.signal.aborted; attempt++) {
      await sleep(writeRetryDelayMs(attempt), this.settings.signal);
      try {
        await this.saveCursor();
        this.output.writes.succeeded();
        return;
      } catch (error) {
        if (!(error instanceof FileWriteError)) throw error;
      }
    }
  }

  private async waitForWake(): Promise<void> {
    if (!this.wakeRequested) {
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        if (this.settings.signal.aborted) resolve();
      });
    }
    this.wakeUp = undefined;
    this.wakeRequested = false;
  }

  private interrupt(): void {
    this.response?.destroy();
    this.wakeUp?.();
  }

  private openFile(): AppendFile {
    this.file ??= new AppendFile(this.logPath);
    return this.file;
  }

  // A resumed read drops the lines it repeats: it compares them with the last ones in the file.
  private async recallWrittenLines(): Promise<void> {
    await this.writeQueued();
    this.history.recall((await readLogFileTail(this.logPath)).lines);
  }

  private async restore(): Promise<void> {
    const cursor = await readCursor(this.cursorPath);
    const tail = await readLogFileTail(this.logPath);
    this.history.recall(tail.lines);
    this.bannerStartedAt = maxTimestamp(cursor?.bannerStartedAt, tail.bannerStartedAt);
    this.bannerFinishedAt = maxTimestamp(cursor?.bannerFinishedAt, tail.bannerFinishedAt);
    // A cursor ahead of the file means the file was cut or moved: resume from the cursor anyway, never replay.
    if (
      cursor?.lastTimestamp &&
      (this.history.newestTimestamp === undefined || cursor.lastTimestamp > this.history.newestTimestamp)
    ) {
      this.history.markFloor(cursor.lastTimestamp);
    }
    if (cursor?.startTimestamp) this.history.markStart(cursor.startTimestamp);
  }

  // Saves run one after another: they share a temporary file.
  private saveCursor(): Promise<void> {
    this.cursorSaving = this.cursorSaving.catch(() => undefined).then(() => this.writeCursorNow());
    return this.cursorSaving;
  }

  private async writeCursorNow(): Promise<void> {
    // The cursor never gets ahead of the file: a killed logs-all would skip what it had not written.
    await this.writeQueued();
    if (this.history.newestTimestamp === undefined && this.bannerStartedAt === undefined) return;
    await writeCursor(this.cursorPath, {
      id: this.id,
      name: this.name,
      lastTimestamp: this.history.newestTimestamp,
      bannerStartedAt: this.bannerStartedAt,
      bannerFinishedAt: this.bannerFinishedAt,
      startTimestamp: this.history.startTimestamp,
    });
  }
}

// Where a run's lines begin: after the previous run's exit when the engine still has it; else a
// little before StartedAt, since a process can print before docker records that it started.
const printsBeforeStartNanos = 500_000_000n;
function runBoundary(state: ContainerRunState): string {
  return previousRunFinishedAt(state) ?? formatTimestamp(timestampNanos(state.startedAt) - printsBeforeStartNanos);
}

// A running container's FinishedAt is its previous run's; a stopped one's is its last run's, even
// when a quick process made docker record it before StartedAt.
function previousRunFinishedAt(state: ContainerRunState): string | undefined {
  return state.running && state.finishedAt !== zeroTime && state.finishedAt < state.startedAt
    ? state.finishedAt
    : undefined;
}

function prefixLines(name: string, text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => `${name} ${line}\n`)
    .join('');
}

function maxTimestamp(first: string | undefined, second: string | undefined): string | undefined {
  if (first === undefined) return second;
  if (second === undefined) return first;
  return first > second ? first : second;
}

const streamTags: Readonly<Record<LogStream, Buffer>> = {
  stdout: Buffer.from(' stdout '),
  stderr: Buffer.from(' stderr '),
};

/** Where one line lies in the text being built: its timestamp and its content. */
class LinePlace {
  constructor(readonly stream: LogStream) {}

  start = -1;
  timestampEnd = -1;
  contentStart = 0;
  contentEnd = 0;

  set(start: number, timestampEnd: number, contentStart: number, contentEnd: number): void {
    this.start = start;
    this.timestampEnd = timestampEnd;
    this.contentStart = contentStart;
    this.contentEnd = contentEnd;
  }
}

/** Two lines' places (either may be unset) as [older, newer] by their timestamps in `text`. */
function byTimestamp(text: ByteBuilder, one: LinePlace, other: LinePlace): [LinePlace, LinePlace] {
  if (one.start < 0) return [other, other];
  if (other.start < 0) return [one, one];
  return text.compareWithin(other.start, other.timestampEnd, one.start, one.timestampEnd) >= 0
    ? [one, other]
    : [other, one];
}

/** Text waiting for one file, taken off only once written. */
class WriteQueue {
  private pieces: Buffer[] = [];
  private lines: number[] = [];
  bytes = 0;

  push(piece: Buffer, lines: number): void {
    this.pieces.push(piece);
    this.lines.push(lines);
    this.bytes += piece.length;
  }

  /** Writes what is queued now; resolves with the lines it held. */
  async writeTo(file: AppendFile): Promise<number> {
    const count = this.pieces.length;
    if (count === 0) return 0;
    const text = count === 1 ? this.pieces[0]! : Buffer.concat(this.pieces.slice(0, count));
    file.append(text);
    const lines = this.lines.slice(0, count).reduce((sum, value) => sum + value, 0);
    this.pieces.splice(0, count);
    this.lines.splice(0, count);
    this.bytes -= text.length;
    return lines;
  }
}
