import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { type ConsumeOutcome, type Logger, platformMetrics, withProcessSpan } from '@buergerservice/telemetry';
import type { KafkaMessage } from 'kafkajs';
import {
  type DeadLetterInfo,
  type DeadLetterReason,
  deadLetterMessage,
  deadLetterTopic,
  describeError,
} from './dead-letter.js';
import { decodeEventHeaders, type EventMetadata, InvalidEventHeadersError } from './headers.js';
import { skippedEvents } from './metrics.js';
import type { EventBus } from './publisher.js';
import { type RetryPolicy, withRetries } from './retry.js';
import type { Subscription } from './subscription.js';

/** How one record ended. "abandoned": the consumer is stopping; the record stays uncommitted and is redelivered. */
export type DispatchOutcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered' | 'abandoned';

export interface DispatcherOptions {
  readonly groupId: string;
  readonly routes: ReadonlyMap<string, Subscription>;
  readonly retry: RetryPolicy;
  /** Where dead letters are written (the bus's idempotent producer). */
  readonly bus: Pick<EventBus, 'sendRecords'>;
  readonly logger: Logger;
}

export interface Delivery {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  /** Keeps the group membership alive between retries. */
  readonly heartbeat: () => Promise<void>;
  /** Aborted when the consumer stops. */
  readonly signal: AbortSignal;
}

/** Thrown when a dead letter cannot be written: the record must then not be committed. */
export class DeadLetterWriteError extends Error {
  override readonly name = 'DeadLetterWriteError';
}

/**
 * Handles one record: validate the CloudEvents headers, route by `ce_type`,
 * decode, run the handler with bounded retries, dead-letter what cannot be
 * handled. Returns only when the record may be committed (or is abandoned);
 * throws when even the dead-letter write failed.
 */
export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  async dispatch(delivery: Delivery): Promise<DispatchOutcome> {
    const { topic, partition, message } = delivery;
    return withProcessSpan(
      topic,
      message.headers,
      { consumerGroup: this.options.groupId, partition, offset: message.offset },
      (span) => this.dispatchInSpan(delivery, span),
    );
  }

  private async dispatchInSpan(delivery: Delivery, span: Span): Promise<DispatchOutcome> {
    const { topic, partition, message } = delivery;
    const { groupId, routes, logger } = this.options;
    const position = { topic, partition, offset: message.offset, consumerGroup: groupId };
    let meta: EventMetadata;
    try {
      meta = decodeEventHeaders(message.headers);
    } catch (error) {
      if (!(error instanceof InvalidEventHeadersError)) throw error;
      return this.deadLetter(delivery, 'malformed', error, 0, '(unknown)', span);
    }
    span.setAttribute('messaging.message.id', meta.id);
    span.setAttribute('buergerservice.event_type', meta.type);
    span.setAttribute('buergerservice.correlation_id', meta.correlationId);
    const subscription = routes.get(meta.type);
    if (!subscription) {
      // Topics carry more types than any one group handles; new types may
      // appear before a consumer knows them. Skipping is the contract.
      skippedEvents().add(1, { topic, event_type: meta.type, consumer_group: groupId });
      logger.debug({ ...position, eventId: meta.id, eventType: meta.type }, 'no handler for event type; skipped');
      return 'skipped';
    }
    let invoke: ReturnType<Subscription['prepare']>;
    try {
      if (message.value === null) throw new Error('record has no value');
      invoke = subscription.prepare(message.value);
    } catch (error) {
      return this.deadLetter(delivery, 'malformed', error, 0, meta.type, span, meta.id);
    }

    const started = performance.now();
    const result = await withRetries(
      this.options.retry,
      (attempt) => invoke({ ...meta, topic, partition, offset: message.offset, consumerGroup: groupId, attempt }),
      {
        signal: delivery.signal,
        onRetry: async (error, attempt, delayMs) => {
          this.count(topic, meta.type, 'retry');
          logger.warn(
            { ...position, eventId: meta.id, eventType: meta.type, attempt, delayMs, error: describeError(error) },
            'event handler failed; retrying',
          );
          await delivery.heartbeat();
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    switch (result.status) {
      case 'succeeded': {
        const outcome = result.value === 'duplicate' ? 'duplicate' : 'success';
        this.count(topic, meta.type, outcome, seconds);
        return outcome === 'duplicate' ? 'duplicate' : 'handled';
      }
      case 'abandoned':
        logger.info(
          { ...position, eventId: meta.id, eventType: meta.type, attempts: result.attempts },
          'consumer stopping; event left uncommitted for redelivery',
        );
        return 'abandoned';
      case 'exhausted':
        this.count(topic, meta.type, 'dead_lettered', seconds);
        return this.deadLetter(delivery, 'handler-failed', result.error, result.attempts, meta.type, span, meta.id);
    }
  }

  private count(topic: string, eventType: string, outcome: ConsumeOutcome, seconds?: number): void {
    const attributes = { topic, event_type: eventType, consumer_group: this.options.groupId, outcome };
    const metrics = platformMetrics();
    metrics.eventsConsumed.add(1, attributes);
    if (seconds !== undefined) metrics.handlerDuration.record(seconds, attributes);
  }

  private async deadLetter(
    delivery: Delivery,
    reason: DeadLetterReason,
    error: unknown,
    attempts: number,
    eventType: string,
    span: Span,
    eventId?: string,
  ): Promise<DispatchOutcome> {
    const { topic, partition, message } = delivery;
    const { groupId, bus, logger } = this.options;
    const info: DeadLetterInfo = {
      originalTopic: topic,
      originalPartition: partition,
      originalOffset: message.offset,
      consumerGroup: groupId,
      reason,
      error: describeError(error),
      attempts,
      failedAt: new Date(),
    };
    const dlq = deadLetterTopic(groupId);
    try {
      await bus.sendRecords(dlq, [deadLetterMessage(message, info)]);
    } catch (sendError) {
      throw new DeadLetterWriteError(`could not write a dead letter to ${dlq}`, { cause: sendError });
    }
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute('error.type', reason);
    if (reason === 'malformed') this.count(topic, eventType, 'dead_lettered');
    platformMetrics().deadLetters.add(1, { topic, event_type: eventType, consumer_group: groupId });
    logger.error(
      { topic, partition, offset: message.offset, eventId, eventType, reason, attempts, error: info.error, dlq },
      'event dead-lettered',
    );
    return 'dead-lettered';
  }
}
