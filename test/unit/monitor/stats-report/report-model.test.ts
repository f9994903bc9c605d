import t from 'tap';
import { buildReportModel, encodeSeries, reportFigures } from '../../../../src/monitor/stats-report/report-model.js';
import { sampleFields, type ContainerSamples } from '../../../../src/monitor/stats-report/stats-file.js';
import type { LoadedContainer } from '../../../../src/monitor/stats-report/stats-run.js';

const startMs = Date.UTC(2024, 0, 2, 3, 0, 0);

function container(name: string, count: number, value: (index: number) => number, intervalMs = 1000): LoadedContainer {
  const timesMs = Float64Array.from({ length: count }, (_, index) => startMs + index * intervalMs);
  const columns = Object.fromEntries(
    sampleFields.map((field) => [
      field,
      Float64Array.from({ length: count }, (_, index) =>
        field === 'memoryLimitBytes'
          ? 512 * 1048576
          : field === 'memoryUsedBytes'
            ? 10 * 1048576 + index
            : value(index),
      ),
    ]),
  ) as ContainerSamples['columns'];
  return {
    label: name,
    name,
    id: name.padEnd(64, '0'),
    path: `/x/${name}.stats.jsonl`,
    samples: { id: name.padEnd(64, '0'), name, timesMs, columns },
    marks: [
      { timeMs: startMs + 2000, kind: 'exit', label: 'exit 1', text: `${name} exited with code 1, not OOM-killed` },
    ],
  };
}

t.test('containers of an image share charts: one chart per figure, one series per container', async (t) => {
  const containers = [
    container('ann_web_1', 60, (i) => i),
    container('ann_web_2', 60, (i) => 2 * i),
    container('ann_db_1', 60, () => 1),
  ];
  const model = buildReportModel(containers, { dir: '/x', generatedAtMs: startMs });
  t.same(
    model.groups.map((group) => [group.name, group.containers.map((index) => model.containers[index]!.label)]),
    [
      ['ann_db', ['ann_db_1']],
      ['ann_web', ['ann_web_1', 'ann_web_2']],
    ],
  );
  for (const group of model.groups) {
    t.same(
      group.charts.map((chart) => chart.figure),
      reportFigures.map((figure) => figure.key),
    );
    for (const chart of group.charts) t.equal(chart.series.length, group.containers.length);
  }
  t.notOk(model.grid.downsampled);
  t.match(model.notes.sampling, /^Every sample is drawn: 180 samples/);
  t.not(model.containers[1]!.color, model.containers[2]!.color, 'containers of a group have their own colors');
});

t.test('units, limits, rates and summaries', async (t) => {
  const model = buildReportModel([container('web', 11, (i) => i * 1024 * 1024)], { dir: '/x', generatedAtMs: startMs });
  const charts = Object.fromEntries(model.groups[0]!.charts.map((chart) => [chart.figure, chart]));
  t.equal(charts.cpu!.unit, '%');
  t.equal(charts.memory!.unit, 'MiB');
  t.same(charts.memory!.limits, [512]);
  t.equal(charts.networkRx!.unit, 'MiB/s', 'a counter growing 1 MiB a second');
  t.equal(charts.pids!.unit, '');
  const web = model.containers[0]!;
  t.same(web.summaries.networkRx, { min: 1048576, mean: 1048576, p95: 1048576, max: 1048576, count: 10 });
  t.equal(web.totals.networkRxBytes, 10 * 1048576);
  t.equal(web.memoryLimitBytes, 512 * 1048576);
  t.same(
    web.marks.map((mark) => mark.label),
    ['exit 1'],
  );
});

t.test('a big run is downsampled within its point budget, peaks kept, and the page says so', async (t) => {
  const containers = Array.from({ length: 20 }, (_, index) =>
    container(`big_${index + 1}`, 3600, (i) => (i === 1800 + index ? 900 : 5)),
  );
  const model = buildReportModel(containers, { dir: '/x', generatedAtMs: startMs, maxPoints: 100_000 });
  t.ok(model.grid.downsampled);
  const points = model.groups[0]!.charts[0]!.series.map((series) => series.split(',').length);
  t.ok(Math.max(...points) * 20 * reportFigures.length <= 100_000, `${Math.max(...points)} points a series`);
  t.match(model.notes.sampling, /^Downsampled for drawing: 72,000 samples on \d+ buckets of \d+ s/);
  t.match(model.notes.sampling, 'each bucket keeps its minimum and its maximum');
  const cpu = model.groups[0]!.charts.find((chart) => chart.figure === 'cpu')!;
  const scale = 10 ** cpu.decimals;
  for (const series of cpu.series) t.ok(series.split(',').includes(String(900 * scale)), 'the peak survives');
});

t.test('series are encoded compactly: scaled integers, empty to go on, - for a gap', async (t) => {
  t.equal(encodeSeries([1.5, undefined, null, 2, undefined, undefined], 1, 1), '15,,-,20');
  t.equal(encodeSeries([1048576, 524288], 1048576, 2), '100,50');
  t.equal(encodeSeries([undefined, undefined], 1, 0), '');
});
