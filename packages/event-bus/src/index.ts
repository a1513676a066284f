/**
 * Domain events over Kafka: CloudEvents binary mode, typed subscriptions,
 * bounded retries and dead letters, the MongoDB outbox without transactions,
 * and idempotent consumers. See README.md.
 */
export {
  type DeadLetterPositionRef,
  type DeadLetterDetails,
  type DeadLetterRecord,
  type DeadLetterRow,
  inspectDeadLetter,
  listDeadLetters,
  parsePosition,
  readDeadLetters,
  type ReplayedRecord,
  replayDeadLetters,
} from './cli/dlq-commands.js';
export { type ConsumerOptions, type ConsumerState, EventConsumer } from './consumer.js';
export {
  type DeadLetterInfo,
  type DeadLetterPosition,
  type DeadLetterReason,
  DeadLetterHeaders,
  deadLetterMessage,
  deadLetterTopic,
  decodeDeadLetterHeaders,
  describeError,
  encodeDeadLetterHeaders,
  replayMessage,
} from './dead-letter.js';
export { DeadLetterWriteError, type DispatchOutcome } from './dispatch.js';
export { type EncodedEvent, type EventMeta, encodeEvent, topicOf } from './event.js';
export {
  CLOUDEVENTS_SPEC_VERSION,
  CloudEventHeaders,
  decodeEventHeaders,
  type EventMetadata,
  encodeEventHeaders,
  InvalidEventHeadersError,
  PROTOBUF_CONTENT_TYPE,
  parseRfc3339,
  TraceHeaderNames,
} from './headers.js';
export {
  type ApplyOnceOptions,
  type ApplyOutcome,
  applyOnce,
  idempotencyPlugin,
  type InsertOutcome,
  insertOnce,
  isDuplicateKeyError,
  PROCESSED_EVENT_IDS,
  type WithProcessedEvents,
} from './idempotency.js';
export {
  minuteOf,
  OUTBOX_MINUTE,
  type OutboxEntry,
  type OutboxPush,
  outboxEntry,
  outboxEntrySchema,
  outboxPlugin,
  outboxWindowFilter,
  type WithOutbox,
  withOutbox,
  withOutboxMinute,
} from './outbox/entry.js';
export {
  type OutboxDocument,
  type OutboxModel,
  OutboxRelay,
  type OutboxRelayOptions,
  type PassResult,
  PublishFailedError,
} from './outbox/relay.js';
export type { PublishedMarker, RelayStateDocument } from './outbox/relay-state.js';
export { CorruptOutboxError } from './outbox/stored.js';
export { defaultKafkaRetry, EventBus, type EventBusOptions, type TopicOptions } from './publisher.js';
export {
  backoffSchedule,
  baseDelay,
  defaultRetryPolicy,
  delayBefore,
  type RetryClock,
  type RetryDetails,
  type RetryHooks,
  type RetryPolicy,
  type RetryResult,
  retryPolicy,
  systemClock,
  withRetries,
} from './retry.js';
export {
  type ConsumedEventMeta,
  type EventHandler,
  type HandlerResult,
  on,
  type Subscription,
} from './subscription.js';
export { isTransientError, type TransientErrorClassifier } from './transient.js';
export { KeyedLock } from './key-lock.js';
