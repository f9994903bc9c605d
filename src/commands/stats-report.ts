import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defaultMonitorDir } from '../project/project.js';
import { errorMessage, UserError } from '../errors.js';
import { buildReportModel } from '../monitor/stats-report/report-model.js';
import { renderReportPage } from '../monitor/stats-report/report-page.js';
import { describeSkipped, loadStatsRun } from '../monitor/stats-report/stats-run.js';
import { parseTimeWindow } from '../monitor/stats-report/time-window.js';

/** What `stats-all report` was asked. */
export interface StatsReportRequest {
  readonly cwd: string;
  /** The folder of stats-all's files; default `.dockerutils/logs` under the project root. */
  readonly dir?: string;
  /** The HTML file to write; default `stats-report.html` in the folder read. */
  readonly out?: string;
  /** `--since` / `--until`, in logs-all's forms. */
  readonly since?: string;
  readonly until?: string;
  readonly namePatterns: readonly string[];
  /** Read `<dir>/<dock>/` only. */
  readonly dock?: string;
  readonly nowMs?: number;
}

/** What the report holds and where it went. */
export interface StatsReportResult {
  readonly out: string;
  readonly bytes: number;
  readonly containers: number;
  readonly groups: number;
  readonly samples: number;
  /** The width of a drawing bucket when the charts are downsampled. */
  readonly downsampledBucketMs?: number;
  /** One line about input left out, when some was. */
  readonly skipped?: string;
}

/**
 * stats-all report: one self-contained HTML page of the stats files of a folder (with logs-all's
 * banners from the log files beside them), written to a file.
 */
export async function statsReport(request: StatsReportRequest): Promise<StatsReportResult> {
  const nowMs = request.nowMs ?? Date.now();
  const window = parseTimeWindow(request.since, request.until, nowMs);
  const dir = resolve(request.cwd, request.dir ?? defaultMonitorDir(request.cwd));
  const run = await loadStatsRun({
    dir,
    dirGiven: request.dir !== undefined,
    dock: request.dock,
    window,
    namePatterns: request.namePatterns,
    withMarks: true,
  });
  const skipped = describeSkipped(run.skipped);
  const model = buildReportModel(run.containers, { dir: run.dir, generatedAtMs: nowMs, skipped });
  // The charting library comes with the page code, only when a report is made.
  const { reportPageAssets } = await import('../monitor/stats-report/page-assets.js');
  const html = renderReportPage(model, reportPageAssets);
  const out = resolve(request.cwd, request.out ?? join(run.dir, 'stats-report.html'));
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, html);
  } catch (error) {
    throw new UserError(`cannot write ${out}: ${errorMessage(error)}`);
  }
  return {
    out,
    bytes: Buffer.byteLength(html),
    containers: model.containers.length,
    groups: model.groups.length,
    samples: model.samples,
    ...(model.grid.downsampled ? { downsampledBucketMs: model.grid.bucketMs } : {}),
    ...(skipped ? { skipped } : {}),
  };
}
