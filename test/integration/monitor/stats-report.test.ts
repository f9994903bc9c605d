import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { removeLabelled, repoRoot, requireEngine, runBin, uniqueSuffix } from '../../helpers/engine.js';
import {
  recordMonitors,
  startBusyContainers,
  stopBusyContainers,
  type BusyContainers,
} from '../../helpers/busy-containers.js';
import { HeadlessChromium, requireChromium, type ChromiumPage } from '../../helpers/headless-chromium.js';
import { writeSyntheticStats } from '../../helpers/synthetic-stats.js';

// Screenshots of the reports opened, kept for a person to look at.
const artifacts = join(repoRoot, '.tap', 'artifacts');

t.before(async () => {
  requireChromium();
  await requireEngine();
  mkdirSync(artifacts, { recursive: true });
});

const figures = ['cpu', 'memory', 'networkRx', 'networkTx', 'blockRead', 'blockWrite', 'pids'];

interface RenderedChart {
  group: string;
  figure: string;
  canvases: number;
  legendSeries: string[];
}

/** Opens a report as a person would (in Paris), waits for its charts, and reads what it drew. */
async function openReport(
  t: Test,
  browser: HeadlessChromium,
  path: string,
  screenshot: string,
): Promise<{ page: ChromiumPage; charts: RenderedChart[] }> {
  const page = await browser.newPage(1400, 1000);
  await page.setTimeZone('Europe/Paris');
  await page.goto(pathToFileURL(path).href, 60_000);
  await page.waitFor(
    "document.documentElement.dataset.rendered === 'true' || !document.getElementById('page-error').hidden",
    60_000,
  );
  await page.screenshot(screenshot);
  t.comment(`screenshot: ${screenshot}`);
  // The page's own error line catches what reaches window.onerror without being a console error.
  t.equal(
    await page.evaluate<string>(
      "document.getElementById('page-error').hidden ? '' : document.getElementById('page-error').textContent",
    ),
    '',
    'the page shows no error',
  );
  const charts = await page.evaluate<RenderedChart[]>(`[...document.querySelectorAll('figure.chart')].map((figure) => ({
    group: figure.closest('section').querySelector('h2').firstChild.textContent.trim(),
    figure: figure.dataset.figure,
    canvases: figure.querySelectorAll('canvas').length,
    legendSeries: [...figure.querySelectorAll('.u-legend .u-series th')].slice(1).map((th) => th.textContent.trim()),
  }))`);
  return { page, charts };
}

t.test(
  'a report of real containers: a chart per figure with a series per container, marks, no page errors',
  async (t) => {
    const suffix = uniqueSuffix();
    const prefix = `r${suffix}`;
    t.teardown(() => removeLabelled(`dockerutils.test=${suffix}`));
    const dir = t.testdir();
    let containers: BusyContainers | undefined;
    await recordMonitors(dir, `${prefix}_*`, async () => {
      containers = await startBusyContainers(prefix, suffix);
      // batch_1 fails twice (3 s, then 3 s after its restart); the others work meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
    });
    await stopBusyContainers(containers!);
    const statsFiles = readdirSync(dir).filter((name) => name.endsWith('.stats.jsonl'));
    t.ok(statsFiles.length >= 6, `stats-all wrote ${statsFiles.length} files`);

    const out = join(dir, 'report.html');
    const result = await runBin('stats-all', ['report', '--dir', dir, '--out', out]);
    t.equal(result.exitCode, 0, result.stderr);
    t.equal(result.stdout, `${out}\n`, 'the page on stdout');
    t.match(result.stderr, /6 containers in 3 groups, [\d,]+ samples \(every sample drawn\)/);
    t.notMatch(result.stderr, 'skipped');

    const browser = await HeadlessChromium.launch();
    t.teardown(() => browser.close());
    const { page, charts } = await openReport(t, browser, out, join(artifacts, 'stats-report-real.png'));
    t.same(page.problems, [], 'the page logged no errors');
    t.same(
      page.requests.filter((url) => url !== pathToFileURL(out).href),
      [],
      'nothing fetched but the file itself',
    );
    for (const [stem, names] of containers!.groups) {
      const groupCharts = charts.filter((chart) => chart.group === stem);
      t.same(
        groupCharts.map((chart) => chart.figure),
        figures,
        `${stem}: a chart per figure`,
      );
      for (const chart of groupCharts) {
        t.ok(chart.canvases >= 1, `${stem} ${chart.figure}: drawn`);
        t.same(chart.legendSeries, names, `${stem} ${chart.figure}: a series per container`);
      }
    }
    t.match(await page.evaluate<string>("document.querySelector('.zone-note').textContent"), 'Europe/Paris');
    t.match(
      await page.evaluate<string>("document.querySelector('time').textContent"),
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );
    const marks = await page.evaluate<
      Record<string, string[]>
    >(`Object.fromEntries([...document.querySelectorAll('table.summary')].map((table) =>
      [table.dataset.container, [...table.querySelectorAll('ul.marks li span')].map((span) => span.textContent)]))`);
    t.match(marks[`${prefix}_batch_1`], [
      /started/,
      /exited with code 3, then restarted/,
      /started/,
      /exited with code 3, not OOM-killed/,
    ]);
    t.match(marks[`${prefix}_batch_2`], [/started/, /exited with code 137, OOM-killed/]);
    t.match(marks[`${prefix}_app_1`], [/started/]);

    // As a person uses it: a drag on one chart zooms every chart; a name clicked in a legend hides
    // that container in each chart of its group and nowhere else; "show all" zooms out.
    const ranges = (): Promise<number[][]> =>
      page.evaluate('window.statsReport.plots.map((plot) => [plot.scales.x.min, plot.scales.x.max])');
    const [fullMin, fullMax] = (await ranges())[0]!;
    const plotArea = await page.evaluate<{ left: number; top: number; width: number; height: number }>(
      "JSON.parse(JSON.stringify(document.querySelector('figure.chart .u-over').getBoundingClientRect()))",
    );
    const middle = plotArea.top + plotArea.height / 2;
    await page.drag(
      { x: plotArea.left + plotArea.width * 0.3, y: middle },
      { x: plotArea.left + plotArea.width * 0.6, y: middle },
    );
    const zoomed = await ranges();
    t.ok(zoomed[0]![1]! - zoomed[0]![0]! < (fullMax! - fullMin!) * 0.5, 'the dragged chart zoomed in');
    t.ok(
      zoomed.every(([min, max]) => min === zoomed[0]![0] && max === zoomed[0]![1]),
      `all ${zoomed.length} charts show the same time range`,
    );
    // Off the charts first: a legend shows the values under the cursor, which moves its names.
    await page.hover(5, 5);
    const entry = await page.evaluate<{ x: number; y: number; label: string }>(`(() => {
      const th = document.querySelectorAll('figure.chart')[0].querySelectorAll('.u-legend .u-series th')[2];
      const box = th.getBoundingClientRect();
      return { x: box.left + box.width / 2, y: box.top + box.height / 2, label: th.textContent.trim() };
    })()`);
    await page.click(entry.x, entry.y);
    const hidden = await page.evaluate<{ group: number; hidden: string[] }[]>(`window.statsReport.plots.map((plot) => ({
      group: Number(plot.root.closest('figure').dataset.group),
      hidden: plot.series.slice(1).filter((series) => !series.show).map((series) => series.label),
    }))`);
    const firstGroup = hidden[0]!.group;
    t.same(hidden[0]!.hidden, [entry.label], `a click on ${entry.label} hides it`);
    for (const chart of hidden) t.same(chart.hidden, chart.group === firstGroup ? hidden[0]!.hidden : []);
    await page.click(
      ...(await page.evaluate<[number, number]>(
        "(() => { const box = document.getElementById('show-all').getBoundingClientRect(); return [box.left + 5, box.top + 5]; })()",
      )),
    );
    t.same((await ranges())[3], [fullMin, fullMax], '"show all" zooms every chart out');

    // The figures the containers' work should show, read from the tables.
    const maxima = await page.evaluate<
      Record<string, Record<string, string>>
    >(`Object.fromEntries([...document.querySelectorAll('table.summary')].map((table) =>
      [table.dataset.container, Object.fromEntries([...table.querySelectorAll('tbody tr')].map((row) => [row.querySelector('th').textContent, row.querySelectorAll('td')[3]?.textContent]))]))`);
    t.match(maxima[`${prefix}_app_1`]!.CPU, /^\d+(\.\d+)? %$/);
    t.ok(parseFloat(maxima[`${prefix}_app_1`]!.CPU!) > 30, `app_1 spins: CPU max ${maxima[`${prefix}_app_1`]!.CPU}`);
    t.match(maxima[`${prefix}_app_2`]!['Memory used'], /MiB$/);
    t.ok(parseFloat(maxima[`${prefix}_app_2`]!['Memory used']!) > 10, 'app_2 grows');
    t.match(maxima[`${prefix}_app_3`]!['Network receive rate'], /(KiB|MiB)\/s$/, 'app_3 downloads');

    // The same samples as CSV: one row per sample line, numbers as numbers.
    const csv = await runBin('stats-all', ['export', '--csv', '--dir', dir]);
    t.equal(csv.exitCode, 0, csv.stderr);
    const rows = csv.stdout.trimEnd().split('\n');
    const sampleLines = statsFiles.reduce(
      (sum, name) => sum + readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length,
      0,
    );
    t.equal(rows.length, sampleLines + 1, 'a header and a row per sample');
    t.match(rows[0], /^time,dock,name,id,cpuPercent,memoryUsedBytes,/);
    const first = rows[1]!.split(',');
    t.match(first[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const value of first.slice(4, 13)) t.ok(/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(value), `${value} is a number`);
  },
);

t.test('bad input: a report of what there is and one line about the rest, or a clear error', async (t) => {
  const dir = t.testdir();
  const empty = await runBin('stats-all', ['report', '--dir', dir]);
  t.equal(empty.exitCode, 1);
  t.match(empty.stderr, 'error: nothing to report: no *.stats.jsonl file in');
  t.equal(empty.stdout, '');

  writeFileSync(join(dir, '0123456789ab-other.stats.jsonl'), 'time,cpu\n1,2\n');
  const foreign = await runBin('stats-all', ['report', '--dir', dir]);
  t.equal(foreign.exitCode, 1);
  t.match(foreign.stderr, 'nothing to report: no samples in');
  t.match(foreign.stderr, 'files not written by stats-all: 0123456789ab-other.stats.jsonl');

  const startMs = Date.now() - 60_000;
  await writeSyntheticStats({ dir, containers: 2, samplesPerContainer: 30, images: 1, startMs, intervalMs: 1000 });
  const file = readdirSync(dir).find((name) => name.includes('bench_img1_1'))!;
  writeFileSync(join(dir, file), `${readFileSync(join(dir, file), 'utf8')}{"time":"2026-01-0`);
  const out = join(dir, 'partial.html');
  const partial = await runBin('stats-all', ['report', '--dir', dir, '--out', out]);
  t.equal(partial.exitCode, 0, partial.stderr);
  const skippedLines = partial.stderr.split('\n').filter((line) => line.startsWith('skipped'));
  t.equal(skippedLines.length, 1, 'one line about what was skipped');
  t.match(skippedLines[0], `a cut last line (stats-all stopped mid-write) in ${file}`);
  t.match(skippedLines[0], 'files not written by stats-all: 0123456789ab-other.stats.jsonl');

  const browser = await HeadlessChromium.launch();
  t.teardown(() => browser.close());
  const { page, charts } = await openReport(t, browser, out, join(artifacts, 'stats-report-partial.png'));
  t.same(page.problems, [], 'not a broken page');
  t.equal(charts.length, figures.length);
  t.match(await page.evaluate<string>("document.getElementById('skipped').textContent"), 'Skipped a cut last line');

  const csv = await runBin('stats-all', ['export', '--csv', '--dir', dir, '--out', join(dir, 'out.csv')]);
  t.equal(csv.exitCode, 0, csv.stderr);
  t.equal(csv.stdout, '');
  t.equal(readFileSync(join(dir, 'out.csv'), 'utf8').trimEnd().split('\n').length, 61);
  t.match(csv.stderr, '60 rows of 2 containers in');

  const badSince = await runBin('stats-all', ['report', '--dir', dir, '--since', 'yesterday']);
  t.equal(badSince.exitCode, 2);
  t.match(badSince.stderr, 'error: --since yesterday: give a duration');
  const badDock = await runBin('stats-all', ['report', '--dir', dir, '--dock', 'nowhere']);
  t.equal(badDock.exitCode, 2);
  t.match(badDock.stderr, `error: no folder ${join(dir, 'nowhere')} for dock nowhere`);
  const noFormat = await runBin('stats-all', ['export', '--dir', dir]);
  t.equal(noFormat.exitCode, 2);
  t.match(noFormat.stderr, 'error: stats-all export: give the format, --csv');
  const outside = await runBin('stats-all', [
    'report',
    '--dir',
    dir,
    '--until',
    String(Math.floor(startMs / 1000) - 3600),
  ]);
  t.equal(outside.exitCode, 1);
  t.match(outside.stderr, 'nothing to report: the 60 samples in');
});

t.test('stats-all with its own options is unchanged; the sub-commands are listed and have help', async (t) => {
  const help = await runBin('stats-all', ['--help']);
  t.equal(help.exitCode, 0);
  t.match(help.stdout, /--interval <seconds>/);
  t.match(help.stdout, /Commands:\n\s+report \[options\]/);
  t.match(help.stdout, /\n\s+export \[options\]/);
  const reportHelp = await runBin('stats-all', ['report', '--help']);
  t.equal(reportHelp.exitCode, 0);
  t.match(reportHelp.stdout, /^Usage: stats-all report \[options\]/);
  t.match(reportHelp.stdout, '--since <time>');
  const viaUmbrella = await runBin('dockerutils', ['stats-all', 'report', '--help']);
  t.equal(viaUmbrella.exitCode, 0);
  t.match(viaUmbrella.stdout, /^Usage: dockerutils stats-all report \[options\]/);
  const unknownOption = await runBin('stats-all', ['report', '--bogus']);
  t.equal(unknownOption.exitCode, 2);
  t.match(unknownOption.stderr, "unknown option '--bogus'");

  const suffix = uniqueSuffix();
  const dir = t.testdir();
  const once = await runBin('stats-all', ['--once', '--json', '--all', '--name', `none-${suffix}`, '--dir', dir]);
  t.equal(once.exitCode, 0, once.stderr);
  t.match(once.stderr, `0 samples in ${dir}`);
});

// Size and time at 720,000 samples are bench/stats-report.ts's to measure; here, an hour of 40 containers.
t.test('an hour of samples of 40 containers is downsampled, saying so, and keeps every peak', async (t) => {
  const dir = t.testdir();
  await writeSyntheticStats({
    dir,
    containers: 40,
    samplesPerContainer: 3600,
    images: 4,
    startMs: Date.parse('2024-01-02T03:00:00Z'),
    intervalMs: 1000,
  });
  const out = join(dir, 'big.html');
  const result = await runBin('stats-all', ['report', '--dir', dir, '--out', out], { timeoutMs: 120_000 });
  t.equal(result.exitCode, 0, result.stderr);
  t.match(result.stderr, /40 containers in 4 groups, 144,000 samples \(drawn as min and max per \d+ s\)/);
  const html = readFileSync(out, 'utf8');
  t.match(html, 'Downsampled for drawing: 144,000 samples');
  // The highest CPU sample of every container is in the page's data (and in its table).
  const data = JSON.parse(
    /<script type="application\/json" id="stats-report-data">(.*?)<\/script>/s.exec(html)![1]!,
  ) as {
    groups: { containers: { label: string }[]; charts: { figure: string; decimals: number; series: string[] }[] }[];
  };
  const drawnMax = new Map<string, number>();
  for (const group of data.groups) {
    const cpu = group.charts.find((chart) => chart.figure === 'cpu')!;
    group.containers.forEach((container, index) => {
      const values = cpu.series[index]!.split(',').filter((field) => /^\d+$/.test(field));
      drawnMax.set(container.label, Math.max(...values.map(Number)) / 10 ** cpu.decimals);
    });
  }
  for (const name of readdirSync(dir)
    .filter((entry) => entry.endsWith('.stats.jsonl'))
    .slice(0, 20)) {
    const lines = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
    const samples = lines.map((line) => JSON.parse(line) as { name: string; cpuPercent: number });
    const trueMax = Math.max(...samples.map((sample) => sample.cpuPercent));
    t.ok(Math.abs(drawnMax.get(samples[0]!.name)! - trueMax) < 0.5, `${samples[0]!.name}: peak ${trueMax} drawn`);
  }
});
