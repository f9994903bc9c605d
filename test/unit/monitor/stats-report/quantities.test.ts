import t from 'tap';
import {
  decimalsFor,
  formatDuration,
  formatQuantity,
  roundTo,
  unitFor,
} from '../../../../src/monitor/stats-report/quantities.js';

t.test('units follow the largest value: B, KiB, MiB, GiB, and per second for rates', async (t) => {
  t.same(unitFor('bytes', 512), { symbol: 'B', divisor: 1 });
  t.same(unitFor('bytes', 300 * 1048576), { symbol: 'MiB', divisor: 1048576 });
  t.same(unitFor('rate', 2048), { symbol: 'KiB/s', divisor: 1024 });
  t.same(unitFor('percent', 1e9), { symbol: '%', divisor: 1 });
  t.same(unitFor('count', 1e9), { symbol: '', divisor: 1 });
});

t.test('values in tables carry their unit', async (t) => {
  t.equal(formatQuantity('bytes', 1536 * 1024), '1.5 MiB');
  t.equal(formatQuantity('rate', 0), '0 B/s');
  t.equal(formatQuantity('percent', 12.345), '12.3 %');
  t.equal(formatQuantity('count', 7), '7');
  t.equal(formatQuantity('count', 6.5), '6.5');
});

t.test('chart values keep about four significant digits', async (t) => {
  t.equal(decimalsFor(512), 1);
  t.equal(decimalsFor(3.2), 3);
  t.equal(decimalsFor(0.05), 4);
  t.equal(decimalsFor(25000), 0);
  t.equal(decimalsFor(0), 0);
  t.equal(roundTo(0.1 + 0.2, 2), '0.3');
  t.equal(roundTo(12, 3), '12');
});

t.test('durations in words', async (t) => {
  t.equal(formatDuration(250), '250 ms');
  t.equal(formatDuration(8000), '8 s');
  t.equal(formatDuration(180_000), '3 min');
  t.equal(formatDuration(5_400_000), '90 min');
  t.equal(formatDuration(9_000_000), '2 h 30 min');
  t.equal(formatDuration(7_200_000), '2 h');
});
