export {
  type AllowlistRules,
  AllowlistSpanProcessor,
  AttributeAllowlist,
  defaultAllowlist,
  filteredSpan,
  stackFramesOnly,
  withoutQuery,
} from './attribute-allowlist.js';
export { type LogLevel, loadTelemetryConfig, logLevels, type TelemetryConfig, telemetryEnv } from './config.js';
export {
  captureTraceHeaders,
  extractContext,
  injectTraceHeaders,
  type KafkaHeaders,
  type MessageAttributes,
  type ProcessAttributes,
  startPublishSpan,
  type TraceHeaders,
  withProcessSpan,
  withPublishSpan,
} from './kafka-propagation.js';
export {
  buildLogger,
  configureRootLogger,
  createLogger,
  type Logger,
  personalDataFields,
  rootLogger,
} from './logger.js';
export {
  type BundleCompletedAttributes,
  type BundleSubmittedAttributes,
  type ConsumedAttributes,
  type ConsumeOutcome,
  type ConsumerLagSample,
  type DatabaseClientReplacedAttributes,
  type DeadLetterAttributes,
  metricNames,
  type OutboxSample,
  observeConsumerLag,
  observeOutbox,
  type PlatformMetrics,
  type PublishedAttributes,
  platformMetrics,
} from './metrics.js';
export {
  type CpuAttributes,
  observeRuntime,
  type RuntimeMetricsOptions,
  runtimeMetricNames,
} from './runtime-metrics.js';
export {
  defaultShutdownTimeoutMillis,
  shutdownTelemetry,
  startTelemetry,
  type TelemetryHandle,
  type TelemetryOptions,
} from './start.js';
