import type { IncomingMessage } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { type ExporterConfig, PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_NAMESPACE, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { AllowlistSpanProcessor, AttributeAllowlist } from './attribute-allowlist.js';
import type { TelemetryConfig } from './config.js';
import { configureRootLogger, createLogger } from './logger.js';
import { observeRuntime } from './runtime-metrics.js';

export interface TelemetryOptions {
  /** Exact span attribute keys this service adds on top of the default allowlist. */
  readonly extraAllowedAttributes?: readonly string[];
  /** Delay between span batch exports; short, so tests and live views see spans soon. */
  readonly exportDelayMillis?: number;
}

export interface TelemetryHandle {
  /** False when TELEMETRY_ENABLED=false: nothing was started. */
  readonly enabled: boolean;
  /** Where Prometheus scrapes, e.g. http://127.0.0.1:9464/metrics; undefined without METRICS_PORT. */
  readonly metricsUrl: string | undefined;
  /** Resolves when the scrape endpoint listens (at once without one); rejects when it cannot bind. */
  readonly metricsReady: Promise<void>;
  /** Exports what is buffered and stops; bounded by `timeoutMillis`. */
  shutdown(timeoutMillis?: number): Promise<void>;
}

/** Upper bound of a shutdown: the rest of a SIGTERM grace period belongs to the service. */
export const defaultShutdownTimeoutMillis = 5_000;

let current: TelemetryHandle | undefined;

/**
 * Starts OpenTelemetry for this process: traces over OTLP/HTTP (protobuf) to
 * `${otlpEndpoint}/v1/traces`, the platform's metrics and the process's
 * runtime metrics (memory, heap, CPU, event-loop delay) on a Prometheus scrape
 * endpoint, and instrumentation of http, express, grpc-js, mongodb and
 * mongoose. Must run before those modules are first required, which is what
 * `node --require @buergerservice/telemetry/register` does.
 *
 * Nothing is exported to the SDK's defaults (localhost:4318): no OTLP metrics
 * or logs at all, and no traces without an endpoint.
 *
 * Starting twice returns the first handle.
 */
export function startTelemetry(config: TelemetryConfig, options: TelemetryOptions = {}): TelemetryHandle {
  if (current) return current;
  configureRootLogger({ service: config.serviceName, level: config.logLevel });
  const log = createLogger('telemetry');

  if (!config.enabled) {
    log.info('telemetry disabled (TELEMETRY_ENABLED=false)');
    current = { enabled: false, metricsUrl: undefined, metricsReady: Promise.resolve(), shutdown: async () => {} };
    return current;
  }

  const exporting: SpanProcessor[] = [];
  if (config.otlpEndpoint) {
    const exporter = new OTLPTraceExporter({
      url: `${config.otlpEndpoint}/v1/traces`,
      timeoutMillis: defaultShutdownTimeoutMillis,
    });
    exporting.push(
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: options.exportDelayMillis ?? 500,
        exportTimeoutMillis: defaultShutdownTimeoutMillis,
      }),
    );
  }
  const allowlist = new AttributeAllowlist(undefined, options.extraAllowedAttributes);

  const prometheus =
    config.metricsPort > 0
      ? new PrometheusExporter(prometheusConfig(config.metricsHost, config.metricsPort))
      : undefined;
  const metricsUrl = prometheus ? `http://${hostForUrl(config.metricsHost)}:${config.metricsPort}/metrics` : undefined;

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_NAMESPACE]: 'buergerservice',
      ...(config.serviceVersion ? { [ATTR_SERVICE_VERSION]: config.serviceVersion } : {}),
    }),
    serviceName: config.serviceName,
    spanProcessors: [new AllowlistSpanProcessor(exporting, allowlist)],
    // Explicit empty lists, so the SDK does not fall back to its
    // environment defaults (OTLP metrics and logs to localhost:4318).
    metricReaders: prometheus ? [prometheus] : [],
    logRecordProcessors: [],
    instrumentations: instrumentations(config.metricsPort),
  });
  sdk.start();
  // The SDK registered its provider globally (it does so only with a reader).
  const stopRuntimeMetrics = prometheus ? observeRuntime(metrics.getMeterProvider()) : undefined;

  const metricsReady = prometheus ? prometheus.startServer() : Promise.resolve();
  metricsReady.then(
    () => metricsUrl && log.info({ metricsUrl }, 'metrics scrape endpoint listening'),
    (error: unknown) => log.error({ err: error, metricsUrl }, 'metrics scrape endpoint failed to start'),
  );
  log.info(
    { tracesExported: Boolean(config.otlpEndpoint), otlpEndpoint: config.otlpEndpoint, metricsUrl },
    'telemetry started',
  );

  current = {
    enabled: true,
    metricsUrl,
    metricsReady,
    shutdown: (timeoutMillis = defaultShutdownTimeoutMillis) => {
      stopRuntimeMetrics?.();
      return bounded(sdk.shutdown(), timeoutMillis).then(
        (finished) => {
          if (!finished) log.warn({ timeoutMillis }, 'telemetry shutdown timed out; buffered spans may be lost');
        },
        (error: unknown) => log.warn({ err: error }, 'telemetry shutdown failed; buffered spans may be lost'),
      );
    },
  };
  return current;
}

/**
 * Flushes and stops the telemetry `startTelemetry` started (no-op when none
 * was). For the service's SIGTERM/SIGINT handler, after the servers closed.
 */
export async function shutdownTelemetry(timeoutMillis = defaultShutdownTimeoutMillis): Promise<void> {
  const handle = current;
  current = undefined;
  await handle?.shutdown(timeoutMillis);
}

function instrumentations(metricsPort: number) {
  return [
    new HttpInstrumentation({
      // Prometheus scrapes would otherwise be a trace every few seconds.
      ignoreIncomingRequestHook: (request: IncomingMessage) =>
        metricsPort > 0 && request.socket.localPort === metricsPort,
    }),
    // Middleware layers (body parsers, CORS, ...) are one span each and say
    // nothing; routers and handlers remain.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    new GrpcInstrumentation(),
    // First line of defence for personal data: statements carry whole
    // documents. The attribute allowlist drops db.statement / db.query.text anyway.
    new MongoDBInstrumentation({ enhancedDatabaseReporting: false, dbStatementSerializer: () => '' }),
    // Without a serializer the mongoose instrumentation records no statement.
    new MongooseInstrumentation(),
  ];
}

function prometheusConfig(host: string, port: number): ExporterConfig {
  return { host, port, endpoint: '/metrics', preventServerStart: true };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** True when `work` settled within the time, false when the time ran out first. */
async function bounded(work: Promise<unknown>, timeoutMillis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMillis);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
