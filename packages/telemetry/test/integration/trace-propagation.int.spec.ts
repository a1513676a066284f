import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { totalmem } from 'node:os';
import path from 'node:path';
// The receiver lives in @buergerservice/testing; imported from its source
// until that package's index exports it (and its dist is rebuilt).
import { OtlpReceiver, type ReceivedSpan, type ReceivedValue } from '../../../testing/src/otlp-receiver.js';
import { containerMemoryLimit } from '../../src/runtime-metrics.js';

/**
 * One trace across processes, as in production: every process is a real
 * Node process started with `--require @buergerservice/telemetry/register`
 * (instrumentations hook `require`, which jest's module loader bypasses).
 *
 *   test ──HTTP──▶ A (express) ──gRPC──▶ B (grpc-js, DocumentService)
 *                  A: `<topic> publish` ──headers──▶ C: `<topic> process`
 */

const packageDir = path.resolve(__dirname, '../..');
const registerPath = path.join(packageDir, 'dist/register.js');
const fixture = (name: string) => path.join(packageDir, 'test/fixtures', name);
const topic = 'registration.events.v1';
// Stands for personal data a citizen sends; it must reach no exported span and no log line.
const marker = 'Zwetschgenbaum-Oberhuber';

interface Child {
  readonly process: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The parsed JSON lines the child wrote to stdout (its logs and its ready line). */
  readonly lines: () => Record<string, unknown>[];
}

function startChild(script: string, args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--require', registerPath, script, ...args], {
    cwd: packageDir,
    // Only what is given: OTEL_* variables of the developer's shell must not leak in.
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { process: child, stdout: () => out, stderr: () => err, lines };
}

async function waitForReady(child: Child, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = child.lines().find((l) => l.fixture === 'ready');
    if (typeof ready?.port === 'number') return ready.port;
    if (child.process.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`child not ready (exit ${child.process.exitCode}): ${child.stdout()} ${child.stderr()}`);
}

async function exitOf(child: Child, timeoutMs = 20_000): Promise<number | null> {
  if (child.process.exitCode !== null) return child.process.exitCode;
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  try {
    const [code] = (await once(child.process, 'exit')) as [number | null];
    return code;
  } finally {
    clearTimeout(timer);
  }
}

async function stopChild(child: Child | undefined): Promise<void> {
  if (!child || child.process.exitCode !== null) return;
  child.process.kill('SIGTERM');
  await exitOf(child);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const MiB = 1024 * 1024;

/** The value of one series of a Prometheus text exposition; `labels` must be among its labels. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels) && !l.startsWith('#'));
  if (!line) throw new Error(`no series ${name}{${labels}} in:\n${text}`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

function values(value: ReceivedValue): string[] {
  if (Array.isArray(value)) return value.flatMap(values);
  if (typeof value === 'object') return Object.values(value).flatMap(values);
  return [String(value)];
}

/** Every exported string of a span except its name and ids: resource, attributes, events, links, status. */
function exportedText(span: ReceivedSpan): string {
  return [
    ...Object.values(span.resource).flatMap(values),
    ...Object.entries(span.attributes).flatMap(([k, v]) => [k, ...values(v)]),
    ...span.events.flatMap((e) => Object.values(e.attributes).flatMap(values)),
    ...span.links.flatMap((l) => Object.values(l.attributes).flatMap(values)),
    span.status.message,
  ].join('\n');
}

function isAncestor(spans: readonly ReceivedSpan[], ancestor: ReceivedSpan, span: ReceivedSpan): boolean {
  let current: ReceivedSpan | undefined = span;
  for (let depth = 0; current && depth < 50; depth++) {
    if (current.parentSpanId === ancestor.spanId) return true;
    const parentId: string | undefined = current.parentSpanId;
    current = spans.find((s) => s.spanId === parentId);
  }
  return false;
}

describe('trace propagation across processes', () => {
  const receiver = new OtlpReceiver();
  let endpoint: string;
  let a: Child | undefined;
  let b: Child | undefined;
  let metricsPort: number;

  const env = (service: string, extra: Record<string, string> = {}): Record<string, string> => ({
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    LOG_LEVEL: 'info',
    ...extra,
  });

  beforeAll(async () => {
    endpoint = await receiver.start();
    b = startChild(fixture('grpc-server.js'), [], env('fixture-document'));
    const grpcPort = await waitForReady(b);
    metricsPort = await freePort();
    a = startChild(
      fixture('http-server.js'),
      [`127.0.0.1:${grpcPort}`],
      // The heap limit of the k8s deployments, to see it in the runtime metrics.
      env('fixture-gateway', { METRICS_PORT: String(metricsPort), NODE_OPTIONS: '--max-old-space-size=320' }),
    );
    await waitForReady(a);
  });

  afterAll(async () => {
    await Promise.all([stopChild(a), stopChild(b)]);
    await receiver.stop();
  });

  it('shows HTTP → gRPC → publish → process as one trace, without personal data', async () => {
    if (!a || !b) throw new Error('fixtures not started');
    // A scrape first: it must not become a trace of its own.
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);

    const port = await waitForReady(a);
    const response = await fetch(`http://127.0.0.1:${port}/bundles?familyName=${marker}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ familyName: marker }),
    });
    expect(response.status).toBe(201);
    const { headers } = (await response.json()) as { headers: Record<string, string> };
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    const c = startChild(fixture('consumer.js'), [topic, JSON.stringify(headers)], env('fixture-vehicle'));
    expect(await exitOf(c)).toBe(0);

    const spans = await receiver.waitForSpans(
      (s) =>
        s.some((x) => x.service === 'fixture-vehicle' && x.name === `${topic} process`) &&
        s.some((x) => x.service === 'fixture-document' && x.kind === 'server') &&
        s.some((x) => x.service === 'fixture-gateway' && x.kind === 'server') &&
        s.some((x) => x.service === 'fixture-gateway' && x.name === `${topic} publish`),
      15_000,
    );
    const one = (description: string, predicate: (s: ReceivedSpan) => boolean): ReceivedSpan => {
      const found = spans.filter(predicate);
      if (found.length !== 1) {
        throw new Error(
          `${found.length} spans for ${description}: ${spans.map((s) => `${s.service}:${s.kind}:${s.name}`).join(', ')}`,
        );
      }
      return found[0] as ReceivedSpan;
    };
    const rpc = 'grpc.buergerservice.document.v1.DocumentService/GetSigningKey';
    const httpServer = one('HTTP server span', (s) => s.service === 'fixture-gateway' && s.kind === 'server');
    const grpcClient = one(
      'gRPC client span',
      (s) => s.service === 'fixture-gateway' && s.kind === 'client' && s.name === rpc,
    );
    const grpcServer = one(
      'gRPC server span',
      (s) => s.service === 'fixture-document' && s.kind === 'server' && s.name === rpc,
    );
    const publish = one('publish span', (s) => s.name === `${topic} publish`);
    const processSpan = one('process span', (s) => s.name === `${topic} process`);

    // One trace; the HTTP request is its root.
    const traceId = httpServer.traceId;
    for (const span of [grpcClient, grpcServer, publish, processSpan]) expect(span.traceId).toBe(traceId);
    expect(httpServer.parentSpanId).toBeUndefined();
    expect(httpServer.name).toBe('POST /bundles');
    expect(httpServer.resource['service.namespace']).toBe('buergerservice');

    // The tree: express spans may sit between the HTTP span and its children.
    const gatewaySpans = spans.filter((s) => s.traceId === traceId);
    expect(isAncestor(gatewaySpans, httpServer, grpcClient)).toBe(true);
    expect(grpcServer.parentSpanId).toBe(grpcClient.spanId);
    expect(isAncestor(gatewaySpans, httpServer, publish)).toBe(true);
    expect(processSpan.parentSpanId).toBe(publish.spanId);
    expect(processSpan.links).toEqual([{ traceId, spanId: publish.spanId, attributes: {} }]);

    expect(publish).toMatchObject({
      service: 'fixture-gateway',
      kind: 'producer',
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.message.id': 'e-1',
        'buergerservice.correlation_id': 'b-1',
      },
    });
    expect(processSpan).toMatchObject({
      service: 'fixture-vehicle',
      kind: 'consumer',
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': 'vehicle',
      },
    });
    expect(grpcServer.attributes['rpc.system']).toBe('grpc');

    // The allowlist, end to end: neither the query string, nor the body, nor
    // the attributes the handler set on purpose reached the export.
    for (const span of spans) expect(exportedText(span)).not.toContain(marker);
    expect(httpServer.attributes['http.target'] ?? httpServer.attributes['url.path']).toBe('/bundles');
    expect(httpServer.attributes['person.family_name']).toBeUndefined();
    expect(spans.filter((s) => JSON.stringify(s.attributes).includes('/metrics'))).toEqual([]);

    // Logs: JSON, carrying the ids of the span they were written in, and redacted.
    const documentLog = b.lines().find((l) => l.msg === 'signing key requested');
    expect(documentLog).toMatchObject({ service: 'fixture-document', trace_id: traceId, span_id: grpcServer.spanId });
    const consumerLog = c.lines().find((l) => l.msg === 'event handled');
    expect(consumerLog).toMatchObject({ trace_id: traceId, span_id: processSpan.spanId });
    const gatewayLog = a.lines().find((l) => l.msg === 'bundle received');
    expect(gatewayLog).toMatchObject({ trace_id: traceId, bundleId: 'b-1', person: { familyName: '[redacted]' } });
    expect(a.stdout()).not.toContain(marker);
  });

  it('serves the platform metrics on the Prometheus scrape endpoint', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/^buergerservice_bundles_submitted_total\{outcome="accepted"[^}]*\} 1$/m);
    expect(text).toMatch(/^buergerservice_outbox_backlog\{outbox="bundles"[^}]*\} 4$/m);
    expect(text).toMatch(/^buergerservice_outbox_oldest_pending_age_seconds\{outbox="bundles"[^}]*\} 2$/m);
  });

  it('serves the runtime metrics of the process on the same endpoint', async () => {
    if (!a?.process.pid) throw new Error('fixture not started');
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    // What the kernel says the child's resident set is, read right after the scrape.
    const status = await readFile(`/proc/${a.process.pid}/status`, 'utf8');
    const kernelRss = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) * 1024;

    const rss = sample(text, 'buergerservice_process_resident_memory_bytes');
    expect(rss).toBeGreaterThan(0);
    expect(Math.abs(rss - kernelRss)).toBeLessThan(16 * MiB);
    // The child shares this process's cgroup: a limit series only inside a memory-limited container.
    const limit = containerMemoryLimit(process.constrainedMemory(), totalmem());
    if (limit === undefined) expect(text).not.toContain('buergerservice_process_memory_limit_bytes{');
    else expect(sample(text, 'buergerservice_process_memory_limit_bytes')).toBe(limit);
    const heapUsed = sample(text, 'buergerservice_nodejs_heap_used_bytes');
    const heapLimit = sample(text, 'buergerservice_nodejs_heap_limit_bytes');
    expect(heapUsed).toBeGreaterThan(0);
    // --max-old-space-size=320 plus the young generation.
    expect(heapLimit).toBeGreaterThanOrEqual(320 * MiB);
    expect(heapLimit).toBeLessThan(640 * MiB);
    expect(heapLimit).toBeGreaterThan(heapUsed);
    expect(sample(text, 'buergerservice_process_cpu_seconds_total', 'mode="user"')).toBeGreaterThan(0);
    expect(sample(text, 'buergerservice_process_cpu_seconds_total', 'mode="system"')).toBeGreaterThanOrEqual(0);
    for (const q of ['p50', 'p99', 'max']) {
      expect(sample(text, `buergerservice_nodejs_eventloop_delay_${q}_seconds`)).toBeGreaterThanOrEqual(0);
    }
    // The service is the resource's (target_info), as for every platform metric; no other labels.
    expect(text).toMatch(/^target_info\{[^}]*service_name="fixture-gateway"/m);
    expect(text).toMatch(
      /^buergerservice_process_resident_memory_bytes\{otel_scope_name="@buergerservice\/telemetry"\} /m,
    );
  });

  it('exports nothing with TELEMETRY_ENABLED=false', async () => {
    const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const off = startChild(
      fixture('consumer.js'),
      [topic, JSON.stringify(headers)],
      env('fixture-off', { TELEMETRY_ENABLED: 'false' }),
    );
    expect(await exitOf(off)).toBe(0);
    // An enabled process flushes its spans before it exits, so none can still be on the way.
    expect(receiver.spans().filter((s) => s.service === 'fixture-off')).toEqual([]);
    expect(off.lines().find((l) => l.msg === 'event handled')).not.toHaveProperty('trace_id');
  });

  it('stops a process whose telemetry configuration is invalid before it starts', async () => {
    const bad = startChild(fixture('consumer.js'), [topic, '{}'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
    expect(await exitOf(bad)).not.toBe(0);
    expect(bad.stderr()).toContain('OTEL_SERVICE_NAME');
    expect(bad.stderr()).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(bad.lines().find((l) => l.msg === 'event handled')).toBeUndefined();
  });
});
