import { OtlpReceiver } from '@buergerservice/testing';
import { SpanDurations } from './span-summary.js';

/**
 * Stand-in for the OpenTelemetry Collector during the telemetry-on run: an
 * OTLP/HTTP receiver (the testing package's, which decodes the real
 * protobuf export) in its own process, so decoding spans neither slows the
 * load generator's clock nor hides in its CPU figures. It keeps no spans,
 * only their durations per service and name (bounded): it prints {"url"}
 * once, {"spans": total, "errors": n} every second, and {"summary": [...]}
 * when told to stop (SIGTERM).
 */
async function main(): Promise<void> {
  const receiver = new OtlpReceiver();
  const url = await receiver.start();
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  const durations = new SpanDurations();
  let total = 0;
  let errors = 0;
  const drain = () => {
    const spans = receiver.spans();
    receiver.clear();
    total += spans.length;
    for (const span of spans) {
      durations.add(span.service, span.name, Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6);
    }
    errors += receiver.errors.length;
  };
  const timer = setInterval(() => {
    drain();
    process.stdout.write(`${JSON.stringify({ spans: total, errors })}\n`);
  }, 1_000);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    drain();
    process.stdout.write(`${JSON.stringify({ spans: total, errors, summary: durations.top(30) })}\n`, () => {
      void receiver.stop().finally(() => process.exit(0));
    });
  });
}

void main();
