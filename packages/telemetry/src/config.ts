import { type Env, envBool, envPort, loadConfig, z } from '@buergerservice/config';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * The environment variables telemetry reads. The OTEL_* names are the
 * standard OpenTelemetry ones, so operators find them where they expect them.
 */
export const telemetryEnv = {
  /** service.name of every span, metric and log line. */
  OTEL_SERVICE_NAME: z.string().min(1),
  /** service.version; omitted from the resource when unset. */
  SERVICE_VERSION: z.string().min(1).optional(),
  /**
   * Base URL of an OTLP/HTTP receiver (the collector), e.g. http://otel-collector:4318.
   * Spans go to `${endpoint}/v1/traces` as protobuf. Unlike the SDK's own
   * default (localhost:4318), an unset endpoint means traces are not exported
   * at all: spans are still created, so logs carry trace ids and context still
   * propagates downstream, but nothing leaves the process.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** false = no SDK at all (no instrumentation, no-op API): the benchmark's telemetry-off run. */
  TELEMETRY_ENABLED: envBool().default(true),
  /** Port of the Prometheus scrape endpoint (GET /metrics); 0 = no endpoint. */
  METRICS_PORT: envPort().default(0),
  /** Interface the scrape endpoint binds to; 0.0.0.0 in a pod, loopback everywhere else. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
};

export interface TelemetryConfig {
  readonly serviceName: string;
  readonly serviceVersion?: string | undefined;
  /** Without it, spans are recorded but not exported. */
  readonly otlpEndpoint?: string | undefined;
  readonly enabled: boolean;
  /** 0 = no scrape endpoint. */
  readonly metricsPort: number;
  readonly metricsHost: string;
  readonly logLevel: LogLevel;
}

/** Reads and validates the telemetry configuration; throws a ConfigError naming every bad variable. */
export function loadTelemetryConfig(env?: Env): TelemetryConfig {
  const raw = loadConfig(telemetryEnv, env);
  return {
    serviceName: raw.OTEL_SERVICE_NAME,
    serviceVersion: raw.SERVICE_VERSION,
    otlpEndpoint: raw.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, ''),
    enabled: raw.TELEMETRY_ENABLED,
    metricsPort: raw.METRICS_PORT,
    metricsHost: raw.METRICS_HOST,
    logLevel: raw.LOG_LEVEL,
  };
}

/**
 * What the process-wide logger needs before (or without) a valid telemetry
 * configuration, e.g. to report that configuration being invalid. Never throws.
 */
export function loggerDefaults(env?: Env): { service: string; level: LogLevel } {
  const raw = loadConfig({ OTEL_SERVICE_NAME: z.string().optional(), LOG_LEVEL: z.string().optional() }, env);
  const level = logLevels.find((l) => l === raw.LOG_LEVEL) ?? 'info';
  return { service: raw.OTEL_SERVICE_NAME ?? 'buergerservice', level };
}
