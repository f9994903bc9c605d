import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { defaultMonitorDir } from '../project/project.js';
import { errorMessage, UserError } from '../errors.js';
import { csvRow } from '../monitor/stats-report/csv.js';
import { counterRates } from '../monitor/stats-report/figures.js';
import { sampleFields } from '../monitor/stats-report/stats-file.js';
import { describeSkipped, loadStatsRun, type LoadedContainer } from '../monitor/stats-report/stats-run.js';
import { parseTimeWindow } from '../monitor/stats-report/time-window.js';

/** What `stats-all export` was asked. */
export interface StatsExportRequest {
  readonly cwd: string;
  readonly dir?: string;
  /** The CSV file to write; without it the rows go to `output`. */
  readonly out?: string;
  /** Where the rows go without `out` (the cli's stdout). */
  readonly output?: Writable;
  readonly since?: string;
  readonly until?: string;
  readonly namePatterns: readonly string[];
  readonly dock?: string;
  readonly nowMs?: number;
}

/** What was exported. */
export interface StatsExportResult {
  /** The file written, or undefined when the rows went to `output`. */
  readonly out?: string;
  readonly rows: number;
  readonly containers: number;
  readonly skipped?: string;
}

const rateColumns = [
  ['networkRxBytesPerSecond', 'networkRxBytes'],
  ['networkTxBytesPerSecond', 'networkTxBytes'],
  ['blockReadBytesPerSecond', 'blockReadBytes'],
  ['blockWriteBytesPerSecond', 'blockWriteBytes'],
] as const;

/** The CSV header: the sample's fields as stats-all names them, then the rates of its counters. */
export const csvHeader = ['time', 'dock', 'name', 'id', ...sampleFields, ...rateColumns.map(([column]) => column)];

/**
 * stats-all export --csv: every sample of the stats files of a folder as CSV, one row per sample,
 * container after container in time order; a rate column is empty where no rate is known (a
 * container's first sample, a restart).
 */
export async function statsExport(request: StatsExportRequest): Promise<StatsExportResult> {
  const window = parseTimeWindow(request.since, request.until, request.nowMs ?? Date.now());
  const dir = resolve(request.cwd, request.dir ?? defaultMonitorDir(request.cwd));
  const run = await loadStatsRun({
    dir,
    dirGiven: request.dir !== undefined,
    dock: request.dock,
    window,
    namePatterns: request.namePatterns,
    withMarks: false,
  });
  const out = request.out === undefined ? undefined : resolve(request.cwd, request.out);
  let output: Writable;
  if (out === undefined) {
    if (!request.output) throw new Error('statsExport needs out or output');
    output = request.output;
  } else {
    // Opened before the first row, so that a folder or file that cannot be written is one clear error.
    try {
      await mkdir(dirname(out), { recursive: true });
      const handle = await open(out, 'w');
      output = handle.createWriteStream();
    } catch (error) {
      throw new UserError(`cannot write ${out}: ${errorMessage(error)}`);
    }
  }
  const write = async (text: string): Promise<void> => {
    if (!output.write(text)) await once(output, 'drain');
  };
  await write(csvRow(csvHeader));
  let rows = 0;
  for (const container of run.containers) {
    await write(containerRows(container));
    rows += container.samples.timesMs.length;
  }
  if (out !== undefined) {
    output.end();
    await once(output, 'finish');
  }
  const skipped = describeSkipped(run.skipped);
  return {
    ...(out === undefined ? {} : { out }),
    rows,
    containers: run.containers.length,
    ...(skipped ? { skipped } : {}),
  };
}

// One container's rows as one string: a few thousand rows per write keeps the writes few.
function containerRows(container: LoadedContainer): string {
  const { timesMs, columns } = container.samples;
  const rates = rateColumns.map(([, counter]) => counterRates(timesMs, columns[counter]));
  let text = '';
  for (let index = 0; index < timesMs.length; index++) {
    text += csvRow([
      new Date(timesMs[index]!).toISOString(),
      container.dock ?? '',
      container.name,
      container.id,
      ...sampleFields.map((field) => columns[field][index]!),
      ...rates.map((rate) => roundRate(rate[index]!)),
    ]);
  }
  return text;
}

// Bytes per second to the thousandth: more digits would be noise of the sample times.
const roundRate = (rate: number): number | undefined =>
  Number.isNaN(rate) ? undefined : Math.round(rate * 1000) / 1000;
