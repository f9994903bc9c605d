import t from 'tap';
import {
  counterRates,
  counterResets,
  counterTotal,
  medianIntervalMs,
  percentileOfSorted,
  selectNth,
  summarize,
} from '../../../../src/monitor/stats-report/figures.js';

const f64 = (values: number[]): Float64Array => Float64Array.from(values);

t.test('rates are differences of a cumulative counter over the time between samples', async (t) => {
  const rates = counterRates(f64([0, 1000, 2000, 4000]), f64([100, 1100, 1100, 5100]));
  t.same([...rates].slice(1), [1000, 0, 2000]);
  t.ok(Number.isNaN(rates[0]!), 'no rate for the first sample');
});

t.test('a counter that goes down (a restart) has no rate there, and counts again after', async (t) => {
  const rates = counterRates(f64([0, 1000, 5000, 6000]), f64([0, 500, 100, 300]));
  t.equal(rates[1], 500);
  t.ok(Number.isNaN(rates[2]!), 'the restart interval');
  t.equal(rates[3], 200);
});

t.test('no rate where time did not advance', async (t) => {
  const rates = counterRates(f64([0, 0, 500]), f64([0, 10, 20]));
  t.ok(Number.isNaN(rates[1]!));
  t.equal(rates[2], 20);
});

t.test("totals add the increases, and after a restart the counter's new value", async (t) => {
  t.equal(counterTotal(f64([100, 150, 400])), 300);
  t.equal(counterTotal(f64([100, 500, 30, 80])), 400 + 30 + 50);
  t.equal(counterTotal(f64([7])), 0);
  t.equal(counterResets([f64([1, 2, 0, 5, 1]), f64([0, 0, 0, 0, 0])]), 2);
});

t.test('p95 is nearest-rank: the smallest value that at least 95 % of the values do not exceed', async (t) => {
  const hundred = f64(Array.from({ length: 100 }, (_, index) => index + 1));
  t.equal(summarize(hundred)!.p95, 95);
  t.equal(summarize(f64(Array.from({ length: 20 }, (_, index) => 20 - index)))!.p95, 19);
  t.equal(summarize(f64([5]))!.p95, 5);
  t.equal(percentileOfSorted([1, 2, 3, 4], 95), 4);
  t.equal(percentileOfSorted([1, 2, 3, 4], 50), 2);
});

t.test('min, mean and max leave NaN out; nothing known is undefined', async (t) => {
  t.same(summarize(f64([Number.NaN, 2, 4, Number.NaN, 9])), { min: 2, mean: 5, p95: 9, max: 9, count: 3 });
  t.equal(summarize(f64([Number.NaN])), undefined);
  t.equal(summarize(f64([])), undefined);
});

t.test('quickselect agrees with sorting on random and repetitive data', async (t) => {
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 100;
  for (const length of [1, 2, 3, 10, 101, 3600]) {
    for (const data of [Array.from({ length }, random), Array.from({ length }, (_, index) => index % 3)]) {
      const sorted = [...data].sort((a, b) => a - b);
      for (const nth of [0, Math.floor(length / 2), Math.ceil(0.95 * length) - 1, length - 1]) {
        t.equal(selectNth(f64(data), nth), sorted[nth], `length ${length}, nth ${nth}`);
      }
    }
  }
});

t.test('the median interval between samples', async (t) => {
  t.equal(medianIntervalMs(f64([0, 1000, 2000, 3100, 9000])), 1100);
  t.equal(medianIntervalMs(f64([5])), undefined);
});
