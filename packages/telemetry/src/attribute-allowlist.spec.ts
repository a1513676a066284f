import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AllowlistSpanProcessor, AttributeAllowlist, stackFramesOnly, withoutQuery } from './attribute-allowlist.js';

const marker = 'Müller-Lüdenscheidt';

describe('AttributeAllowlist', () => {
  const allowlist = new AttributeAllowlist();

  it('keeps technical keys of the allowed namespaces', () => {
    const kept = {
      'http.request.method': 'POST',
      'http.response.status_code': 201,
      'http.route': '/bundles/:id',
      'url.path': '/bundles/b-1',
      'url.scheme': 'https',
      'rpc.system': 'grpc',
      'rpc.method': 'SubmitChangeOfAddress',
      'rpc.grpc.status_code': 0,
      'messaging.system': 'kafka',
      'messaging.destination.name': 'registration.events.v1',
      'messaging.message.id': 'e-1',
      'messaging.consumer.group.name': 'vehicle',
      'db.system.name': 'mongodb',
      'db.system': 'mongoose',
      'db.namespace': 'registration',
      'db.collection.name': 'persons',
      'db.operation.name': 'find',
      'db.mongodb.collection': 'persons',
      'network.protocol.version': '1.1',
      'server.address': '127.0.0.1',
      'server.port': 27017,
      'error.type': 'ValidationError',
      'exception.type': 'ValidationError',
      'buergerservice.correlation_id': 'c-1',
      'buergerservice.event_type': 'buergerservice.registration.v1.AddressChanged',
    };
    expect(allowlist.filter(kept)).toEqual(kept);
  });

  it('drops everything not on the list and everything that carries personal data', () => {
    const filtered = allowlist.filter({
      'url.query': `familyName=${marker}`,
      'db.statement': `{"familyName":"${marker}"}`,
      'db.query.text': `{"familyName":"${marker}"}`,
      'db.connection_string': 'mongodb://user:secret@db/registration',
      'http.request.header.authorization': ['Bearer abc'],
      'http.response.header.set-cookie': ['session=1'],
      'http.user_agent': 'Mozilla/5.0',
      'http.client_ip': '203.0.113.7',
      'client.address': '203.0.113.7',
      'network.peer.address': '203.0.113.7',
      'net.peer.ip': '203.0.113.7',
      'rpc.grpc.request.metadata.x-person': 'p-1',
      'messaging.kafka.message.key': 'p-1',
      'buergerservice.person_id': 'p-1',
      'buergerservice.family_name': marker,
      'exception.message': `no person named ${marker}`,
      'enduser.id': 'p-1',
      familyName: marker,
    });
    expect(filtered).toEqual({});
  });

  it('keeps URLs and request targets without query string and fragment', () => {
    expect(
      allowlist.filter({
        'http.url': `http://127.0.0.1:8080/bundles?familyName=${marker}`,
        'http.target': `/bundles?familyName=${marker}#x`,
        'url.full': 'https://portal/bundles/b-1#status',
      }),
    ).toEqual({
      'http.url': 'http://127.0.0.1:8080/bundles',
      'http.target': '/bundles',
      'url.full': 'https://portal/bundles/b-1',
    });
    expect(withoutQuery(3)).toBeUndefined();
  });

  it('keeps only the frames of a stack trace', () => {
    const stack = `Error: no person named ${marker}\n    with details\n    at find (/app/dist/store.js:10:5)\n    at run (/app/dist/app.js:3:1)`;
    expect(stackFramesOnly(stack)).toBe('    at find (/app/dist/store.js:10:5)\n    at run (/app/dist/app.js:3:1)');
    expect(stackFramesOnly(`Error: ${marker}`)).toBeUndefined();
  });

  it('accepts extra keys a service declares', () => {
    const extended = new AttributeAllowlist(undefined, ['buergerservice.office_id']);
    expect(extended.filter({ 'buergerservice.office_id': 'o-1', 'buergerservice.other': 'x' })).toEqual({
      'buergerservice.office_id': 'o-1',
    });
  });
});

describe('AllowlistSpanProcessor', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new AllowlistSpanProcessor([new SimpleSpanProcessor(exporter)])],
  });
  const tracer = provider.getTracer('allowlist-spec');

  afterAll(() => provider.shutdown());

  it('exports spans with filtered attributes, event and link attributes and no status message', async () => {
    const producer = tracer.startSpan('registration.events.v1 publish', {}, ROOT_CONTEXT);
    producer.end();
    const span = tracer.startSpan(
      'POST /bundles',
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'POST', 'url.query': `name=${marker}` },
        links: [{ context: producer.spanContext(), attributes: { 'messaging.system': 'kafka', 'x.name': marker } }],
      },
      ROOT_CONTEXT,
    );
    span.setAttribute('db.statement', marker);
    span.recordException(new RangeError(`no person named ${marker}`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `no person named ${marker}` });
    span.end();
    await provider.forceFlush();

    const exported = exporter.getFinishedSpans().find((s) => s.name === 'POST /bundles');
    expect(exported).toBeDefined();
    if (!exported) return;
    expect(exported.attributes).toEqual({ 'http.request.method': 'POST' });
    expect(exported.droppedAttributesCount).toBe(2);
    expect(exported.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(exported.links).toHaveLength(1);
    expect(exported.links[0]?.attributes).toEqual({ 'messaging.system': 'kafka' });
    expect(exported.links[0]?.context.spanId).toBe(producer.spanContext().spanId);
    expect(exported.events[0]?.attributes?.['exception.type']).toBe('RangeError');
    expect(exported.events[0]?.attributes?.['exception.message']).toBeUndefined();
    expect(String(exported.events[0]?.attributes?.['exception.stacktrace'])).toMatch(/^\s+at /);
    expect(exported.spanContext()).toEqual(span.spanContext());
    expect(JSON.stringify(exported.attributes) + JSON.stringify(exported.events)).not.toContain(marker);
  });

  it('leaves the live span untouched', () => {
    const span = tracer.startSpan('live', { attributes: { 'url.query': 'a=b' } }, ROOT_CONTEXT);
    span.end();
    // The SDK's span is its own ReadableSpan.
    expect((span as unknown as ReadableSpan).attributes['url.query']).toBe('a=b');
  });
});
