// Makes the README's picture of a stats report (docs/images/stats-report.png) the way a user makes a
// report: the built logs-all and stats-all record a few busybox containers doing varying work, the
// built `stats-all report` writes the page, and headless Chromium shows it.
// Run: npm run screenshot:stats-report   (SCREENSHOT_SECONDS sets how long the containers work;
// SCREENSHOT_DIR keeps the recorded files there, and with files already there only redraws)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { recordMonitors, startBusyContainers, stopBusyContainers } from '../test/helpers/busy-containers.js';
import { removeLabelled, repoRoot, requireEngine, runBin, testLabel, uniqueSuffix } from '../test/helpers/engine.js';
import { HeadlessChromium } from '../test/helpers/headless-chromium.js';

const seconds = Number(process.env.SCREENSHOT_SECONDS ?? 90);
const keptDir = process.env.SCREENSHOT_DIR;
const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'stats-report-screenshot-'));
const image = join(repoRoot, 'docs', 'images', 'stats-report.png');

try {
  mkdirSync(dir, { recursive: true });
  if (!readdirSync(dir).some((name) => name.endsWith('.stats.jsonl'))) {
    await requireEngine();
    const suffix = uniqueSuffix().slice(0, 4);
    try {
      await recordMonitors(dir, `demo${suffix}_*`, async () => {
        const containers = await startBusyContainers(`demo${suffix}`, suffix);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        // Stopped while the monitors still run: the report marks their exits.
        await stopBusyContainers(containers);
        await new Promise((resolve) => setTimeout(resolve, 3000));
      });
    } finally {
      await removeLabelled(`${testLabel}=${suffix}`);
    }
  }
  const out = join(dir, 'stats-report.html');
  const result = await runBin('stats-all', ['report', '--dir', dir, '--out', out]);
  if (result.exitCode !== 0) throw new Error(`stats-all report failed: ${result.stderr}`);
  process.stderr.write(result.stderr);

  const browser = await HeadlessChromium.launch();
  try {
    const page = await browser.newPage(1400, 900);
    await page.setTimeZone('Europe/Paris');
    await page.goto(pathToFileURL(out).href);
    await page.waitFor("document.documentElement.dataset.rendered === 'true'");
    if (page.problems.length > 0) throw new Error(`the page logged errors: ${JSON.stringify(page.problems)}`);
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    // The header and the first group's charts: what a person sees first.
    await page.screenshot(image, 1480);
    console.log(`${image} (report: ${out})`);
  } finally {
    await browser.close();
  }
} finally {
  if (!keptDir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
