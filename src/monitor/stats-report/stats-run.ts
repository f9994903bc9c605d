import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { matchesNamePatterns } from '../capture-options.js';
import { shortId } from '../../docker/containers.js';
import { compareLabels } from './container-groups.js';
import { readLogMarks, type ContainerMark } from './log-marks.js';
import { readStatsFile, type ContainerSamples, type TimeWindow } from './stats-file.js';

/** What to read of a folder of stats-all (and logs-all) files. */
export interface StatsRunRequest {
  readonly dir: string;
  /** Whether the user named the folder: a missing one is then a mistake, not an empty run. */
  readonly dirGiven: boolean;
  /** Read `<dir>/<dock>/` only; without it `<dir>` and its dock sub-folders. */
  readonly dock?: string;
  readonly window: TimeWindow;
  readonly namePatterns: readonly string[];
  /** Read logs-all's banners (start, exit, restart) from the log files beside the stats files. */
  readonly withMarks: boolean;
}

/** One container's samples, ready to show. */
export interface LoadedContainer {
  /** What the page and the CSV call it: the name, with its dock, and its short id when two share a name. */
  readonly label: string;
  readonly name: string;
  readonly id: string;
  readonly dock?: string;
  /** The stats file it was read from. */
  readonly path: string;
  readonly samples: ContainerSamples;
  readonly marks: readonly ContainerMark[];
}

/** Files and lines left out, by reason (file names). */
export interface SkippedInput {
  /** Files that held no sample at all: not stats-all's. */
  readonly foreignFiles: string[];
  readonly emptyFiles: string[];
  readonly unreadableFiles: string[];
  /** Files whose last line was cut (stats-all stopped while writing it). */
  readonly truncatedFiles: string[];
  /** Files with lines that are not samples among their samples. */
  readonly otherLines: { readonly file: string; readonly lines: number }[];
}

/** What a folder held. */
export interface StatsRun {
  /** The folder read (`<dir>/<dock>` with a dock). */
  readonly dir: string;
  /** The dock sub-folders read with it. */
  readonly docks: readonly string[];
  /** In label order. */
  readonly containers: readonly LoadedContainer[];
  readonly samples: number;
  readonly skipped: SkippedInput;
}

const statsSuffix = '.stats.jsonl';
const fileNamePattern = /^([0-9a-f]{12})-(.+)\.stats\.jsonl$/;
const readConcurrency = 8;
// Banners this close to a container's samples belong to them (a start comes just before the first).
const markMarginMs = 60_000;

/**
 * Reads the stats files of a folder (and of its dock sub-folders) in the time window and for the
 * names asked. Throws a UserError when there is nothing to show, saying why.
 */
export async function loadStatsRun(request: StatsRunRequest): Promise<StatsRun> {
  const root = request.dir;
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UserError(
      request.dirGiven
        ? `no folder ${root}`
        : `nothing to report: no folder ${root} (stats-all writes its files there; give --dir for another)`,
      { exitCode: request.dirGiven ? 2 : 1 },
    );
  }
  const folders: { dir: string; dock?: string }[] = [];
  if (request.dock !== undefined) {
    const dockDir = join(root, request.dock);
    if (!existsSync(dockDir) || !statSync(dockDir).isDirectory()) {
      const docks = dockFolders(root);
      throw new UserError(
        `no folder ${dockDir} for dock ${request.dock}: ${docks.length > 0 ? `docks with stats in ${root}: ${docks.join(', ')}` : `${root} has no dock sub-folders`}`,
      );
    }
    folders.push({ dir: dockDir, dock: request.dock });
  } else {
    folders.push({ dir: root });
    for (const dock of dockFolders(root)) folders.push({ dir: join(root, dock), dock });
  }

  const files: { path: string; dock?: string; fileName: string }[] = [];
  for (const folder of folders) {
    for (const fileName of readdirSync(folder.dir).sort()) {
      if (!fileName.endsWith(statsSuffix)) continue;
      // The file name carries the container name: skip files --name rules out without reading them.
      const named = fileNamePattern.exec(fileName);
      if (named && !matchesNamePatterns(named[2]!, request.namePatterns)) continue;
      files.push({ path: join(folder.dir, fileName), dock: folder.dock, fileName });
    }
  }
  const where = request.dock === undefined ? root : join(root, request.dock);
  if (files.length === 0) {
    throw new UserError(
      request.namePatterns.length > 0
        ? `nothing to report: no stats file in ${where} for --name ${request.namePatterns.join(' ')}`
        : `nothing to report: no *.stats.jsonl file in ${where} (run stats-all first)`,
      { exitCode: 1 },
    );
  }

  const skipped: SkippedInput = {
    foreignFiles: [],
    emptyFiles: [],
    unreadableFiles: [],
    truncatedFiles: [],
    otherLines: [],
  };
  const found: Omit<LoadedContainer, 'label'>[] = [];
  let samplesOutside = 0;
  await eachLimited(files, readConcurrency, async (file) => {
    let parsed;
    try {
      parsed = await readStatsFile(file.path, request.window);
    } catch {
      skipped.unreadableFiles.push(file.fileName);
      return;
    }
    if (parsed.sampleLines === 0) {
      // Not a single sample: another format, nothing at all, or only the line stats-all was cut writing.
      if (parsed.otherLines > 0) skipped.foreignFiles.push(file.fileName);
      else if (parsed.truncatedLastLine) skipped.truncatedFiles.push(file.fileName);
      else skipped.emptyFiles.push(file.fileName);
      return;
    }
    if (parsed.truncatedLastLine) skipped.truncatedFiles.push(file.fileName);
    if (parsed.otherLines > 0) skipped.otherLines.push({ file: file.fileName, lines: parsed.otherLines });
    samplesOutside += parsed.outsideWindow;
    const samples = parsed.samples;
    if (!samples || !matchesNamePatterns(samples.name, request.namePatterns)) return;
    let marks: ContainerMark[] = [];
    const logPath = file.path.slice(0, -statsSuffix.length) + '.log';
    if (request.withMarks && existsSync(logPath)) {
      const fromMs = Math.max(samples.timesMs[0]! - markMarginMs, request.window.sinceMs ?? -Infinity);
      const toMs = Math.min(
        samples.timesMs[samples.timesMs.length - 1]! + markMarginMs,
        request.window.untilMs ?? Infinity,
      );
      marks = (await readLogMarks(logPath).catch(() => [])).filter(
        (mark) => mark.timeMs >= fromMs && mark.timeMs <= toMs,
      );
    }
    found.push({ name: samples.name, id: samples.id, dock: file.dock, path: file.path, samples, marks });
  });
  for (const list of [skipped.foreignFiles, skipped.emptyFiles, skipped.unreadableFiles, skipped.truncatedFiles])
    list.sort();
  skipped.otherLines.sort((a, b) => a.file.localeCompare(b.file));

  if (found.length === 0) {
    const skippedText = describeSkipped(skipped);
    const reason =
      samplesOutside > 0
        ? `the ${samplesOutside} samples in ${where}${request.namePatterns.length > 0 ? ' for those names' : ''} are all outside ${describeWindow(request.window)}`
        : `no samples in ${where}`;
    throw new UserError(`nothing to report: ${reason}${skippedText ? `; ${skippedText}` : ''}`, { exitCode: 1 });
  }
  const containers = labelled(found).sort((a, b) => compareLabels(a.label, b.label));
  return {
    dir: where,
    docks: folders.flatMap((folder) => (folder.dock === undefined ? [] : [folder.dock])),
    containers,
    samples: containers.reduce((sum, container) => sum + container.samples.timesMs.length, 0),
    skipped,
  };
}

/** The sub-folders of `dir` that hold stats files: where a multi-dock run writes each dock's. */
export function dockFolders(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .filter((entry) => {
      try {
        return readdirSync(join(dir, entry.name)).some((name) => name.endsWith(statsSuffix));
      } catch {
        return false;
      }
    })
    .map((entry) => entry.name)
    .sort();
}

// Labels: the name, `name @ dock` for a dock's, and the short id added where two would read the same.
function labelled(found: readonly Omit<LoadedContainer, 'label'>[]): LoadedContainer[] {
  const base = (container: Omit<LoadedContainer, 'label'>): string =>
    container.dock === undefined ? container.name : `${container.name} @ ${container.dock}`;
  const counts = new Map<string, number>();
  for (const container of found) counts.set(base(container), (counts.get(base(container)) ?? 0) + 1);
  return found.map((container) => ({
    ...container,
    label: counts.get(base(container))! > 1 ? `${base(container)} (${shortId(container.id)})` : base(container),
  }));
}

/** The time window in words, for messages. */
export function describeWindow(window: TimeWindow): string {
  const at = (ms: number): string => new Date(ms).toISOString();
  if (window.sinceMs !== undefined && window.untilMs !== undefined)
    return `${at(window.sinceMs)} to ${at(window.untilMs)}`;
  if (window.sinceMs !== undefined) return `the time since ${at(window.sinceMs)}`;
  if (window.untilMs !== undefined) return `the time until ${at(window.untilMs)}`;
  return 'all time';
}

/** One line about what was skipped, or undefined when nothing was. */
export function describeSkipped(skipped: SkippedInput): string | undefined {
  const files = (names: readonly string[]): string =>
    names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  const parts: string[] = [];
  if (skipped.truncatedFiles.length > 0)
    parts.push(`a cut last line (stats-all stopped mid-write) in ${files(skipped.truncatedFiles)}`);
  if (skipped.otherLines.length > 0) {
    const lines = skipped.otherLines.reduce((sum, entry) => sum + entry.lines, 0);
    parts.push(
      `${lines} line${lines === 1 ? '' : 's'} that are not samples in ${files(skipped.otherLines.map((entry) => entry.file))}`,
    );
  }
  if (skipped.foreignFiles.length > 0) parts.push(`files not written by stats-all: ${files(skipped.foreignFiles)}`);
  if (skipped.emptyFiles.length > 0) parts.push(`empty files: ${files(skipped.emptyFiles)}`);
  if (skipped.unreadableFiles.length > 0) parts.push(`unreadable files: ${files(skipped.unreadableFiles)}`);
  return parts.length > 0 ? `skipped ${parts.join('; ')}` : undefined;
}

async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
