import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

/**
 * A real OTLP exporter against the receiver: the bytes decoded here are the
 * bytes every service sends to the collector. It runs in a child process
 * because the exporter loads `http` with a dynamic import(), which jest's
 * CommonJS module loader refuses.
 */
const exporterScript = `
const { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } = require('@opentelemetry/api');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
(async () => {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'registration', 'service.namespace': 'buergerservice' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: process.argv[1] + '/v1/traces' }))],
  });
  const tracer = provider.getTracer('otlp-receiver-spec', '1.2.3');
  const linked = tracer.startSpan('registration.events.v1 publish', { kind: SpanKind.PRODUCER }, ROOT_CONTEXT);
  linked.end();
  const parent = tracer.startSpan('POST /bundles', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  const child = tracer.startSpan(
    'registration.events.v1 process',
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.kafka.offset': 42,
        'big.int': 2 ** 40,
        ratio: 0.25,
        retried: true,
        ids: ['a', 'b'],
      },
      links: [{ context: linked.spanContext(), attributes: { 'link.kind': 'producer' } }],
    },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.addEvent('exception', { 'exception.type': 'TypeError' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'handler failed' });
  child.end();
  parent.end();
  await provider.forceFlush();
  await provider.shutdown();
  process.stdout.write(JSON.stringify({
    traceId: parent.spanContext().traceId,
    parentSpanId: parent.spanContext().spanId,
    childSpanId: child.spanContext().spanId,
    linkedTraceId: linked.spanContext().traceId,
    linkedSpanId: linked.spanContext().spanId,
  }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

interface ExportedIds {
  traceId: string;
  parentSpanId: string;
  childSpanId: string;
  linkedTraceId: string;
  linkedSpanId: string;
}

async function exportFromChildProcess(endpoint: string): Promise<ExportedIds> {
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', exporterScript, endpoint], {
    cwd: __dirname,
    timeout: 30_000,
  });
  return JSON.parse(stdout) as ExportedIds;
}

describe('OtlpReceiver', () => {
  const receiver = new OtlpReceiver();
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  beforeEach(() => receiver.clear());

  it('decodes spans sent by the OTLP/HTTP protobuf exporter', async () => {
    const ids = await exportFromChildProcess(endpoint);

    const spans = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    const byName = (name: string): ReceivedSpan => {
      const span = spans.find((s) => s.name === name);
      if (!span) throw new Error(`no span ${name}`);
      return span;
    };
    const server = byName('POST /bundles');
    const consumer = byName('registration.events.v1 process');
    const producer = byName('registration.events.v1 publish');

    expect(server).toMatchObject({
      service: 'registration',
      kind: 'server',
      traceId: ids.traceId,
      spanId: ids.parentSpanId,
      parentSpanId: undefined,
      scope: { name: 'otlp-receiver-spec', version: '1.2.3' },
    });
    expect(server.resource['service.namespace']).toBe('buergerservice');
    expect(server.endTimeUnixNano).toBeGreaterThanOrEqual(server.startTimeUnixNano);
    expect(server.startTimeUnixNano).toBeGreaterThan(1_600_000_000_000_000_000n);

    expect(consumer).toMatchObject({
      kind: 'consumer',
      traceId: ids.traceId,
      spanId: ids.childSpanId,
      parentSpanId: ids.parentSpanId,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.kafka.offset': 42,
        'big.int': 2 ** 40,
        ratio: 0.25,
        retried: true,
        ids: ['a', 'b'],
      },
      links: [
        {
          traceId: ids.linkedTraceId,
          spanId: ids.linkedSpanId,
          attributes: { 'link.kind': 'producer' },
        },
      ],
      status: { code: 'error', message: 'handler failed' },
    });
    expect(consumer.events).toEqual([
      expect.objectContaining({ name: 'exception', attributes: { 'exception.type': 'TypeError' } }),
    ]);
    expect(producer.kind).toBe('producer');
    expect(producer.traceId).not.toBe(server.traceId);
    expect(receiver.errors).toEqual([]);
  });

  it('accepts OTLP/JSON', async () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'vehicle' } }] },
          scopeSpans: [
            {
              scope: { name: 'manual' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  parentSpanId: 'eee19b7ec3c1b173',
                  name: 'vehicle.events.v1 publish',
                  kind: 4,
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: '1544712661000000000',
                  attributes: [
                    { key: 'messaging.destination.name', value: { stringValue: 'vehicle.events.v1' } },
                    { key: 'retries', value: { intValue: '3' } },
                  ],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(receiver.spans()).toEqual([
      expect.objectContaining({
        service: 'vehicle',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        kind: 'producer',
        startTimeUnixNano: 1544712660000000000n,
        attributes: { 'messaging.destination.name': 'vehicle.events.v1', retries: 3 },
        status: { code: 'ok', message: '' },
      }),
    ]);
  });

  it('rejects malformed bodies and unknown paths', async () => {
    const truncated = await fetch(`${endpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0x7f, 0x01]),
    });
    expect(truncated.status).toBe(400);
    const metrics = await fetch(`${endpoint}/v1/metrics`, { method: 'POST', body: '' });
    expect(metrics.status).toBe(404);
    expect(receiver.spans()).toEqual([]);
  });

  it('times out waiting, naming what it received', async () => {
    await expect(receiver.waitForSpans((s) => s.some((x) => x.name === 'never'), 100)).rejects.toThrow(
      /within 100 ms; received: none/,
    );
  });
});
