import fs from 'node:fs';
import path from 'node:path';
import type { Baselines } from './baselines/index.js';
import { type ChartSeries, renderLineChart } from './chart.js';
import type { BenchResult, ModeResult, PhaseResult, PlatformResult } from './results.js';
import type { Summary } from './stats.js';

/** Files of one run, in results/<timestamp>/. */
export const RESULT_FILES = {
  json: 'results.json',
  markdown: 'results.md',
  chart: 'latency-vs-load.svg',
} as const;

// --- formatting ---------------------------------------------------------------

export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function formatNumber(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

export function formatRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${value.toFixed(value >= 10 ? 0 : 1)}×`;
}

export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(1)} %`;
}

export function formatBytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return '–';
  return `${(value / (1024 * 1024)).toFixed(0)} MB`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cellText = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${header.map(cellText).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cellText).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function percentiles(summary: Summary): string[] {
  return [formatMs(summary.p50), formatMs(summary.p95), formatMs(summary.p99), formatMs(summary.max)];
}

// --- sections ----------------------------------------------------------------

function baselineRows(b: Baselines): string[][] {
  const tag = (part: string) => `${part} (${b.label})`;
  return [
    [tag('Kafka produce→consume round trip, 1 message'), ...percentiles(b.kafka.roundTrip), '–'],
    [tag('Kafka send, acks=all, 1 message'), ...percentiles(b.kafka.send), '–'],
    [
      tag(`Kafka produce→consume throughput, batches of ${b.kafka.throughput.batchSize}`),
      '–',
      '–',
      '–',
      '–',
      `${formatNumber(b.kafka.throughput.endToEndRate, 0)} msg/s (produce ${formatNumber(b.kafka.throughput.produceRate, 0)})`,
    ],
    [
      tag('gRPC unary echo (grpc-js, loopback)'),
      ...percentiles(b.grpc.sequential),
      `${formatNumber(b.grpc.throughput.rate, 0)} calls/s at ${b.grpc.throughput.concurrency} concurrent`,
    ],
    [
      tag('MongoDB insertOne'),
      ...percentiles(b.mongo.insert),
      `${formatNumber(b.mongo.insertThroughput.rate, 0)} ops/s at ${b.mongo.insertThroughput.concurrency} concurrent`,
    ],
    [
      tag('MongoDB updateOne by _id'),
      ...percentiles(b.mongo.update),
      `${formatNumber(b.mongo.updateThroughput.rate, 0)} ops/s at ${b.mongo.updateThroughput.concurrency} concurrent`,
    ],
  ];
}

function measuredPhases(mode: ModeResult): PhaseResult[] {
  return mode.phases.filter((p) => p.kind !== 'warmup').sort((a, b) => a.offeredRate - b.offeredRate);
}

/** The phase the headline figures come from: the highest sustainable rate of a mode, else its lowest rate. */
export function headlinePhase(mode: ModeResult): PhaseResult | undefined {
  const phases = measuredPhases(mode);
  const sustainable = phases.filter((p) => p.sustainable);
  return sustainable[sustainable.length - 1] ?? phases[0];
}

/** The mode whose figures are the platform's headline: telemetry on (as deployed) when it ran. */
export function headlineMode(platform: PlatformResult): ModeResult | undefined {
  return platform.modes.find((m) => m.mode === 'on') ?? platform.modes[0];
}

function phaseTable(platform: PlatformResult): string {
  const rows: string[][] = [];
  for (const mode of platform.modes) {
    for (const p of measuredPhases(mode)) {
      const refused = Object.entries(p.refused)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      rows.push([
        `telemetry ${mode.mode}`,
        formatNumber(p.offeredRate),
        String(p.sent),
        String(p.accepted),
        String(p.completed),
        formatNumber(p.completedPerSecond),
        `${formatMs(p.latency.accepted.p50)} / ${formatMs(p.latency.accepted.p99)}`,
        ...percentiles(p.latency.complete),
        p.sustainable ? 'yes' : `no (${p.unsustainableBecause.join('; ')})`,
        formatNumber(p.usage.otherCores, 2),
        [
          refused,
          p.droppedByClient ? `client-dropped: ${p.droppedByClient}` : '',
          p.droppedNoHousehold ? `no household left: ${p.droppedNoHousehold}` : '',
        ]
          .filter(Boolean)
          .join(', ') || '–',
      ]);
    }
  }
  return table(
    [
      'mode',
      'offered /s',
      'sent',
      'accepted',
      'completed',
      'completed /s',
      'accepted p50 / p99 ms',
      'complete p50 ms',
      'p95',
      'p99',
      'max',
      'sustainable',
      'other load (cores)',
      'refused / dropped',
    ],
    rows,
  );
}

function phaseDetails(title: string, p: PhaseResult, pollMs: number): string {
  const parts: string[] = [`### ${title}: ${p.name}`];
  parts.push(
    '',
    table(
      ['authority', 'p50 ms', 'p95', 'p99', 'max', 'bundles'],
      Object.entries(p.authorities).map(([authority, s]) => [authority, ...percentiles(s), String(s.count)]),
    ),
  );
  const states = Object.entries(p.stepStates)
    .map(([state, count]) => `${state} ${count}`)
    .join(', ');
  const watched =
    p.watch === 'sse'
      ? 'followed through the live status stream (SSE)'
      : `polled every ${pollMs} ms (${formatNumber(p.pollsPerBundle)} polls per bundle; "complete" is quantised by the interval)`;
  const pending = Object.entries(p.pendingSteps)
    .map(([step, count]) => `${step} ${count}`)
    .join(', ');
  parts.push('', `Step states of completed bundles: ${states || '–'}. Completion ${watched}.`);
  if (pending) parts.push(`Bundles incomplete at the end of the phase were waiting for: ${pending}.`);
  parts.push(
    `Submit→last authority's fact (the bundle's completedAt, before the tracker saw it): p50 ${formatMs(p.latency.lastFact.p50)} ms, p99 ${formatMs(p.latency.lastFact.p99)} ms. ` +
      `Arrivals sent late against their schedule (generator health): p99 ${formatMs(p.scheduleLateness.p99)} ms, max ${formatMs(p.scheduleLateness.max)} ms.`,
  );
  parts.push(
    '',
    table(
      ['process', 'CPU (cores)', 'CPU s', 'CPU ms / bundle', 'peak RSS in phase', 'peak RSS (VmHWM, lifetime)'],
      p.usage.processes.map((u) => [
        `${u.name}${u.aliveAtEnd ? '' : ' (exited!)'}`,
        formatNumber(u.cores, 2),
        formatNumber(u.cpuSeconds, 1),
        p.completed > 0 ? formatNumber((u.cpuSeconds * 1000) / p.completed, 2) : '–',
        formatBytes(u.peakRssBytes),
        formatBytes(u.hwmBytes),
      ]),
    ),
  );
  parts.push(
    '',
    `Machine CPU in the phase: ${formatNumber(p.usage.machineCores, 2)} cores, of which ${formatNumber(p.usage.otherCores, 2)} by processes outside this benchmark (other people's work).`,
  );
  const lag = Object.entries(p.lag);
  if (lag.length > 0) {
    parts.push(
      '',
      table(
        ['consumer group', 'max lag', 'mean lag', 'lag at end', 'samples'],
        lag.map(([group, l]) => [group, String(l.max), formatNumber(l.mean), String(l.end), String(l.samples)]),
      ),
    );
  }
  parts.push(
    '',
    `Kafka in the phase: ${p.kafka.eventsProduced} events produced, ${p.kafka.eventsConsumed} consumptions committed` +
      (p.spansExported !== undefined ? `; ${p.spansExported} spans exported.` : '.'),
  );
  if (p.database) {
    const per = (n: number) => (p.accepted > 0 ? formatNumber(n / p.accepted, 1) : '–');
    parts.push(
      `Database commands in the phase (all services): ${p.database.writes} writes, ${p.database.reads} reads — per accepted bundle ${per(p.database.writes)} writes, ${per(p.database.reads)} reads.`,
    );
  }
  if (p.refusalSamples.length > 0)
    parts.push('', `Refusal samples: ${p.refusalSamples.map((s) => `\`${s}\``).join('; ')}`);
  return parts.join('\n');
}

function overheadSection(platform: PlatformResult): string {
  const o = platform.tracingOverhead;
  if (!o) return 'Not measured (only one telemetry mode ran).';
  const lines = [
    `Maximum sustainable rate: telemetry off ${formatNumber(o.maxSustainableOff)} /s, on ${formatNumber(o.maxSustainableOn)} /s → throughput cost ${formatPercent(o.throughputCost)} (target ≤ 15 %).`,
    '',
    table(
      ['offered /s', 'service CPU ms/bundle off', 'on', 'CPU cost', 'p50 complete off', 'on', 'p99 complete off', 'on'],
      o.perRate.map((r) => [
        formatNumber(r.rate),
        formatNumber(r.cpuMsPerBundleOff, 2),
        formatNumber(r.cpuMsPerBundleOn, 2),
        formatPercent(r.cpuCost),
        formatMs(r.p50CompleteOff),
        formatMs(r.p50CompleteOn),
        formatMs(r.p99CompleteOff),
        formatMs(r.p99CompleteOn),
      ]),
    ),
  ];
  return lines.join('\n');
}

function costSection(platform: PlatformResult): string {
  const c = platform.costModel;
  if (!c) return 'Not computed (no completed bundles).';
  return [
    `From phase ${c.phase}. "model" counts come from the platform's design (see the README), "measured" ones were counted in the run.`,
    '',
    table(
      ['part', 'per bundle', 'source', 'on critical path', 'baseline p50 ms', 'baseline rate /s'],
      c.parts.map((p) => [
        p.part,
        formatNumber(p.perBundle, 2),
        p.source,
        formatNumber(p.onCriticalPath, 2),
        formatMs(p.baselineP50Ms),
        formatNumber(p.baselineRate, 0),
      ]),
    ),
    '',
    table(
      ['', 'platform', 'sum of parts', 'ratio'],
      [
        [
          'latency, submit→complete p50',
          `${formatMs(c.platformP50CompleteMs)} ms`,
          `${formatMs(c.criticalPathSumMs)} ms`,
          formatRatio(c.latencyRatio),
        ],
        [
          'throughput, bundles/s',
          formatNumber(c.platformMaxSustainableRate),
          formatNumber(c.partsBoundRate),
          formatRatio(c.capacityRatio),
        ],
      ],
    ),
  ].join('\n');
}

/** results.md: the figures as Markdown tables, the baselines beside the platform, with ratios. */
export function renderMarkdown(result: BenchResult): string {
  const { machine, profile } = result;
  const out: string[] = [];
  out.push(`# Bürgerservice benchmark, ${machine.startedAt}`);
  out.push(
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${formatBytes(machine.memoryBytes)} memory, Linux ${machine.kernel}, Node ${machine.node}; Kafka ${machine.images.kafka}, database ${machine.images.database}. ` +
      `Profile **${profile.name}**: ${profile.persons.toLocaleString('en-US')} persons, ${profile.vehicles.toLocaleString('en-US')} vehicles seeded.`,
    '',
    `> Shared, noisy machine: load average ${machine.loadAverageStart.map((v) => v.toFixed(2)).join(' / ')} at start, ${machine.loadAverageEnd.map((v) => v.toFixed(2)).join(' / ')} at the end (1/5/15 min). ` +
      'Other people\'s processes are measured per phase ("other load"). Compare ratios to the baselines of the same run, not absolute figures across runs.',
  );
  for (const note of result.notes) out.push('', `> Note: ${note}`);
  out.push(
    '',
    '## Verdict',
    '',
    result.verdict.ok ? 'The platform lost no bundle.' : `**Platform failure:** ${result.verdict.problems.join('; ')}`,
    ...result.verdict.warnings.map((w) => `\nWarning: ${w}.`),
  );
  if (result.verdict.targets.length > 0) {
    out.push(
      '',
      table(
        ['target (issue 12)', 'measured', 'met'],
        result.verdict.targets.map((t) => [t.target, t.measured, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'no']),
      ),
    );
  }
  out.push('', '## Baselines (same broker and database server, same run)', '');
  out.push(
    table(
      ['part', 'p50 ms', 'p95', 'p99', 'max', 'throughput'],
      result.baselines.flatMap((b) => baselineRows(b)),
    ),
  );
  const platform = result.platform;
  if ('skipped' in platform) {
    out.push('', '## Platform', '', `Not run: ${platform.skipped}`);
    return `${out.join('\n')}\n`;
  }
  const seed = platform.seed;
  out.push(
    '',
    '## Platform: change-of-address bundles through the portal',
    '',
    `Seeded ${seed.persons.toLocaleString('en-US')} persons in ${seed.households.toLocaleString('en-US')} households and ${seed.vehicles.toLocaleString('en-US')} vehicles` +
      ` (seed commands: ${
        Object.entries(seed.seconds)
          .map(([s, v]) => `${s} ${v.toFixed(0)} s`)
          .join(', ') || 'none'
      }). Bundles: ${platform.bundles.submitted} submitted, ${platform.bundles.accepted} accepted, ${platform.bundles.completed} completed, ${platform.lost.count} lost.`,
    '',
    `Mix offered: ${platform.mix.bundles} bundles moving ${platform.mix.persons} persons (households of 1/2/3/4: ${[
      '1',
      '2',
      '3',
      '4',
    ]
      .map((k) => platform.mix.householdSizes[k] ?? 0)
      .join(
        '/',
      )}), ${platform.mix.vehicles} vehicles (${formatPercent(platform.mix.bundles ? platform.mix.withVehicles / platform.mix.bundles : undefined)} of bundles with vehicles), ` +
      `appointment wanted in ${formatPercent(platform.mix.bundles ? platform.mix.withAppointment / platform.mix.bundles : undefined)}, documents always.`,
    '',
    'Open model: arrivals are scheduled in advance at the offered rate, independently of answers; latencies count from the scheduled send time. ' +
      '"complete" = the moment the tracker\'s live status stream shows every authority\'s step final, minus the scheduled send.',
    '',
    phaseTable(platform),
  );
  for (const mode of platform.modes) {
    out.push(
      '',
      `Telemetry ${mode.mode}: maximum sustainable rate ${formatNumber(mode.maxSustainableRate)} bundles/s; ` +
        `highest rate with p99 submit→complete < ${profile.targetP99Ms} ms: ${formatNumber(mode.maxRateWithinTarget)} /s; services ready in ${mode.startSeconds.toFixed(1)} s; ` +
        `peak RSS (VmHWM): ${Object.entries(mode.peakRssBytes)
          .map(([s, b]) => `${s} ${formatBytes(b)}`)
          .join(', ')}.` +
        (mode.lateCompletion.count > 0
          ? ` ${mode.lateCompletion.count} bundle(s) completed only after their phase (in the final check): submit→last fact p50 ${formatMs(mode.lateCompletion.p50)} ms, max ${formatMs(mode.lateCompletion.max)} ms.`
          : ''),
    );
  }
  for (const mode of platform.modes) {
    const phase = headlinePhase(mode);
    const title = phase?.sustainable
      ? `Telemetry ${mode.mode}, highest sustainable rate`
      : `Telemetry ${mode.mode}, lowest rate (no rate was sustainable)`;
    if (phase) out.push('', phaseDetails(title, phase, profile.pollMs));
  }
  for (const mode of platform.modes) {
    if (!mode.spans || mode.spans.length === 0) continue;
    out.push(
      '',
      `### Where the time goes (telemetry ${mode.mode}, spans of all phases, by total time; parents include their children)`,
      '',
      table(
        ['service', 'span', 'count', 'total s', 'p50 ms', 'p99 ms', 'max ms'],
        mode.spans.map((s) => [
          s.service,
          s.name,
          String(s.count),
          formatNumber(s.totalMs / 1000, 1),
          formatMs(s.p50Ms),
          formatMs(s.p99Ms),
          formatMs(s.maxMs),
        ]),
      ),
    );
  }
  out.push('', '## Tracing overhead', '', overheadSection(platform));
  out.push('', '## Per-bundle cost beside the sum of its parts', '', costSection(platform));
  out.push('', '## Chart', '', `![latency percentiles vs offered load](${RESULT_FILES.chart})`);
  return `${out.join('\n')}\n`;
}

const PERCENTILE_COLORS = { p50: '#1f77b4', p95: '#ff7f0e', p99: '#2ca02c' } as const;

/** The chart: submit→complete p50/p95/p99 against offered load, per telemetry mode. */
export function renderChart(result: BenchResult): string {
  const series: ChartSeries[] = [];
  const platform = result.platform;
  if (!('skipped' in platform)) {
    for (const mode of platform.modes) {
      const phases = measuredPhases(mode);
      for (const key of ['p50', 'p95', 'p99'] as const) {
        series.push({
          label: `${key}, telemetry ${mode.mode}`,
          color: PERCENTILE_COLORS[key],
          dashed: mode.mode === 'off',
          points: phases.flatMap((p) => {
            const y = p.latency.complete[key];
            return y === undefined ? [] : [{ x: p.offeredRate, y, hollow: !p.sustainable }];
          }),
        });
      }
    }
  }
  return renderLineChart({
    title: 'Submit → complete latency vs offered load',
    xLabel: 'offered load (bundles/s)',
    yLabel: 'latency (ms, log scale)',
    series,
    legendNote: 'open circle: rate not sustainable',
    references: [{ y: result.profile.targetP99Ms, label: `target p99 < ${result.profile.targetP99Ms} ms` }],
  });
}

/** A folder name for a run: its start time, sortable and free of ':' (results/2026-11-21T20-31-05Z). */
export function runFolderName(startedAt: Date): string {
  return startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/** JSON with bigint-free, finite numbers only (undefined fields are dropped). */
export function toJson(result: BenchResult): string {
  return `${JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/** Writes results.json, results.md and the SVG chart into `<resultsDir>/<timestamp>/`; returns that folder. */
export function writeReport(result: BenchResult, resultsDir: string, startedAt: Date): string {
  const dir = path.join(resultsDir, runFolderName(startedAt));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, RESULT_FILES.json), toJson(result));
  fs.writeFileSync(path.join(dir, RESULT_FILES.markdown), renderMarkdown(result));
  fs.writeFileSync(path.join(dir, RESULT_FILES.chart), renderChart(result));
  return dir;
}

/** The few lines printed on stdout at the end of a run. */
export function summaryLines(result: BenchResult, dir: string): string[] {
  const lines: string[] = [];
  const before = result.baselines.find((b) => b.label === 'before');
  if (before) {
    lines.push(
      `baselines: Kafka round trip p50 ${formatMs(before.kafka.roundTrip.p50)} ms, ${formatNumber(before.kafka.throughput.endToEndRate, 0)} msg/s; ` +
        `gRPC echo p50 ${formatMs(before.grpc.sequential.p50)} ms, ${formatNumber(before.grpc.throughput.rate, 0)} calls/s; ` +
        `MongoDB insert p50 ${formatMs(before.mongo.insert.p50)} ms, update p50 ${formatMs(before.mongo.update.p50)} ms`,
    );
  }
  const platform = result.platform;
  if ('skipped' in platform) {
    lines.push(`platform: not run (${platform.skipped})`);
  } else {
    for (const mode of platform.modes) {
      const p = headlinePhase(mode);
      lines.push(
        `platform, telemetry ${mode.mode}: max sustainable ${formatNumber(mode.maxSustainableRate)} bundles/s` +
          (p
            ? `; at ${formatNumber(p.offeredRate)}/s: ${p.completed} of ${p.accepted} accepted completed within the phase, accepted p50 ${formatMs(p.latency.accepted.p50)} ms, complete p50/p95/p99/max ${percentiles(p.latency.complete).join('/')} ms, service CPU ${formatNumber(p.serviceCpuMsPerBundle, 1)} ms/bundle`
            : ''),
      );
    }
    if (platform.tracingOverhead) {
      lines.push(`tracing overhead: throughput cost ${formatPercent(platform.tracingOverhead.throughputCost)}`);
    }
    if (platform.costModel) {
      lines.push(
        `vs sum of parts: latency ${formatRatio(platform.costModel.latencyRatio)}, capacity ${formatRatio(platform.costModel.capacityRatio)}`,
      );
    }
    lines.push(
      `bundles: ${platform.bundles.accepted} accepted, ${platform.bundles.completed} completed, ${platform.lost.count} lost`,
    );
  }
  for (const warning of result.verdict.warnings) lines.push(`warning: ${warning}`);
  lines.push(`verdict: ${result.verdict.ok ? 'ok' : `FAILED: ${result.verdict.problems.join('; ')}`}`);
  lines.push(`results: ${dir}`);
  return lines;
}
