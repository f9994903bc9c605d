// Bundled as text by scripts/build.mjs (the `type: 'text'` import attribute): the report carries them
// inline, and a bundled bin cannot read them from node_modules at run time.
import uplotJs from 'uplot/dist/uPlot.iife.min.js' with { type: 'text' };
import uplotCss from 'uplot/dist/uPlot.min.css' with { type: 'text' };
import pageScript from './stats-report.page.js' with { type: 'text' };
import type { ReportPageAssets } from './report-page.js';

/** uPlot and the page's script, as the report inlines them. */
export const reportPageAssets: ReportPageAssets = { uplotJs, uplotCss, pageScript };
