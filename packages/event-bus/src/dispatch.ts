import { type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  type ConsumedAttributes,
  type ConsumeOutcome,
  type Logger,
  platformMetrics,
  withProcessSpan,
} from '@buergerservice/telemetry';
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
import { type RetryClock, type RetryPolicy, systemClock, withRetries } from './retry.js';
import type { Subscription } from './subscription.js';
import { isTransientError, type TransientErrorClassifier } from './transient.js';

/** How one record ended. "abandoned": the consumer is stopping; the record stays uncommitted and is redelivered. */
export type DispatchOutcome = 'handled' | 'duplicate' | 'skipped' | 'dead-lettered' | 'abandoned';

export interface DispatcherOptions {
  readonly groupId: string;
  readonly routes: ReadonlyMap<string, Subscription>;
  readonly retry: RetryPolicy;
  /** Where dead letters are written (the bus's idempotent producer). */
  readonly bus: Pick<EventBus, 'sendRecords'>;
  readonly logger: Logger;
  /** Which failures are retried without spending attempts (default isTransientError). */
  readonly isTransient?: TransientErrorClassifier;
  /** Time for the retries; tests pass a virtual clock. */
  readonly clock?: RetryClock;
  /**
   * How often to heartbeat while a handler runs (default 3 s). A handler
   * that blocks longer than the group's session timeout (e.g. waiting for
   * a database that is away) would otherwise lose the group membership:
   * a rebalance for everyone and the record redelivered elsewhere.
   */
  readonly heartbeatEveryMs?: number;
}

/**
 * During an outage every blocked partition retries every few seconds; one
 * warning per record per interval says it is still waiting without flooding
 * the log (the rest go to debug, all are counted as outcome "retry").
 */
const TRANSIENT_WARN_INTERVAL_MS = 30_000;

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
    const clock = this.options.clock ?? systemClock;
    let lastTransientWarning: number | undefined;
    const keepAlive = setInterval(() => {
      // A failed heartbeat (e.g. a rebalance under way) shows again at the next fetch; nothing to do here.
      delivery.heartbeat().catch(() => undefined);
    }, this.options.heartbeatEveryMs ?? 3_000);
    const result = await withRetries(
      this.options.retry,
      (attempt) => invoke({ ...meta, topic, partition, offset: message.offset, consumerGroup: groupId, attempt }),
      {
        signal: delivery.signal,
        isTransient: (error) => this.classify(error, meta.id),
        clock,
        onRetry: async (error, attempt, delayMs, { transient, counted }) => {
          this.count(topic, meta.type, 'retry', undefined, transient);
          const fields = {
            ...position,
            eventId: meta.id,
            eventType: meta.type,
            attempt,
            countedAttempts: counted,
            transient,
            delayMs,
            error: describeError(error),
          };
          const now = clock.now();
          if (!transient) {
            logger.warn(fields, 'event handler failed; retrying');
          } else if (lastTransientWarning === undefined || now - lastTransientWarning >= TRANSIENT_WARN_INTERVAL_MS) {
            lastTransientWarning = now;
            logger.warn(fields, 'event handler failed on a transient error; retrying without spending an attempt');
          } else {
            logger.debug(fields, 'event handler failed on a transient error; retrying without spending an attempt');
          }
          await delivery.heartbeat();
        },
      },
    ).finally(() => clearInterval(keepAlive));
    const seconds = (performance.now() - started) / 1000;
    switch (result.status) {
      case 'succeeded': {
        const outcome = result.value === 'duplicate' ? 'duplicate' : 'success';
        this.count(topic, meta.type, outcome, seconds);
        return outcome === 'duplicate' ? 'duplicate' : 'handled';
      }
      case 'abandoned':
        logger.info(
          {
            ...position,
            eventId: meta.id,
            eventType: meta.type,
            attempts: result.attempts,
            countedAttempts: result.counted,
          },
          'consumer stopping; event left uncommitted for redelivery',
        );
        return 'abandoned';
      case 'exhausted':
        this.count(topic, meta.type, 'dead_lettered', seconds);
        return this.deadLetter(delivery, 'handler-failed', result.error, result.attempts, meta.type, span, meta.id, {
          countedAttempts: result.counted,
          // True here means the transient budget ran out.
          lastErrorTransient: this.classify(result.error, meta.id),
        });
    }
  }

  /** A classifier that throws must not stop the partition: its failure counts as not transient (the safe side). */
  private classify(error: unknown, eventId: string): boolean {
    try {
      return (this.options.isTransient ?? isTransientError)(error);
    } catch (classifierError) {
      this.options.logger.error(
        { eventId, consumerGroup: this.options.groupId, error: describeError(classifierError) },
        'transient-error classifier threw; the failure counts as an attempt',
      );
      return false;
    }
  }

  /**
   * `transient` ("true"/"false") is set on outcome "retry" only, so an
   * outage's retries can be told apart from failing handlers; the other
   * outcomes keep their attribute set.
   */
  private count(
    topic: string,
    eventType: string,
    outcome: ConsumeOutcome,
    seconds?: number,
    transient?: boolean,
  ): void {
    const base: ConsumedAttributes = { topic, event_type: eventType, consumer_group: this.options.groupId, outcome };
    const attributes: ConsumedAttributes & { transient?: 'true' | 'false' } =
      transient === undefined ? base : { ...base, transient: transient ? 'true' : 'false' };
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
    logFields: Record<string, unknown> = {},
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
      {
        topic,
        partition,
        offset: message.offset,
        eventId,
        eventType,
        reason,
        attempts,
        ...logFields,
        error: info.error,
        dlq,
      },
      'event dead-lettered',
    );
    return 'dead-lettered';
  }
}
