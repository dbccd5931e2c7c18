/**
 * A line chart as SVG text, written by hand (no library): log-scaled axes, one line with dots per
 * series, a legend. Pure: the same data gives the same bytes.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  points: Point[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Where the x axis has ticks (the offered loads). */
  xTicks: number[];
  /** How a tick value is written on each axis. */
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
  width?: number;
  height?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const MARGIN = { left: 70, right: 270, top: 40, bottom: 55 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Ticks at 1, 2 and 5 times the powers of ten between `low` and `high`. */
export function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++)
    for (const step of [1, 2, 5]) {
      const tick = step * 10 ** power;
      if (tick >= low * 0.999 && tick <= high * 1.001) ticks.push(Number(tick.toPrecision(6)));
    }
  return ticks;
}

const round = (value: number): string => String(Math.round(value * 10) / 10);

export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 820;
  const height = options.height ?? 420;
  const formatX = options.formatX ?? String;
  const formatY = options.formatY ?? String;
  const plot = {
    x: MARGIN.left,
    y: MARGIN.top,
    w: width - MARGIN.left - MARGIN.right,
    h: height - MARGIN.top - MARGIN.bottom,
  };
  const points = options.series.flatMap((series) => series.points).filter((point) => point.y > 0 && point.x > 0);
  const xs = [...options.xTicks, ...points.map((point) => point.x)];
  const ys = points.map((point) => point.y);
  const [xLow, xHigh] = [Math.min(...xs), Math.max(...xs)];
  // Whole decades on the y axis, so the grid reads at a glance; a single value still gets one decade.
  const yLow = ys.length ? 10 ** Math.floor(Math.log10(Math.min(...ys))) : 1;
  const yHigh = ys.length ? Math.max(10 ** Math.ceil(Math.log10(Math.max(...ys))), yLow * 10) : 10;
  const scale = (value: number, low: number, high: number) =>
    high === low ? 0.5 : (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
  const px = (x: number) => plot.x + scale(x, xLow, xHigh) * plot.w;
  const py = (y: number) => plot.y + plot.h - scale(y, yLow, yHigh) * plot.h;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
  ];
  for (const tick of logTicks(yLow, yHigh)) {
    const y = round(py(tick));
    out.push(`<line x1="${plot.x}" y1="${y}" x2="${plot.x + plot.w}" y2="${y}" stroke="#dddddd"/>`);
    out.push(
      `<text x="${plot.x - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatY(tick))}</text>`,
    );
  }
  for (const tick of options.xTicks) {
    const x = round(px(tick));
    out.push(`<line x1="${x}" y1="${plot.y}" x2="${x}" y2="${plot.y + plot.h}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x}" y="${plot.y + plot.h + 16}" text-anchor="middle">${escapeXml(formatX(tick))}</text>`);
  }
  out.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#333333"/>`);
  out.push(
    `<text x="${plot.x + plot.w / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle">` +
      `${escapeXml(options.yLabel)}</text>`,
  );
  for (const [index, series] of options.series.entries()) {
    const colour = COLOURS[index % COLOURS.length]!;
    const shown = series.points.filter((point) => point.y > 0 && point.x > 0).sort((a, b) => a.x - b.x);
    const path = shown.map((point) => `${round(px(point.x))},${round(py(point.y))}`).join(' ');
    out.push(`<g data-series="${escapeXml(series.name)}">`);
    if (shown.length > 1) out.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const point of shown)
      out.push(`<circle cx="${round(px(point.x))}" cy="${round(py(point.y))}" r="3.5" fill="${colour}"/>`);
    const legendY = plot.y + 10 + index * 20;
    const legendX = plot.x + plot.w + 16;
    out.push(
      `<line x1="${legendX}" y1="${legendY}" x2="${legendX + 22}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
    );
    out.push(`<text x="${legendX + 28}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.name)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
