import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatBytes,
  formatMs,
  formatRatio,
  headlinePhase,
  RESULT_FILES,
  renderChart,
  renderMarkdown,
  runFolderName,
  summaryLines,
  toJson,
  writeReport,
} from './report.js';
import { fakeBaselines, fakeMode, fakePlatform, fakeResult } from './results.fixtures.js';

describe('formatting', () => {
  it('shows latencies with sensible precision and dashes for missing figures', () => {
    expect(formatMs(0.1234)).toBe('0.12');
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(1234.5)).toBe('1,235');
    expect(formatMs(undefined)).toBe('–');
    expect(formatRatio(3.456)).toBe('3.5×');
    expect(formatRatio(42.2)).toBe('42×');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB');
  });
});

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(fakeResult());

  it('names the machine, the profile and the load caveat', () => {
    expect(markdown).toContain('2 × Test CPU');
    expect(markdown).toContain('Profile **ci**');
    expect(markdown).toContain('Shared, noisy machine');
    expect(markdown).toContain('> Note: portal-gateway ran from /tmp/gw');
  });

  it('puts every baseline in one table', () => {
    for (const part of [
      'Kafka produce→consume round trip',
      'gRPC unary echo',
      'MongoDB insertOne',
      'MongoDB updateOne',
    ]) {
      expect(markdown).toContain(part);
    }
    expect(markdown).toMatch(
      /\| Kafka produce→consume round trip, 1 message \(before\) \| 5\.00 \| 20\.0 \| 20\.0 \| 20\.0 \|/,
    );
  });

  it('has a row per measured phase and mode (not the warm-up), and the targets', () => {
    const rows = markdown.split('\n').filter((l) => l.startsWith('| telemetry '));
    expect(rows).toHaveLength(8);
    expect(markdown).toContain('no (p99 10,000 ms > 5,000 ms)');
    expect(markdown).toContain('| ≥ 100 bundles/s | 8 /s | no |');
    expect(markdown).toContain(`![latency percentiles vs offered load](${RESULT_FILES.chart})`);
    expect(markdown).toContain('### Where the time goes (telemetry on');
    expect(markdown).toContain(
      'Database commands in the phase (all services): 1000 writes, 500 reads — per accepted bundle 20.0 writes, 10.0 reads.',
    );
    expect(markdown).toContain('| registration | grpc.SubmitChangeOfAddress | 50 | 2.5 | 40.0 | 200 | 300 |');
  });

  it('says why the platform was not run when it was skipped', () => {
    const skipped = renderMarkdown(fakeResult({ skipped: 'BENCH_SCOPE=baselines' }));
    expect(skipped).toContain('Not run: BENCH_SCOPE=baselines');
    expect(skipped).not.toContain('| telemetry ');
  });

  it("is valid tables: every row of a table has the header's number of cells", () => {
    const lines = markdown.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]?.startsWith('| ---')) continue;
      const cells = (lines[i - 1]?.match(/(?<!\\)\|/g) ?? []).length;
      for (let j = i + 1; lines[j]?.startsWith('|'); j++) {
        expect((lines[j]?.match(/(?<!\\)\|/g) ?? []).length).toBe(cells);
      }
    }
  });
});

describe('headlinePhase', () => {
  it('is the highest sustainable rate, else the lowest measured one', () => {
    expect(headlinePhase(fakeMode('on', [2, 5, 8, 13], 8))?.offeredRate).toBe(5);
    expect(headlinePhase(fakeMode('on', [2, 5], 1))?.offeredRate).toBe(2);
  });
});

describe('renderChart', () => {
  it('draws p50/p95/p99 per mode, dashed for telemetry off', () => {
    const svg = renderChart(fakeResult());
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    expect(svg).toContain('p99, telemetry off');
    expect(svg).toContain('target p99 &lt; 1000 ms');
  });
});

describe('writeReport', () => {
  it('writes results.json, results.md and the SVG into results/<timestamp>/', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    const started = new Date('2026-11-21T20:31:05.123Z');
    const result = fakeResult({ ...fakePlatform() });
    const dir = writeReport(result, root, started);
    expect(path.basename(dir)).toBe('2026-11-21T20-31-05Z');
    expect(runFolderName(started)).toBe('2026-11-21T20-31-05Z');
    const json = JSON.parse(fs.readFileSync(path.join(dir, RESULT_FILES.json), 'utf8'));
    expect(json.schema).toBe('buergerservice-benchmark/1');
    expect(json.baselines[0].kafka.roundTrip.p50).toBe(5);
    expect(fs.readFileSync(path.join(dir, RESULT_FILES.markdown), 'utf8')).toContain('# Bürgerservice benchmark');
    expect(fs.readFileSync(path.join(dir, RESULT_FILES.chart), 'utf8')).toContain('<svg');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes non-finite numbers as null', () => {
    const result = fakeResult({ skipped: 'x' });
    const odd = { ...result, baselines: [{ ...fakeBaselines(), seconds: Number.NaN }] };
    expect(JSON.parse(toJson(odd)).baselines[0].seconds).toBeNull();
  });
});

describe('summaryLines', () => {
  it('prints the headline figures and the verdict', () => {
    const lines = summaryLines(fakeResult(), '/tmp/x');
    expect(lines.join('\n')).toMatch(/baselines: Kafka round trip p50 5\.00 ms/);
    expect(lines.join('\n')).toMatch(/platform, telemetry on: max sustainable 5\.0 bundles\/s/);
    expect(lines[lines.length - 2]).toBe('verdict: ok');
    expect(lines[lines.length - 1]).toBe('results: /tmp/x');
  });
});
