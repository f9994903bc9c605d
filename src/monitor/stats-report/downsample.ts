/** The common time axis of a report: equal buckets from a start, shared by every chart. */
export interface TimeGrid {
  readonly startMs: number;
  readonly bucketMs: number;
  readonly buckets: number;
  /** Whether a bucket is wider than the samples' own interval, so that it stands for several samples. */
  readonly downsampled: boolean;
}

/**
 * The grid for samples from `startMs` to `endMs` taken every `intervalMs`: one bucket per interval
 * when that fits in `maxBuckets`, else `maxBuckets` wider ones (rounded up to a whole second).
 */
export function chooseTimeGrid(startMs: number, endMs: number, intervalMs: number, maxBuckets: number): TimeGrid {
  const spanMs = Math.max(endMs - startMs, 0);
  const interval = Math.max(intervalMs, 1);
  if (spanMs / interval < maxBuckets) {
    return { startMs, bucketMs: interval, buckets: Math.floor(spanMs / interval) + 1, downsampled: false };
  }
  const bucketMs = Math.ceil(spanMs / (maxBuckets - 1) / 1000) * 1000;
  return { startMs, bucketMs, buckets: Math.floor(spanMs / bucketMs) + 1, downsampled: true };
}

/**
 * One point of a downsampled series: a number, `null` where the container was not sampled (a gap
 * the chart shows as a break) or `undefined` where nothing is drawn but the line goes on.
 */
export type BucketValue = number | null | undefined;

/**
 * The values of a series on a grid, two points per bucket: its minimum and maximum, in the order they
 * occurred, so that every peak and every trough survives however many samples a bucket holds (the
 * second point is undefined when the bucket holds a single value). NaN values are left out. Buckets
 * with no sample between two samples more than `gapMs` apart are `null`: the line breaks there.
 */
export function minMaxBuckets(
  grid: TimeGrid,
  timesMs: Float64Array,
  values: Float64Array,
  gapMs: number,
): BucketValue[] {
  const points: BucketValue[] = new Array<BucketValue>(grid.buckets * 2).fill(undefined);
  let bucket = -1;
  let min = 0;
  let max = 0;
  let minIndex = 0;
  let maxIndex = 0;
  let previousTimeMs = Number.NaN;
  let previousBucket = -1;
  const flush = (): void => {
    if (bucket < 0) return;
    const firstIsMin = minIndex <= maxIndex;
    points[bucket * 2] = firstIsMin ? min : max;
    points[bucket * 2 + 1] = min === max ? undefined : firstIsMin ? max : min;
  };
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    const timeMs = timesMs[index]!;
    if (Number.isNaN(value)) continue;
    const at = Math.floor((timeMs - grid.startMs) / grid.bucketMs);
    if (at < 0 || at >= grid.buckets) continue;
    if (at !== bucket) {
      flush();
      if (previousBucket >= 0 && timeMs - previousTimeMs > gapMs) {
        for (let empty = previousBucket + 1; empty < at; empty++) points[empty * 2] = null;
      }
      bucket = at;
      min = max = value;
      minIndex = maxIndex = index;
    } else if (value < min) {
      min = value;
      minIndex = index;
    } else if (value > max) {
      max = value;
      maxIndex = index;
    }
    previousTimeMs = timeMs;
    previousBucket = at;
  }
  flush();
  return points;
}
