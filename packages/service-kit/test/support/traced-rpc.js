// Runs in a child process: OpenTelemetry's instrumentations hook `require`,
// which jest's module loader bypasses. Registers the grpc instrumentation
// before grpc-js is loaded (as @buergerservice/telemetry/register does), then
// makes one call through two kit servers and prints the spans as JSON.
const { trace, context } = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc');

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();
registerInstrumentations({ instrumentations: [new GrpcInstrumentation()] });

const { document } = require('@buergerservice/contracts');
const kit = require('../../dist/index.js');

const silent = require('@buergerservice/telemetry').buildLogger({ service: 'traced-rpc', level: 'silent' });
const activeSpanId = () => trace.getSpan(context.active())?.spanContext().spanId;
const seen = {};

function handlers(overrides) {
  const unused = async () => {
    throw new kit.PreconditionError('not used');
  };
  return { listDocuments: unused, getDocument: unused, verifyDocument: unused, getSigningKey: unused, ...overrides };
}

async function main() {
  const options = { security: { insecure: true }, authorization: { test: { rpcs: '*' } }, logger: silent };
  const downstream = kit.createGrpcServer(options).addService(
    document.DocumentServiceService,
    handlers({
      async getSigningKey() {
        await new Promise((r) => setTimeout(r, 5));
        seen.downstreamHandler = activeSpanId();
        return { keyId: 'k', algorithm: 'Ed25519', publicKeyPem: '' };
      },
    }),
  );
  const downstreamPort = await downstream.start(0);
  const downstreamClient = kit.createClient(document.DocumentServiceClient, `127.0.0.1:${downstreamPort}`, {
    security: { insecure: true, clientId: 'test' },
    logger: silent,
  });

  const upstream = kit.createGrpcServer(options).addService(
    document.DocumentServiceService,
    handlers({
      async getDocument(req, ctx) {
        await new Promise((r) => setTimeout(r, 5));
        seen.upstreamHandler = activeSpanId();
        await kit.call(downstreamClient, 'getSigningKey', {}, { signal: ctx.signal });
        return { document: document.Document.fromPartial({ documentId: req.documentId }) };
      },
    }),
  );
  const upstreamPort = await upstream.start(0);
  const client = kit.createClient(document.DocumentServiceClient, `127.0.0.1:${upstreamPort}`, {
    security: { insecure: true, clientId: 'test' },
    logger: silent,
  });

  await trace.getTracer('test').startActiveSpan('citizen-request', async (root) => {
    await kit.call(client, 'getDocument', { documentId: 'd-1' }, { idempotent: true });
    root.end();
  });

  client.close();
  downstreamClient.close();
  await upstream.stop({ graceMs: 500 });
  await downstream.stop({ graceMs: 500 });
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
  }));
  process.stdout.write(JSON.stringify({ spans, seen }));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
