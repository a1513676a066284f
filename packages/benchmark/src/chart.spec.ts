import { escapeXml, linearTicks, logTicks, renderLineChart } from './chart.js';

describe('axis ticks', () => {
  it('uses 1-2-5 steps from zero on a linear axis', () => {
    expect(linearTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearTicks(13)).toEqual([0, 5, 10]);
    expect(linearTicks(0)).toEqual([0]);
  });

  it('spans whole decades on a log axis', () => {
    expect(logTicks(35, 1_800)).toEqual([10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000]);
  });
});

describe('renderLineChart', () => {
  const svg = renderLineChart({
    title: 'Latency <vs> load',
    xLabel: 'offered',
    yLabel: 'ms',
    series: [
      {
        label: 'p50',
        color: '#00f',
        dashed: false,
        points: [
          { x: 10, y: 120 },
          { x: 5, y: 100 },
          { x: 20, y: 400, hollow: true },
        ],
      },
      { label: 'p99', color: '#0f0', dashed: true, points: [] },
    ],
    references: [{ y: 1_000, label: 'target' }],
  });

  it('is one SVG document with escaped text', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Latency &lt;vs&gt; load');
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws each series with data as a polyline ordered by x, and lists empty ones as such', () => {
    const polylines = svg.match(/<polyline points="([^"]+)"/g) ?? [];
    expect(polylines).toHaveLength(1);
    const xs = (/points="([^"]+)"/.exec(polylines[0] ?? '')?.[1] ?? '').split(' ').map((p) => Number(p.split(',')[0]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/<circle [^>]*fill="white"/g)).toHaveLength(1);
    expect(svg).toContain('p99 (no data)');
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it('places larger latencies higher (smaller y)', () => {
    const points = (/<polyline points="([^"]+)"/.exec(svg)?.[1] ?? '').split(' ').map((p) => Number(p.split(',')[1]));
    expect(points[2]).toBeLessThan(points[0] as number);
  });

  it('escapes the XML special characters', () => {
    expect(escapeXml('a & "b" <c>')).toBe('a &amp; &quot;b&quot; &lt;c&gt;');
  });
});
