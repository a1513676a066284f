import { Writable } from 'node:stream';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { buildLogger } from './logger.js';

function capture(): { sink: Writable; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      written.push(String(chunk));
      done();
    },
  });
  return { sink, lines: () => written.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('personal data redaction', () => {
  it('redacts personal data fields nested in log objects', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = buildLogger({ service: 'test' }, sink);
    log.info(
      {
        personId: 'p-1',
        person: { familyName: 'Müller', address: { street: 'Mozartstraße' } },
      },
      'moved',
    );
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line.personId).toBe('p-1');
    expect(line.service).toBe('test');
    expect(line.person.familyName).toBe('[redacted]');
    expect(line.person.address).toBe('[redacted]');
    expect(lines[0]).not.toContain('Müller');
  });
});

describe('trace ids in log lines', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
  });
  afterAll(() => context.disable());

  it('adds trace_id and span_id of the active span, and nothing outside a span', () => {
    const { sink, lines } = capture();
    const log = buildLogger({ service: 'test', level: 'debug' }, sink);
    const span = new BasicTracerProvider().getTracer('spec').startSpan('work', {}, ROOT_CONTEXT);
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => log.debug({ moveId: 'm-1' }, 'inside'));
    log.info('outside');
    span.end();

    const [inside, outside] = lines();
    expect(inside).toMatchObject({
      level: 'debug',
      service: 'test',
      moveId: 'm-1',
      msg: 'inside',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('redacts plates, codes and tokens too', () => {
    const { sink, lines } = capture();
    buildLogger({ service: 'test' }, sink).info(
      {
        vehicle: { plate: 'L-AB 123', vin: 'WVW00000000000000' },
        bookingCode: 'X1',
        headers: { authorization: 'Bearer t' },
      },
      'x',
    );
    expect(lines()[0]).toMatchObject({
      vehicle: { plate: '[redacted]', vin: '[redacted]' },
      bookingCode: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
  });
});
