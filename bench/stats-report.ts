// The size check of stats-all report: 200 containers sampled every second for an hour (720,000
// samples, in stats-all's exact format) made into a report by the built bin, timed from the command's
// start to its exit, against the targets of 5 s and 10 MB. No docker command makes such a report, so
// there is nothing to compare with: the figures and the targets are printed. With Chromium installed
// the page is also opened, and the time until its charts are drawn is printed.
// Run: npm run bench:report   (BENCH_CONTAINERS, BENCH_SAMPLES change the sizes)
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runBin, runBounded } from '../test/helpers/engine.js';
import { chromiumPath, HeadlessChromium } from '../test/helpers/headless-chromium.js';
import { writeSyntheticStats } from '../test/helpers/synthetic-stats.js';

const containers = Number(process.env.BENCH_CONTAINERS ?? 200);
const samplesPerContainer = Number(process.env.BENCH_SAMPLES ?? 3600);
const repeats = 3;

const dir = mkdtempSync(join(tmpdir(), 'stats-report-bench-'));
try {
  const written = await writeSyntheticStats({
    dir,
    containers,
    samplesPerContainer,
    images: 4,
    startMs: Date.parse('2024-01-02T03:00:00Z'),
    intervalMs: 1000,
  });
  const out = join(dir, 'report.html');
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const started = performance.now();
    const result = await runBin('stats-all', ['report', '--dir', dir, '--out', out], { timeoutMs: 120_000 });
    times.push((performance.now() - started) / 1000);
    if (result.exitCode !== 0) throw new Error(`stats-all report failed: ${result.stderr}`);
    if (repeat === 0) process.stdout.write(result.stderr);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  const bytes = statSync(out).size;
  console.log(`${containers} containers x ${samplesPerContainer} samples = ${written.toLocaleString('en-US')} samples`);
  console.log(
    `stats-all report: ${median.toFixed(2)} s (median of ${repeats}: ${times.map((time) => time.toFixed(2)).join(', ')}; target <= 5 s)`,
  );
  console.log(`page: ${(bytes / 1e6).toFixed(2)} MB (target <= 10 MB)`);
  // The machine's speed at the moment, for comparing runs on a busy machine.
  const nodeTimes: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const started = performance.now();
    await runBounded(process.execPath, ['-e', '0']);
    nodeTimes.push((performance.now() - started) / 1000);
  }
  const nodeMedian = [...nodeTimes].sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
  console.log(
    `node -e 0: ${nodeMedian.toFixed(2)} s meanwhile (the report took ${(median / nodeMedian).toFixed(0)} times as long)`,
  );

  if (existsSync(chromiumPath)) {
    const browser = await HeadlessChromium.launch();
    try {
      const page = await browser.newPage(1400, 900);
      const started = performance.now();
      await page.goto(pathToFileURL(out).href, 60_000);
      await page.waitFor("document.documentElement.dataset.rendered === 'true'", 60_000);
      const charts = await page.evaluate<number>('window.statsReport.charts.length');
      console.log(
        `headless Chromium: ${charts} charts drawn ${((performance.now() - started) / 1000).toFixed(2)} s after navigating; ${page.problems.length} page errors`,
      );
    } finally {
      await browser.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
