/**
 * A line chart as hand-written SVG (no browser, no plotting library): latency
 * percentiles (log scale) against offered load, one line per series.
 */

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** Drawn as an open circle (e.g. a rate the platform did not sustain). */
  readonly hollow?: boolean;
}

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly points: readonly ChartPoint[];
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** A line of explanation under the legend (e.g. what open circles mean). */
  readonly legendNote?: string;
  /** Horizontal reference lines, e.g. the p99 target. */
  readonly references?: readonly { readonly y: number; readonly label: string }[];
  readonly width?: number;
  readonly height?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Tick values for a linear axis from 0 to max: 1, 2 or 5 times a power of ten, about `count` of them. */
export function linearTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9 && ticks.length < 50; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Decades (and 2x, 5x within them) spanning [min, max] for a log axis. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
  const hi = Math.ceil(Math.log10(Math.max(max, min * 10, 1e-3)));
  const ticks: number[] = [];
  for (let e = lo; e <= hi && ticks.length < 60; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= 10 ** lo && v <= 10 ** hi) ticks.push(Number(v.toPrecision(12)));
    }
  }
  return ticks;
}

function formatTick(v: number): string {
  if (v >= 1000) return `${v / 1000} s`;
  if (v >= 1) return `${v}`;
  return v.toPrecision(1);
}

function fmt(n: number): string {
  return n.toFixed(1);
}

/** Renders the chart; series without points are listed in the legend as "(no data)". */
export function renderLineChart(options: ChartOptions): string {
  const width = options.width ?? 880;
  const height = options.height ?? 500;
  const margin = { top: 48, right: 220, bottom: 56, left: 72 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const points = options.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const ys = [...points.map((p) => p.y), ...(options.references ?? []).map((r) => r.y)].filter((y) => y > 0);
  const xMax = Math.max(1, ...points.map((p) => p.x)) * 1.05;
  // Headroom above the largest value, so a reference line or a point does not sit on the frame.
  const yTicks = logTicks(Math.min(...ys, 10), Math.max(...ys, 100) * 1.5);
  const yMin = yTicks[0] ?? 1;
  const yMax = yTicks[yTicks.length - 1] ?? 1000;
  const sx = (x: number) => margin.left + (x / xMax) * plotW;
  const sy = (y: number) => {
    const clamped = Math.min(Math.max(y, yMin), yMax);
    return (
      margin.top + plotH - ((Math.log10(clamped) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotH
    );
  };
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2 - margin.right / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  for (const tick of yTicks) {
    const y = fmt(sy(tick));
    out.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatTick(tick))}</text>`,
    );
  }
  for (const tick of linearTicks(xMax / 1.05)) {
    const x = fmt(sx(tick));
    out.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`,
      `<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${escapeXml(String(tick))}</text>`,
    );
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="18" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${margin.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  for (const reference of options.references ?? []) {
    const y = fmt(sy(reference.y));
    out.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#c00" stroke-dasharray="2 3"/>`,
      `<text x="${margin.left + plotW - 4}" y="${Number(y) - 4}" text-anchor="end" fill="#c00">${escapeXml(reference.label)}</text>`,
    );
  }
  options.series.forEach((series, i) => {
    const valid = [...series.points]
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.y > 0)
      .sort((a, b) => a.x - b.x);
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    if (valid.length > 0) {
      const path = valid.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.y))}`).join(' ');
      out.push(`<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`);
      for (const p of valid) {
        const fill = p.hollow ? `fill="white" stroke="${series.color}" stroke-width="1.5"` : `fill="${series.color}"`;
        out.push(`<circle cx="${fmt(sx(p.x))}" cy="${fmt(sy(p.y))}" r="${p.hollow ? 4 : 3}" ${fill}/>`);
      }
    }
    const ly = margin.top + 10 + i * 20;
    const lx = margin.left + plotW + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${series.color}" stroke-width="2"${dash}/>`,
      `<text x="${lx + 36}" y="${ly}" dominant-baseline="middle">${escapeXml(series.label + (valid.length === 0 ? ' (no data)' : ''))}</text>`,
    );
  });
  if (options.legendNote) {
    out.push(
      `<text x="${margin.left + plotW + 16}" y="${margin.top + 10 + options.series.length * 20 + 8}" font-size="11" fill="#555">${escapeXml(options.legendNote)}</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
