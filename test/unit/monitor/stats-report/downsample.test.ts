import t from 'tap';
import { chooseTimeGrid, minMaxBuckets } from '../../../../src/monitor/stats-report/downsample.js';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

t.test('one bucket per sample interval when that fits, wider whole-second buckets when not', async (t) => {
  t.same(chooseTimeGrid(0, 59_000, 1000, 2000), { startMs: 0, bucketMs: 1000, buckets: 60, downsampled: false });
  const hour = chooseTimeGrid(0, 3_599_000, 1000, 500);
  t.equal(hour.downsampled, true);
  t.equal(hour.bucketMs, 8000);
  t.ok(hour.buckets <= 500, `${hour.buckets} buckets`);
  t.ok(hour.startMs + hour.buckets * hour.bucketMs > 3_599_000, 'the last sample is in a bucket');
});

t.test('downsampling keeps the minimum and the maximum of every bucket, in the order they came', async (t) => {
  const grid = { startMs: 0, bucketMs: 10_000, buckets: 3, downsampled: true };
  const times = f64(Array.from({ length: 30 }, (_, index) => index * 1000));
  // Bucket 0 peaks at 90 after a dip to 1; bucket 1 dips to -5 after its peak of 70; bucket 2 is flat.
  const values = f64([
    ...[5, 1, 7, 8, 90, 6, 5, 4, 3, 2],
    ...[10, 70, 20, 30, -5, 12, 11, 10, 9, 8],
    ...[4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  ]);
  t.same(minMaxBuckets(grid, times, values, 3000), [1, 90, 70, -5, 4, undefined]);
});

t.test('a single spike among thousands of samples survives downsampling', async (t) => {
  const count = 3600;
  const times = f64(Array.from({ length: count }, (_, index) => index * 1000));
  const values = f64(Array.from({ length: count }, (_, index) => (index === 1234 ? 500 : 1)));
  const grid = chooseTimeGrid(0, (count - 1) * 1000, 1000, 100);
  const points = minMaxBuckets(grid, times, values, 3000);
  t.equal(Math.max(...points.map((value) => (typeof value === 'number' ? value : 0))), 500);
  t.equal(points.filter((value) => value === 500).length, 1);
});

t.test('NaN values are left out; a pause longer than the gap breaks the line with null', async (t) => {
  const grid = { startMs: 0, bucketMs: 1000, buckets: 10, downsampled: false };
  const times = f64([0, 1000, 2000, 7000, 8000]);
  const values = f64([1, Number.NaN, 3, 4, 5]);
  t.same(minMaxBuckets(grid, times, values, 3000), [
    1,
    undefined,
    undefined,
    undefined,
    3,
    undefined,
    null,
    undefined,
    null,
    undefined,
    null,
    undefined,
    null,
    undefined,
    4,
    undefined,
    5,
    undefined,
    undefined,
    undefined,
  ]);
});

t.test('a short pause (jitter) is no gap: the line goes on', async (t) => {
  const grid = { startMs: 0, bucketMs: 1000, buckets: 4, downsampled: false };
  t.same(minMaxBuckets(grid, f64([0, 2900]), f64([1, 2]), 3000), [
    1,
    undefined,
    undefined,
    undefined,
    2,
    undefined,
    undefined,
    undefined,
  ]);
});
