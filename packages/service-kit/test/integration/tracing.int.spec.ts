import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';

interface SpanRecord {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
}

describe('trace context through the kit', () => {
  it('keeps one trace from caller through server handler to a downstream call (grpc instrumentation, no own spans)', () => {
    const dist = path.join(__dirname, '../../dist/index.js');
    // The child process loads the built kit; `test:integration` runs after `build`.
    expect(existsSync(dist)).toBe(true);
    const output = execFileSync(process.execPath, [path.join(__dirname, '../support/traced-rpc.js')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const { spans, seen } = JSON.parse(output) as {
      spans: SpanRecord[];
      seen: { upstreamHandler?: string; downstreamHandler?: string };
    };

    const byName = (name: string, kind: SpanKind) => {
      const span = spans.find((s) => s.name === name && s.kind === kind);
      if (!span) throw new Error(`no ${SpanKind[kind]} span ${name} in ${JSON.stringify(spans)}`);
      return span;
    };
    const root = byName('citizen-request', SpanKind.INTERNAL);
    const getDocument = 'grpc.buergerservice.document.v1.DocumentService/GetDocument';
    const getSigningKey = 'grpc.buergerservice.document.v1.DocumentService/GetSigningKey';
    const upstreamClient = byName(getDocument, SpanKind.CLIENT);
    const upstreamServer = byName(getDocument, SpanKind.SERVER);
    const downstreamClient = byName(getSigningKey, SpanKind.CLIENT);
    const downstreamServer = byName(getSigningKey, SpanKind.SERVER);

    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    expect(upstreamClient.parentSpanId).toBe(root.spanId);
    expect(upstreamServer.parentSpanId).toBe(upstreamClient.spanId);
    expect(downstreamClient.parentSpanId).toBe(upstreamServer.spanId);
    expect(downstreamServer.parentSpanId).toBe(downstreamClient.spanId);
    // Inside the async handlers, after an await, the server span is still the active one.
    expect(seen.upstreamHandler).toBe(upstreamServer.spanId);
    expect(seen.downstreamHandler).toBe(downstreamServer.spanId);
  });
});
