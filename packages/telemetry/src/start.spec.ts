import { metrics, trace } from '@opentelemetry/api';
import { shutdownTelemetry, startTelemetry } from './start.js';

// Only the disabled path runs in jest: the enabled SDK patches modules through
// require hooks jest bypasses, so it is tested on child processes
// (test/integration/trace-propagation.int.spec.ts).
describe('startTelemetry with TELEMETRY_ENABLED=false', () => {
  it('starts nothing and leaves the API as no-ops', async () => {
    const handle = startTelemetry({
      serviceName: 'benchmark',
      enabled: false,
      otlpEndpoint: 'http://127.0.0.1:1',
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      logLevel: 'silent',
    });
    expect(handle.enabled).toBe(false);
    expect(handle.metricsUrl).toBeUndefined();
    await expect(handle.metricsReady).resolves.toBeUndefined();
    const span = trace.getTracer('spec').startSpan('x');
    expect(span.isRecording()).toBe(false);
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    // A second start returns the same handle instead of starting twice.
    expect(
      startTelemetry({
        serviceName: 'other',
        enabled: true,
        metricsPort: 0,
        metricsHost: '127.0.0.1',
        logLevel: 'silent',
      }),
    ).toBe(handle);
    await shutdownTelemetry();
    await expect(shutdownTelemetry()).resolves.toBeUndefined();
  });
});
