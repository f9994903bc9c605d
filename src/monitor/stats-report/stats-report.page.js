// The script of a stats report page (inlined into the HTML file at build time): draws the charts with
// uPlot from the embedded data, zoom shared by every chart, legends that hide a container across its
// group's charts, marks for starts, exits and restarts, and times in the viewer's zone.
/* global document, window, uPlot */
'use strict';

(function statsReport() {
  const pageError = document.getElementById('page-error');
  window.addEventListener('error', (event) => {
    pageError.hidden = false;
    pageError.textContent = `This page failed to draw its charts: ${event.message}`;
  });

  const data = JSON.parse(document.getElementById('stats-report-data').textContent);
  const chartHeight = 240;

  // The viewer's zone, shown wherever times are.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const offsetMinutes = -new Date(data.startMs).getTimezoneOffset();
  const two = (n) => String(n).padStart(2, '0');
  const offset = `UTC${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offsetMinutes) / 60))}:${two(Math.abs(offsetMinutes) % 60)}`;
  const zoneText = zone === 'UTC' || zone === 'Etc/UTC' ? 'UTC' : `${zone}, ${offset}`;
  const localTime = (ms) => {
    const d = new Date(ms);
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  };
  for (const element of document.querySelectorAll('time[datetime]')) {
    element.textContent = localTime(Date.parse(element.getAttribute('datetime')));
    element.title = `${element.getAttribute('datetime')} (UTC)`;
  }
  for (const element of document.querySelectorAll('.zone-note')) element.textContent = `(times in ${zoneText})`;

  // The shared time axis: two points per bucket (its minimum and maximum, in the order they came).
  const { startMs, bucketMs, buckets } = data.grid;
  const xs = new Array(buckets * 2);
  for (let bucket = 0; bucket < buckets; bucket++) {
    xs[bucket * 2] = (startMs + bucket * bucketMs) / 1000;
    xs[bucket * 2 + 1] = (startMs + bucket * bucketMs + bucketMs / 2) / 1000;
  }
  const fullRange = { min: xs[0], max: xs[xs.length - 1] };

  // `15,,-,2`: values times 10^decimals; an empty field is undefined (the line goes on), `-` is null
  // (a gap: the line breaks).
  const decode = (text, decimals) => {
    const values = new Array(xs.length);
    if (text === '') return values;
    const scale = 10 ** decimals;
    const fields = text.split(',');
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index];
      values[index] = field === '' ? undefined : field === '-' ? null : Number(field) / scale;
    }
    return values;
  };

  const formatValue = (value, chart) =>
    value == null ? '–' : `${value.toFixed(chart.decimals)}${chart.unit ? ` ${chart.unit}` : ''}`;
  const axisValue = (value, chart) => {
    const text = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
    return chart.unit ? `${text} ${chart.unit}` : text;
  };

  // 24-hour ticks, with seconds when ticks are less than a minute apart, and the date under the
  // first tick and wherever the day changes.
  const timeTicks = (u, splits, axisIndex, space, incrementSeconds) => {
    let previousDay = '';
    return splits.map((seconds) => {
      const date = new Date(seconds * 1000);
      const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
      const time = `${two(date.getHours())}:${two(date.getMinutes())}${incrementSeconds < 60 ? `:${two(date.getSeconds())}` : ''}`;
      const text = day === previousDay ? time : `${time}\n${day}`;
      previousDay = day;
      return text;
    });
  };

  const plots = [];
  let syncingScale = false;
  let syncingSeries = false;
  const pxRatio = () => uPlot.pxRatio || 1;

  const markDashes = { start: [], exit: [5, 3], restart: [2, 3], removed: [1, 4] };

  // Lines where containers started, exited and restarted, and the memory limit when it is in view.
  function drawOverlays(u, group, chart) {
    const { ctx, bbox } = u;
    const ratio = pxRatio();
    const marks = [];
    group.containers.forEach((container, index) => {
      if (!u.series[index + 1].show) return;
      for (const mark of container.marks) {
        const x = Math.round(u.valToPos(mark.timeMs / 1000, 'x', true));
        if (x >= bbox.left && x <= bbox.left + bbox.width) marks.push({ x, mark, color: container.color });
      }
    });
    marks.sort((a, b) => a.x - b.x);
    ctx.save();
    ctx.font = `${11 * ratio}px system-ui, sans-serif`;
    ctx.lineWidth = ratio;
    // Each label goes in the first of four rows where it overlaps no other; with no room, only the line.
    const rows = [[], [], [], []];
    for (const { x, mark, color } of marks) {
      ctx.strokeStyle = color;
      ctx.setLineDash(markDashes[mark.kind].map((length) => length * ratio));
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      const width = ctx.measureText(mark.label).width + 4 * ratio;
      const left = x + 2 * ratio > bbox.left + bbox.width - width ? x - 2 * ratio - width : x + 2 * ratio;
      const row = rows.findIndex((placed) => placed.every(([from, to]) => left >= to || left + width <= from));
      if (row === -1) continue;
      rows[row].push([left, left + width]);
      const top = bbox.top + 13 * ratio * row;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
      ctx.fillRect(left, top, width, 13 * ratio);
      ctx.fillStyle = color;
      ctx.fillText(mark.label, left + 2 * ratio, top + 10 * ratio);
    }
    (chart.limits || []).forEach((limit, index) => {
      const y = Math.round(u.valToPos(limit, 'y', true));
      if (y < bbox.top || y > bbox.top + bbox.height) return;
      ctx.strokeStyle = '#b03a2e';
      ctx.fillStyle = '#b03a2e';
      ctx.setLineDash([6 * ratio, 4 * ratio]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      const text = `limit ${chart.limitLabels[index]}`;
      ctx.fillText(text, bbox.left + bbox.width - ctx.measureText(text).width - 4 * ratio, y - 4 * ratio);
    });
    ctx.restore();
  }

  function makeChart(group, chart, element, width, groupPlots) {
    const live = group.containers.length <= 24;
    const options = {
      width,
      height: chartHeight,
      cursor: { sync: { key: 'stats-report' }, drag: { x: true, y: false } },
      legend: { live },
      scales: {
        x: { time: true },
        y: {
          // From zero; memory reaches up to a limit that is near enough to matter.
          range: (u, min, max) => {
            let top = max > 0 ? max * 1.05 : 1;
            for (const limit of chart.limits || []) if (limit <= max * 2 && limit * 1.03 > top) top = limit * 1.03;
            return [0, top];
          },
        },
      },
      axes: [
        {
          label: `time (${zoneText})`,
          labelSize: 18,
          labelFont: '12px system-ui, sans-serif',
          values: timeTicks,
        },
        {
          size: 78,
          values: (u, splits) => splits.map((value) => axisValue(value, chart)),
          // A count has whole ticks.
          ...(chart.figure === 'pids' ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {}),
        },
      ],
      series: [
        { label: 'time', value: (u, seconds) => (seconds == null ? '–' : localTime(seconds * 1000)) },
        ...group.containers.map((container) => ({
          label: container.label,
          stroke: container.color,
          dash: container.dash,
          // Lines of one pixel are drawn many times faster by a browser without a GPU: with dozens of
          // containers on a chart that is seconds.
          width: group.containers.length > 10 ? 1 : 1.5,
          points: { show: false },
          value: (u, value) => formatValue(value, chart),
        })),
      ],
      hooks: {
        draw: [(u) => drawOverlays(u, group, chart)],
        // Zooming one chart zooms them all.
        setScale: [
          (u, key) => {
            if (key !== 'x' || syncingScale) return;
            syncingScale = true;
            const { min, max } = u.scales.x;
            for (const other of plots) if (other !== u) other.setScale('x', { min, max });
            syncingScale = false;
          },
        ],
        // Hiding a container in one legend hides it in every chart of its group.
        setSeries: [
          (u, index, opts) => {
            if (syncingSeries || opts.show === undefined) return;
            syncingSeries = true;
            for (const other of groupPlots) if (other !== u) other.setSeries(index, { show: opts.show });
            syncingSeries = false;
          },
        ],
      },
    };
    const values = [xs, ...chart.series.map((series) => decode(series, chart.decimals))];
    return new uPlot(options, values, element);
  }

  // Every width is read before any chart is made: reading one after a chart changed the page would
  // lay the whole page out again, once per chart (seconds for hundreds of containers).
  const places = data.groups.map((group) =>
    group.charts.map((chart) => {
      const figure = document.querySelector(`.chart[data-group="${group.index}"][data-figure="${chart.figure}"]`);
      return figure.querySelector('.plot');
    }),
  );
  const widths = places.map((elements) => elements.map((element) => Math.max(element.clientWidth, 300)));
  const rendered = [];
  data.groups.forEach((group, groupIndex) => {
    const groupPlots = [];
    for (const [chartIndex, chart] of group.charts.entries()) {
      const element = places[groupIndex][chartIndex];
      const plot = makeChart(group, chart, element, widths[groupIndex][chartIndex], groupPlots);
      plots.push(plot);
      groupPlots.push(plot);
      rendered.push({ group: group.name, figure: chart.figure, series: plot.series.length - 1 });
    }
  });

  document.getElementById('show-all').addEventListener('click', () => {
    if (plots.length > 0) plots[0].setScale('x', fullRange);
  });
  const resize = () => {
    for (const plot of plots) {
      const width = Math.max(plot.root.parentElement.clientWidth, 300);
      if (width !== plot.width) plot.setSize({ width, height: chartHeight });
    }
  };
  window.addEventListener('resize', resize);

  // For whoever drives the page (tests, screenshots): what was drawn.
  window.statsReport = { charts: rendered, zone: zoneText, plots };
  document.documentElement.dataset.rendered = 'true';
})();
