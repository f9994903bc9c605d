import { compareLabels, groupingRule, nameStem } from './container-groups.js';
import { chooseTimeGrid, minMaxBuckets, type BucketValue, type TimeGrid } from './downsample.js';
import { counterRates, counterResets, counterTotal, medianIntervalMs, summarize, type Summary } from './figures.js';
import type { MarkKind } from './log-marks.js';
import { decimalsFor, formatDuration, formatQuantity, roundTo, unitFor, type QuantityKind } from './quantities.js';
import type { SampleField } from './stats-file.js';
import type { LoadedContainer } from './stats-run.js';

/** A figure the report charts and summarizes. */
export interface ReportFigure {
  readonly key: string;
  readonly title: string;
  readonly kind: QuantityKind;
  /** A field shown as it is, or a cumulative counter shown as its rate. */
  readonly field: SampleField;
  readonly rateOf?: true;
}

/** The figures, in the order of the charts. */
export const reportFigures: readonly ReportFigure[] = [
  { key: 'cpu', title: 'CPU', kind: 'percent', field: 'cpuPercent' },
  { key: 'memory', title: 'Memory used', kind: 'bytes', field: 'memoryUsedBytes' },
  { key: 'networkRx', title: 'Network receive', kind: 'rate', field: 'networkRxBytes', rateOf: true },
  { key: 'networkTx', title: 'Network transmit', kind: 'rate', field: 'networkTxBytes', rateOf: true },
  { key: 'blockRead', title: 'Block read', kind: 'rate', field: 'blockReadBytes', rateOf: true },
  { key: 'blockWrite', title: 'Block write', kind: 'rate', field: 'blockWriteBytes', rateOf: true },
  { key: 'pids', title: 'PIDs', kind: 'count', field: 'pids' },
];

/** One chart: a figure for the containers of a group, each series encoded for the page. */
export interface ReportChart {
  readonly figure: string;
  readonly title: string;
  /** The unit of the values and the axis: `%`, `MiB`, `KiB/s`, or empty for a count. */
  readonly unit: string;
  readonly decimals: number;
  /** One per container of the group: its values on `ReportModel.grid`, two per bucket, by encodeSeries. */
  readonly series: readonly string[];
  /** Memory limits of the group's containers, in `unit`, and as text in their own unit. */
  readonly limits?: readonly number[];
  readonly limitLabels?: readonly string[];
  /** Whether every value is zero (no traffic, no disk use). */
  readonly allZero: boolean;
}

/** A moment in a container's life, for the page. */
export interface ReportMark {
  readonly timeMs: number;
  readonly kind: MarkKind;
  readonly label: string;
  readonly text: string;
}

/** One container's part of the report. */
export interface ReportContainer {
  readonly label: string;
  readonly name: string;
  readonly id: string;
  readonly dock?: string;
  readonly color: string;
  /** Canvas line dash, so that more containers than colors stay apart. */
  readonly dash: readonly number[];
  readonly samples: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /** Per figure key; absent when the figure has no known value (a rate needs two samples). */
  readonly summaries: Readonly<Record<string, Summary | undefined>>;
  readonly totals: {
    readonly networkRxBytes: number;
    readonly networkTxBytes: number;
    readonly blockReadBytes: number;
    readonly blockWriteBytes: number;
  };
  readonly memoryLimitBytes: number;
  /** Times a cumulative counter went down: restarts the numbers show. */
  readonly counterResets: number;
  readonly marks: readonly ReportMark[];
}

/** Containers shown on the same charts. */
export interface ReportGroup {
  readonly name: string;
  /** Indices into `ReportModel.containers`. */
  readonly containers: readonly number[];
  readonly charts: readonly ReportChart[];
}

/** Everything the page shows. */
export interface ReportModel {
  readonly title: string;
  readonly dir: string;
  readonly generatedAtMs: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly grid: TimeGrid;
  /** The usual time between two samples of a container. */
  readonly intervalMs: number;
  readonly samples: number;
  readonly containers: readonly ReportContainer[];
  readonly groups: readonly ReportGroup[];
  readonly notes: { readonly sampling: string; readonly grouping: string; readonly skipped?: string };
}

/** Options of the model. */
export interface ReportModelOptions {
  readonly dir: string;
  readonly generatedAtMs: number;
  /** One line about input left out, shown on the page. */
  readonly skipped?: string;
  /** Points (two per bucket) all series together may have: what bounds the page's size. */
  readonly maxPoints?: number;
  /** Buckets a chart may have whatever the number of series: about a wide screen's pixels. */
  readonly maxBuckets?: number;
}

// Ten colors that stay apart on white (Tableau 10); past ten, dashes tell containers apart.
const palette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
const dashes: readonly (readonly number[])[] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

/** ~1.5 million points: about 7 MB of page for any number of containers. */
export const defaultMaxPoints = 1_500_000;
const defaultMaxBuckets = 2000;
// Two buckets at least, and enough to draw a usable line for any number of containers.
const minBuckets = 100;

/** Builds what the page shows from the containers read: downsampled series, summaries, groups. */
export function buildReportModel(containers: readonly LoadedContainer[], options: ReportModelOptions): ReportModel {
  // The time axis covers the samples and the marks around them (an exit comes after the last sample).
  const markTimes = containers.flatMap((container) => container.marks.map((mark) => mark.timeMs));
  const startMs = Math.min(...containers.map((container) => firstTime(container)), ...markTimes);
  const endMs = Math.max(...containers.map((container) => lastTime(container)), ...markTimes);
  const containerIntervals = containers.map((container) => medianIntervalMs(container.samples.timesMs));
  const intervals = containerIntervals
    .filter((interval): interval is number => interval !== undefined)
    .sort((a, b) => a - b);
  const intervalMs = intervals[Math.floor(intervals.length / 2)] ?? 1000;
  const seriesCount = containers.length * reportFigures.length;
  const maxBuckets = Math.max(
    minBuckets,
    Math.min(
      options.maxBuckets ?? defaultMaxBuckets,
      Math.floor((options.maxPoints ?? defaultMaxPoints) / (2 * seriesCount)),
    ),
  );
  const grid = chooseTimeGrid(startMs, endMs, intervalMs, maxBuckets);

  // Group by name stem, each group's containers in label order (the order of `containers`).
  const byStem = new Map<string, number[]>();
  containers.forEach((container, index) => {
    const stem = nameStem(container.name);
    const members = byStem.get(stem);
    if (members) members.push(index);
    else byStem.set(stem, [index]);
  });
  const stems = [...byStem.keys()].sort(compareLabels);
  const colorOf = new Map<number, { color: string; dash: readonly number[] }>();
  for (const stem of stems) {
    byStem.get(stem)!.forEach((containerIndex, position) => {
      colorOf.set(containerIndex, {
        color: palette[position % palette.length]!,
        dash: dashes[Math.floor(position / palette.length) % dashes.length]!,
      });
    });
  }

  // Each figure's values per container, at full resolution: rates from the cumulative counters.
  const figureValues = containers.map((container) =>
    reportFigures.map((figure) => {
      const column = container.samples.columns[figure.field];
      return figure.rateOf ? counterRates(container.samples.timesMs, column) : column;
    }),
  );

  const reportContainers: ReportContainer[] = containers.map((container, index) => {
    const { columns, timesMs } = container.samples;
    return {
      label: container.label,
      name: container.name,
      id: container.id,
      dock: container.dock,
      ...colorOf.get(index)!,
      samples: timesMs.length,
      firstMs: timesMs[0]!,
      lastMs: timesMs[timesMs.length - 1]!,
      summaries: Object.fromEntries(
        reportFigures.map((figure, figureIndex) => [figure.key, summarize(figureValues[index]![figureIndex]!)]),
      ),
      totals: {
        networkRxBytes: counterTotal(columns.networkRxBytes),
        networkTxBytes: counterTotal(columns.networkTxBytes),
        blockReadBytes: counterTotal(columns.blockReadBytes),
        blockWriteBytes: counterTotal(columns.blockWriteBytes),
      },
      memoryLimitBytes: maxOf(columns.memoryLimitBytes),
      counterResets: counterResets([
        columns.networkRxBytes,
        columns.networkTxBytes,
        columns.blockReadBytes,
        columns.blockWriteBytes,
      ]),
      marks: container.marks.map(({ timeMs, kind, label, text }) => ({ timeMs, kind, label, text })),
    };
  });

  const groups: ReportGroup[] = stems.map((stem) => {
    const members = byStem.get(stem)!;
    const charts = reportFigures.map((figure, figureIndex): ReportChart => {
      const points = members.map((containerIndex) => {
        const container = containers[containerIndex]!;
        // A pause of more than three intervals (and a bucket) is a gap: the container was not running.
        const gapMs = Math.max(3 * (containerIntervals[containerIndex] ?? intervalMs), grid.bucketMs);
        return minMaxBuckets(grid, container.samples.timesMs, figureValues[containerIndex]![figureIndex]!, gapMs);
      });
      const max = Math.max(0, ...points.map((series) => maxOf(series)));
      const unit = unitFor(figure.kind, max);
      const decimals = decimalsFor(max / unit.divisor);
      // Without --memory, docker reports the host's memory as the limit.
      const limitsBytes =
        figure.key === 'memory'
          ? [...new Set(members.map((index) => reportContainers[index]!.memoryLimitBytes))]
              .filter((limit) => limit > 0)
              .sort((a, b) => a - b)
          : undefined;
      return {
        figure: figure.key,
        title: figure.title,
        unit: unit.symbol,
        decimals,
        series: points.map((series) => encodeSeries(series, unit.divisor, decimals)),
        ...(limitsBytes
          ? {
              limits: limitsBytes.map((limit) => Number(roundTo(limit / unit.divisor, decimals))),
              limitLabels: limitsBytes.map((limit) => formatQuantity('bytes', limit)),
            }
          : {}),
        allZero: max === 0,
      };
    });
    return { name: stem, containers: members, charts };
  });

  const samples = containers.reduce((sum, container) => sum + container.samples.timesMs.length, 0);
  return {
    title: 'Container stats',
    dir: options.dir,
    generatedAtMs: options.generatedAtMs,
    startMs,
    endMs,
    grid,
    intervalMs,
    samples,
    containers: reportContainers,
    groups,
    notes: {
      sampling: grid.downsampled
        ? `Downsampled for drawing: ${samples.toLocaleString('en-US')} samples on ${grid.buckets.toLocaleString('en-US')} buckets of ${formatDuration(grid.bucketMs)} (samples every ${formatDuration(intervalMs)}); each bucket keeps its minimum and its maximum, in the order they came, so peaks and dips stay visible. The tables are computed from every sample.`
        : `Every sample is drawn: ${samples.toLocaleString('en-US')} samples, about one every ${formatDuration(intervalMs)} per container.`,
      grouping: groupingRule,
      ...(options.skipped ? { skipped: options.skipped } : {}),
    },
  };
}

/** The largest number among values (0 when none): a loop, as spreading a long array into Math.max overflows the stack. */
function maxOf(values: Iterable<BucketValue>): number {
  let max = 0;
  for (const value of values) if (typeof value === 'number' && value > max) max = value;
  return max;
}

// Math.min(...) over hundreds of thousands of values would overflow the stack: the ends of sorted columns.
const firstTime = (container: LoadedContainer): number => container.samples.timesMs[0]!;
const lastTime = (container: LoadedContainer): number =>
  container.samples.timesMs[container.samples.timesMs.length - 1]!;

/**
 * A series as the page reads it: each value in the chart's unit times 10^decimals, as an integer
 * (shorter than a decimal, and faster to print), comma-separated; an empty field for undefined (the
 * line goes on), `-` for null (a gap); trailing empty fields dropped.
 */
export function encodeSeries(points: readonly BucketValue[], divisor: number, decimals: number): string {
  const factor = 10 ** decimals / divisor;
  const fields = points.map((value) =>
    value === undefined ? '' : value === null ? '-' : String(Math.round(value * factor)),
  );
  let end = fields.length;
  while (end > 0 && fields[end - 1] === '') end--;
  return fields.slice(0, end).join(',');
}
