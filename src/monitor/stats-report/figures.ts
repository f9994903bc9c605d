/**
 * Per-second rates of a cumulative counter between consecutive samples. NaN where no rate is known:
 * at the first sample, where time did not advance, and where the counter went down (the container
 * restarted in between and its counters began again at zero, at a moment the samples do not show).
 */
export function counterRates(timesMs: Float64Array, counter: Float64Array): Float64Array {
  const rates = new Float64Array(counter.length).fill(Number.NaN);
  for (let index = 1; index < counter.length; index++) {
    const seconds = (timesMs[index]! - timesMs[index - 1]!) / 1000;
    const increase = counter[index]! - counter[index - 1]!;
    if (seconds > 0 && increase >= 0) rates[index] = increase / seconds;
  }
  return rates;
}

/**
 * What a cumulative counter counted from the first sample to the last: the increases, and after a
 * reset (a restart) the counter's new value, all it counted since.
 */
export function counterTotal(counter: Float64Array): number {
  let total = 0;
  for (let index = 1; index < counter.length; index++) {
    const increase = counter[index]! - counter[index - 1]!;
    total += increase >= 0 ? increase : counter[index]!;
  }
  return total;
}

/** How many times a set of cumulative counters went down between samples: restarts seen in the numbers. */
export function counterResets(counters: readonly Float64Array[]): number {
  const length = counters[0]?.length ?? 0;
  let resets = 0;
  for (let index = 1; index < length; index++) {
    if (counters.some((counter) => counter[index]! < counter[index - 1]!)) resets++;
  }
  return resets;
}

/** The summary figures of a series. */
export interface Summary {
  readonly min: number;
  readonly mean: number;
  /** The 95th percentile, nearest-rank: the smallest value that at least 95 % of the values do not exceed. */
  readonly p95: number;
  readonly max: number;
  /** How many values it summarizes (NaN left out). */
  readonly count: number;
}

/** min, mean, p95 and max of the known values (NaN left out); undefined when there is none. */
export function summarize(values: Float64Array): Summary | undefined {
  const known = new Float64Array(values.length);
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (value !== value) continue; // NaN
    known[count++] = value;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (count === 0) return undefined;
  const rank = Math.max(1, Math.ceil(0.95 * count));
  return { min, mean: sum / count, p95: selectNth(known.subarray(0, count), rank - 1), max, count };
}

/**
 * The value that would be at `nth` if `values` were sorted (Hoare's quickselect; reorders `values`):
 * linear time, where sorting every series of a big run was a tenth of the report's time.
 */
export function selectNth(values: Float64Array, nth: number): number {
  let low = 0;
  let high = values.length - 1;
  while (high > low) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (nth <= j) high = j;
    else if (nth >= i) low = i;
    else break;
  }
  return values[nth]!;
}

/** The nearest-rank percentile of values sorted in ascending order. */
export function percentileOfSorted(sorted: Float64Array | readonly number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** The median time between consecutive samples, or undefined with fewer than two samples. */
export function medianIntervalMs(timesMs: Float64Array): number | undefined {
  if (timesMs.length < 2) return undefined;
  const intervals = new Float64Array(timesMs.length - 1);
  for (let index = 1; index < timesMs.length; index++) intervals[index - 1] = timesMs[index]! - timesMs[index - 1]!;
  intervals.sort();
  return intervals[Math.floor(intervals.length / 2)];
}
