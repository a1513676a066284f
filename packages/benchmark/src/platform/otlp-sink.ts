import { OtlpReceiver } from '@buergerservice/testing';

/**
 * Stand-in for the OpenTelemetry Collector during the telemetry-on run: an
 * OTLP/HTTP receiver (the testing package's, which decodes the real
 * protobuf export) in its own process, so decoding spans neither slows the
 * load generator's clock nor hides in its CPU figures. It keeps no spans:
 * it prints {"url"} once, then {"spans": total} every second, and forgets
 * what it counted.
 */
async function main(): Promise<void> {
  const receiver = new OtlpReceiver();
  const url = await receiver.start();
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  let total = 0;
  let errors = 0;
  const timer = setInterval(() => {
    total += receiver.spans().length;
    errors += receiver.errors.length;
    receiver.clear();
    process.stdout.write(`${JSON.stringify({ spans: total, errors })}\n`);
  }, 1_000);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void receiver.stop().finally(() => process.exit(0));
  });
}

void main();
