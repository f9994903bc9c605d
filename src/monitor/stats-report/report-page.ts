import { formatQuantity } from './quantities.js';
import { reportFigures, type ReportContainer, type ReportModel } from './report-model.js';

/** What the page inlines: the charting library and the page's own script, so it opens offline. */
export interface ReportPageAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly pageScript: string;
}

/** The id of the script element that carries the chart data. */
export const reportDataElementId = 'stats-report-data';

/**
 * The report as one self-contained HTML file: text and tables rendered here, the charts drawn by the
 * inlined script from the data embedded as JSON. The content security policy lets the page load
 * nothing from anywhere: what it shows is all in the file.
 */
export function renderReportPage(model: ReportModel, assets: ReportPageAssets): string {
  const data = {
    grid: model.grid,
    startMs: model.startMs,
    endMs: model.endMs,
    groups: model.groups.map((group, groupIndex) => ({
      name: group.name,
      index: groupIndex,
      charts: group.charts,
      containers: group.containers.map((index) => {
        const container = model.containers[index]!;
        return {
          label: container.label,
          color: container.color,
          dash: container.dash,
          marks: container.marks.map((mark) => ({ timeMs: mark.timeMs, kind: mark.kind, label: mark.label })),
        };
      }),
    })),
  };
  const containerCount = model.containers.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${model.title}: ${containerCount} container${containerCount === 1 ? '' : 's'}`)}</title>
<style>${escapeStyle(assets.uplotCss)}</style>
<style>${pageCss}</style>
</head>
<body>
<header>
<h1>${escapeHtml(model.title)}</h1>
<p class="meta">${containerCount} container${containerCount === 1 ? '' : 's'}, ${model.samples.toLocaleString('en-US')} samples, ${timeElement(model.startMs)} to ${timeElement(model.endMs)} <span class="zone-note">(times in UTC)</span>. Read from <code>${escapeHtml(model.dir)}</code>; made ${timeElement(model.generatedAtMs)}.</p>
<p class="note">${escapeHtml(model.notes.sampling)}</p>
<p class="note">${escapeHtml(model.notes.grouping)}</p>
${model.notes.skipped ? `<p class="warning" id="skipped">${escapeHtml(capitalized(model.notes.skipped))}.</p>\n` : ''}<p class="help">Drag across a chart to zoom in: every chart follows. Double-click a chart or <button type="button" id="show-all">show all</button> to zoom out. Click a name under a chart to hide or show that container in its group, Ctrl-click to show it alone. Vertical lines mark starts, exits and restarts from logs-all's log files.</p>
<noscript><p class="warning">The charts need JavaScript; the tables do not.</p></noscript>
<p class="warning" id="page-error" hidden></p>
</header>
<main>
${model.groups
  .map(
    (group, groupIndex) => `<section class="group" id="group-${groupIndex}">
<h2>${escapeHtml(group.name)} <small>${group.containers.length} container${group.containers.length === 1 ? '' : 's'}</small></h2>
<div class="charts">
${group.charts
  .map(
    (chart) =>
      `<figure class="chart" data-group="${groupIndex}" data-figure="${escapeHtml(chart.figure)}"><figcaption>${escapeHtml(chart.title)}${chart.unit ? ` <span class="unit">(${escapeHtml(chart.unit)})</span>` : ''}${chart.limitLabels && chart.limitLabels.length > 0 ? ` <span class="limit">limit ${escapeHtml(chart.limitLabels.join(', '))}</span>` : ''}${chart.allZero ? ' <span class="zero">zero throughout</span>' : ''}</figcaption><div class="plot"></div></figure>`,
  )
  .join('\n')}
</div>
<div class="tables">
${group.containers.map((index) => containerTable(model.containers[index]!)).join('\n')}
</div>
</section>`,
  )
  .join('\n')}
</main>
<script type="application/json" id="${reportDataElementId}">${escapeJson(JSON.stringify(data))}</script>
<script>${escapeScript(assets.uplotJs)}</script>
<script>${escapeScript(assets.pageScript)}</script>
</body>
</html>
`;
}

function containerTable(container: ReportContainer): string {
  const rows = reportFigures.map((figure) => {
    const summary = container.summaries[figure.key];
    const title = figure.kind === 'rate' ? `${figure.title} rate` : figure.title;
    const cells = summary
      ? [summary.min, summary.mean, summary.p95, summary.max].map(
          (value) => `<td>${escapeHtml(formatQuantity(figure.kind, value))}</td>`,
        )
      : ['<td colspan="4" class="none">needs two samples</td>'];
    return `<tr><th scope="row">${escapeHtml(title)}</th>${cells.join('')}</tr>`;
  });
  const bytes = (value: number): string => escapeHtml(formatQuantity('bytes', value));
  const facts = [
    `network received ${bytes(container.totals.networkRxBytes)}, sent ${bytes(container.totals.networkTxBytes)}`,
    `block read ${bytes(container.totals.blockReadBytes)}, written ${bytes(container.totals.blockWriteBytes)}`,
    `memory limit ${bytes(container.memoryLimitBytes)}`,
    `${container.samples.toLocaleString('en-US')} samples, ${timeElement(container.firstMs)} to ${timeElement(container.lastMs)}`,
    ...(container.counterResets > 0
      ? [
          `counters went back to zero ${container.counterResets} time${container.counterResets === 1 ? '' : 's'} (restarts)`,
        ]
      : []),
  ];
  const marks =
    container.marks.length > 0
      ? `<ul class="marks">${container.marks.map((mark) => `<li>${timeElement(mark.timeMs)} <span class="mark-${mark.kind}">${escapeHtml(mark.text)}</span></li>`).join('')}</ul>`
      : '';
  return `<table class="summary" data-container="${escapeHtml(container.label)}">
<caption><span class="swatch" style="background:${escapeHtml(container.color)}"></span>${escapeHtml(container.label)} <code>${escapeHtml(container.id.slice(0, 12))}</code></caption>
<thead><tr><th></th><th>min</th><th>mean</th><th>p95</th><th>max</th></tr></thead>
<tbody>${rows.join('')}</tbody>
<tfoot><tr><td colspan="5">Totals from the first sample to the last: ${facts.join('; ')}.${marks}</td></tr></tfoot>
</table>`;
}

/** A time the page's script rewrites in the viewer's zone; UTC until then (and without script). */
function timeElement(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

// Inside <script> and <style> only the closing tag matters; JSON also gets `<` and the line separators
// JavaScript once refused escaped, so no container name can end the element.
const escapeJson = (json: string): string =>
  json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
const escapeScript = (script: string): string => script.replace(/<\/(script)/gi, '<\\/$1');
const escapeStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

const pageCss = `
:root { color-scheme: light; --muted: #5f6b7a; --line: #d8dee6; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 0; color: #1d2430; background: #fff; }
header, main { max-width: 1600px; margin: 0 auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 18px 0 4px; }
h2 { font-size: 18px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h2 small { font-weight: normal; color: var(--muted); font-size: 13px; margin-left: 6px; }
p { margin: 4px 0; }
.meta { color: #1d2430; }
.note, .help { color: var(--muted); font-size: 13px; }
.warning { color: #8a4b00; background: #fff4e0; border: 1px solid #f0c987; border-radius: 4px; padding: 4px 8px; font-size: 13px; }
#page-error { color: #8a1c1c; background: #fde8e8; border-color: #f0a0a0; }
button { font: inherit; font-size: 13px; padding: 0 6px; cursor: pointer; }
code { font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 10px 18px; }
.chart { margin: 0; min-width: 0; }
.chart figcaption { font-weight: 600; margin: 6px 0 2px; }
.chart .unit { font-weight: normal; color: var(--muted); }
.chart .limit { font-weight: normal; color: #b03a2e; font-size: 12px; margin-left: 6px; }
.chart .zero { font-weight: normal; color: var(--muted); font-size: 12px; margin-left: 6px; }
.plot { width: 100%; min-height: 240px; }
.plot .u-legend { font-size: 12px; text-align: left; }
.plot .u-legend .u-series > * { padding: 1px 3px; }
.tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px 18px; margin-top: 14px; }
/* Tables out of view are not laid out until scrolled to: with hundreds of containers that is seconds. */
table.summary { border-collapse: collapse; font-size: 12px; width: 100%; content-visibility: auto; contain-intrinsic-size: auto 240px; }
table.summary caption { text-align: left; font-weight: 600; font-size: 13px; padding: 2px 0; }
table.summary caption code { font-weight: normal; color: var(--muted); margin-left: 4px; }
table.summary th, table.summary td { border-bottom: 1px solid var(--line); padding: 2px 6px; text-align: right; white-space: nowrap; }
table.summary th[scope=row], table.summary thead th:first-child { text-align: left; }
table.summary thead th { color: var(--muted); font-weight: 600; }
table.summary tfoot td { text-align: left; white-space: normal; color: var(--muted); border-bottom: none; }
table.summary td.none { text-align: center; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
ul.marks { margin: 4px 0 0; padding-left: 18px; }
.mark-exit, .mark-restart { color: #b03a2e; }
`;
