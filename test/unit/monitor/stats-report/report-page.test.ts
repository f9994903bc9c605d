import t from 'tap';
import { buildReportModel } from '../../../../src/monitor/stats-report/report-model.js';
import { escapeHtml, renderReportPage, reportDataElementId } from '../../../../src/monitor/stats-report/report-page.js';
import { sampleFields, type ContainerSamples } from '../../../../src/monitor/stats-report/stats-file.js';
import type { LoadedContainer } from '../../../../src/monitor/stats-report/stats-run.js';

const startMs = Date.UTC(2024, 0, 2, 3, 0, 0);

function container(label: string, name: string): LoadedContainer {
  const timesMs = Float64Array.from({ length: 5 }, (_, index) => startMs + index * 1000);
  const columns = Object.fromEntries(
    sampleFields.map((field) => [field, Float64Array.from({ length: 5 }, (_, index) => index)]),
  ) as ContainerSamples['columns'];
  return {
    label,
    name,
    id: 'f'.repeat(64),
    path: '/x',
    samples: { id: 'f'.repeat(64), name, timesMs, columns },
    marks: [],
  };
}

const assets = { uplotJs: 'var uPlot = 1; // </script> inside', uplotCss: '.u{}', pageScript: 'run();' };

t.test('one self-contained page: the assets inline, nothing to fetch, the data as JSON', async (t) => {
  const model = buildReportModel([container('web_1', 'web_1'), container('web_2', 'web_2')], {
    dir: '/srv/logs',
    generatedAtMs: startMs,
    skipped: 'skipped a cut last line (stats-all stopped mid-write) in a.stats.jsonl',
  });
  const html = renderReportPage(model, assets);
  t.match(html, /^<!doctype html>/);
  t.match(html, `<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  t.notMatch(html, /\b(src|href)=/, 'no external resource');
  t.match(html, 'var uPlot = 1; // <\\/script> inside', 'a closing tag in an asset cannot end its element');
  t.match(html, '<script>run();</script>');
  const json = new RegExp(`<script type="application/json" id="${reportDataElementId}">(.*?)</script>`).exec(html)![1]!;
  const data = JSON.parse(json) as { groups: { charts: { series: string[] }[]; containers: { label: string }[] }[] };
  t.equal(data.groups.length, 1);
  t.equal(data.groups[0]!.charts.length, 7);
  t.same(
    data.groups[0]!.containers.map((entry) => entry.label),
    ['web_1', 'web_2'],
  );
  t.equal(html.match(/<figure class="chart"/g)!.length, 7, 'a place for each chart');
  t.equal(html.match(/<table class="summary"/g)!.length, 2, 'a table per container');
  t.match(html, '<th>min</th><th>mean</th><th>p95</th><th>max</th>');
  t.match(html, 'Skipped a cut last line (stats-all stopped mid-write) in a.stats.jsonl.');
  t.match(html, '<time datetime="2024-01-02T03:00:00.000Z">2024-01-02 03:00:00 UTC</time>');
});

t.test('names are text, never markup, in the page and in its data', async (t) => {
  const model = buildReportModel([container('web_1 @ <b>dock</b>', 'web_1')], { dir: '/a&b', generatedAtMs: startMs });
  const html = renderReportPage(model, assets);
  t.notMatch(html, '<b>dock</b>');
  t.match(html, 'web_1 @ &#60;b&#62;dock&#60;/b&#62;');
  t.match(html, 'web_1 @ \\u003cb>dock\\u003c/b>');
  t.match(html, '<code>/a&#38;b</code>');
  t.equal(escapeHtml(`"'<>&`), '&#34;&#39;&#60;&#62;&#38;');
});
