import { ConfigError } from '@buergerservice/config';
import { loadTelemetryConfig, loggerDefaults } from './config.js';

describe('loadTelemetryConfig', () => {
  it('applies defaults: enabled, no export, no scrape endpoint, loopback, info', () => {
    expect(loadTelemetryConfig({ OTEL_SERVICE_NAME: 'registration' })).toEqual({
      serviceName: 'registration',
      serviceVersion: undefined,
      otlpEndpoint: undefined,
      enabled: true,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('reads every variable and drops a trailing slash from the endpoint', () => {
    expect(
      loadTelemetryConfig({
        OTEL_SERVICE_NAME: 'vehicle',
        SERVICE_VERSION: '1.4.0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318/',
        TELEMETRY_ENABLED: 'false',
        METRICS_PORT: '9464',
        METRICS_HOST: '0.0.0.0',
        LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      serviceName: 'vehicle',
      serviceVersion: '1.4.0',
      otlpEndpoint: 'http://otel-collector:4318',
      enabled: false,
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      logLevel: 'debug',
    });
  });

  it('names every bad variable', () => {
    let error: unknown;
    try {
      loadTelemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318',
        METRICS_PORT: '-1',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'LOG_LEVEL',
      'METRICS_PORT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_SERVICE_NAME',
    ]);
  });
});

describe('loggerDefaults', () => {
  it('never fails, falling back to safe values', () => {
    expect(loggerDefaults({ LOG_LEVEL: 'loud' })).toEqual({ service: 'buergerservice', level: 'info' });
    expect(loggerDefaults({ OTEL_SERVICE_NAME: 'document', LOG_LEVEL: 'warn' })).toEqual({
      service: 'document',
      level: 'warn',
    });
  });
});
