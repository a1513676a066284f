import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedInfra } from '@buergerservice/testing';
import { runBaselines } from '../../src/baselines/index.js';
import { loadBenchConfig } from '../../src/config.js';
import { PROFILES_BY_NAME } from '../../src/profiles.js';
import { RESULT_FILES, renderMarkdown, writeReport } from '../../src/report.js';
import { machineInfo } from '../../src/results.js';

/**
 * The baselines against the real broker and database server of the test run
 * (and a real grpc-js echo server process), then the report written from
 * them. Checks that every figure is measured and reported, never how fast.
 */
describe('baselines on real Kafka, gRPC and MongoDB-wire database, and their report', () => {
  it('measures every baseline and writes results.json, results.md and the chart', async () => {
    const infra = sharedInfra();
    const config = loadBenchConfig({});
    const sizes = {
      kafkaMessages: 2_000,
      kafkaRoundTrips: 50,
      grpcCalls: 200,
      mongoOps: 50,
      throughputSeconds: 1,
      concurrency: 8,
    };
    const started = new Date();
    const baselines = await runBaselines(
      'before',
      { kafkaBrokers: infra.kafkaBrokers, mongoUrl: infra.mongoUrl, childEnv: config.childBaseEnv },
      sizes,
    );

    expect(baselines.kafka.roundTrip.count).toBe(50);
    expect(baselines.kafka.send.count).toBe(50);
    expect(baselines.kafka.roundTrip.p50).toBeGreaterThan(0);
    // A round trip contains its send.
    expect(baselines.kafka.roundTrip.p50).toBeGreaterThanOrEqual(baselines.kafka.send.min ?? 0);
    expect(baselines.kafka.throughput.messages).toBe(2_000);
    expect(baselines.kafka.throughput.endToEndRate).toBeGreaterThan(0);
    expect(baselines.grpc.sequential.count).toBe(200);
    expect(baselines.grpc.throughput.calls).toBeGreaterThan(0);
    expect(baselines.grpc.serverCpuMsPerCall).toBeGreaterThan(0);
    expect(baselines.mongo.insert.count).toBe(50);
    expect(baselines.mongo.update.count).toBe(50);
    expect(baselines.mongo.insertThroughput.ops).toBeGreaterThan(0);
    expect(baselines.mongo.updateThroughput.ops).toBeGreaterThan(0);

    const result = {
      schema: 'buergerservice-benchmark/1' as const,
      machine: machineInfo(started, os.loadavg(), { kafka: 'test broker', database: 'test database' }, 0),
      profile: PROFILES_BY_NAME.ci,
      baselines: [baselines],
      platform: { skipped: 'baselines only (integration test)' },
      verdict: { ok: true, problems: [], warnings: [], targets: [] },
      notes: [],
    };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-int-'));
    try {
      const dir = writeReport(result, root, started);
      const json = JSON.parse(fs.readFileSync(path.join(dir, RESULT_FILES.json), 'utf8'));
      expect(json.baselines[0].grpc.sequential.count).toBe(200);
      const markdown = fs.readFileSync(path.join(dir, RESULT_FILES.markdown), 'utf8');
      expect(markdown).toBe(renderMarkdown(result));
      const kafkaRow = markdown.split('\n').find((l) => l.startsWith('| Kafka produce→consume round trip'));
      expect(kafkaRow).toMatch(/\| \d[\d.,]* \| \d[\d.,]* \| \d[\d.,]* \| \d[\d.,]* \|/);
      expect(fs.readFileSync(path.join(dir, RESULT_FILES.chart), 'utf8')).toContain('<svg');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
