import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  extractContext,
  injectTraceHeaders,
  type Logger,
  platformMetrics,
  rootLogger,
  startPublishSpan,
} from '@buergerservice/telemetry';
import { type Admin, Kafka, type KafkaConfig, logLevel, type Message, type Producer, type RetryOptions } from 'kafkajs';
import { type ConsumerOptions, EventConsumer } from './consumer.js';
import { deadLetterTopic } from './dead-letter.js';
import type { EncodedEvent } from './event.js';
import { encodeEventHeaders } from './headers.js';
import { kafkaLogCreator } from './kafka-log.js';
import { wholeFrameSocketFactory } from './kafka-socket.js';

export interface EventBusOptions {
  readonly brokers: readonly string[];
  /** Kafka client id, e.g. the service name. */
  readonly clientId: string;
  /** `ce_source` of every event this process publishes, e.g. "/buergerservice/registration". */
  readonly source: string;
  /**
   * kafkajs retries of connections and requests. The defaults ride out a
   * broker restart of about a minute before a send fails; the outbox relay
   * then tries again on its next poll.
   */
  readonly retry?: RetryOptions;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** kafkajs's own log level (its lines go to the structured logger). Default WARN. */
  readonly kafkaLogLevel?: logLevel;
  readonly logger?: Logger;
}

export interface TopicOptions {
  /** Partitions of each new topic. Existing topics are left as they are. */
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Consumer groups whose dead-letter topics (`<group>.dlq`) to create as well. */
  readonly deadLetterGroups?: readonly string[];
  /** Partitions of each new dead-letter topic; 1 keeps "an offset names one dead letter" true for the CLI. */
  readonly deadLetterPartitions?: number;
}

export const defaultKafkaRetry: RetryOptions = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 };

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The platform's connection to Kafka: publishes domain events in the
 * CloudEvents binary binding, creates topics, and makes consumers
 * (`bus.consumer(...)`, see consumer.ts).
 *
 * The producer is idempotent with acks=all and one request in flight, so a
 * retried send neither duplicates nor reorders records on a partition. Sends
 * go one at a time, and a producer whose send failed is replaced (see `send`).
 */
export class EventBus {
  readonly kafka: Kafka;
  readonly source: string;
  /** The logger the bus's parts (consumers, relays) take children of, each with its own `component`. */
  readonly logger: Logger;
  private readonly log: Logger;
  private producer: Producer;
  private connecting: Promise<void> | undefined;
  /** The send in flight; the next one waits for it (see `send`). */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(readonly options: EventBusOptions) {
    if (!options.source) throw new Error('EventBus: source (e.g. "/buergerservice/registration") is required');
    if (options.brokers.length === 0) throw new Error('EventBus: at least one broker is required');
    this.source = options.source;
    this.logger = options.logger ?? rootLogger();
    this.log = this.logger.child({ component: 'event-bus' });
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: [...options.brokers],
      retry: options.retry ?? defaultKafkaRetry,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      logLevel: options.kafkaLogLevel ?? logLevel.WARN,
      logCreator: kafkaLogCreator(this.logger.child({ component: 'kafkajs' })),
      // A reset in the middle of an answer must not leave kafkajs misreading the connection (see kafka-socket.ts).
      socketFactory: wholeFrameSocketFactory,
    };
    this.kafka = new Kafka(config);
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Bounded, unlike kafkajs's idempotent default (retry forever): a send
      // must fail eventually so callers (the relay, the dead-letter writer)
      // can report it and retry later instead of hanging shutdown.
      retry: this.options.retry ?? defaultKafkaRetry,
    });
  }

  /** A consumer group running typed subscriptions; call `start()` on it. */
  consumer(options: ConsumerOptions): EventConsumer {
    return new EventConsumer(this, options);
  }

  /** Connects the producer; safe to call repeatedly and concurrently. */
  async connect(): Promise<void> {
    const producer = this.producer;
    this.connecting ??= producer.connect().catch((error: unknown) => {
      if (this.producer === producer) this.connecting = undefined;
      throw error;
    });
    await this.connecting;
  }

  async disconnect(): Promise<void> {
    if (!this.connecting) return;
    this.connecting = undefined;
    await this.producer.disconnect();
  }

  /** Publishes events to one topic, in order. */
  async publish(topic: string, events: readonly Omit<EncodedEvent, 'topic'>[]): Promise<void> {
    await this.publishAll(events.map((event) => ({ ...event, topic })));
  }

  /**
   * Publishes events (possibly to several topics) in one produce request
   * batch. Order is kept per topic and key. Each event gets a PRODUCER span
   * whose parent is the context the event was created in (its stored
   * traceparent), or the active one.
   */
  async publishAll(events: readonly EncodedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.connect();
    const spans: Span[] = [];
    const topicMessages = new Map<string, Message[]>();
    for (const event of events) {
      const parent = event.traceparent
        ? extractContext({
            traceparent: event.traceparent,
            ...(event.tracestate ? { tracestate: event.tracestate } : {}),
          })
        : context.active();
      const span = startPublishSpan(
        event.topic,
        { eventId: event.id, eventType: event.typeName, correlationId: event.correlationId },
        parent,
      );
      spans.push(span);
      const headers = injectTraceHeaders(
        encodeEventHeaders({
          id: event.id,
          type: event.typeName,
          source: this.source,
          time: event.time,
          subject: event.key,
          correlationId: event.correlationId,
          causationId: event.causationId,
        }),
        trace.setSpan(parent, span),
      );
      const messages = topicMessages.get(event.topic) ?? [];
      messages.push({ key: event.key, value: toBuffer(event.payload), headers });
      topicMessages.set(event.topic, messages);
    }
    try {
      await this.send((producer) =>
        producer.sendBatch({
          acks: -1,
          topicMessages: [...topicMessages].map(([topic, messages]) => ({ topic, messages })),
        }),
      );
    } catch (error) {
      for (const span of spans) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
      }
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    const published = platformMetrics().eventsPublished;
    for (const event of events) published.add(1, { topic: event.topic, event_type: event.typeName });
  }

  /** Sends records as they are (dead letters, replays): acks=all, idempotent. */
  async sendRecords(topic: string, messages: Message[]): Promise<void> {
    await this.send((producer) => producer.send({ topic, acks: -1, messages }));
  }

  /**
   * Every send of the bus goes through here. kafkajs's idempotent producer
   * hands a failed batch's sequence numbers back, although the broker may
   * have written the batch (the request arrived, the answer was lost to a
   * reset connection or a timeout). The next batch for that partition then
   * reuses those numbers, and the broker acknowledges it as a duplicate of
   * the written one without writing it (same record count) or refuses it for
   * good (OUT_OF_ORDER_SEQUENCE_NUMBER): an event the relay then marks
   * published would be lost. Hence:
   *
   * - after a failed send the producer is replaced: the new one gets a new
   *   producer id, whose sequences the broker takes as new records. A batch
   *   that was written after all comes again when its caller retries — a
   *   redelivery, which consumers absorb by `ce_id`;
   * - one send at a time, so no other batch takes a sequence number between a
   *   lost answer and kafkajs's own retry (which resends the same records with
   *   the same numbers, correctly recognised as a duplicate).
   *
   * test/integration/producer-lost-response.int.spec.ts shows both losses
   * through a proxy that loses the broker's answers.
   */
  private async send<T>(fn: (producer: Producer) => Promise<T>): Promise<T> {
    const run = this.sending.then(async () => {
      await this.connect();
      const producer = this.producer;
      try {
        return await fn(producer);
      } catch (error) {
        this.replaceProducer(producer, error);
        throw error;
      }
    });
    this.sending = run.catch(() => undefined);
    return run;
  }

  private replaceProducer(failed: Producer, cause: unknown): void {
    if (this.producer !== failed) return;
    this.producer = this.newProducer();
    this.connecting = undefined;
    this.log.warn({ err: cause }, 'send failed: producer replaced, its sequence numbers are no longer reliable');
    failed.disconnect().catch((error: unknown) => this.log.warn({ err: error }, 'disconnecting the replaced producer'));
  }

  /**
   * Creates the topics that do not exist yet (and, for `deadLetterGroups`,
   * their dead-letter topics). Waits for partition leaders, so the topics
   * are usable when it returns.
   */
  async ensureTopics(topics: readonly string[], options: TopicOptions = {}): Promise<string[]> {
    const partitions = options.partitions ?? 3;
    const replicationFactor = options.replicationFactor ?? 1;
    const wanted = [
      ...topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
      ...(options.deadLetterGroups ?? []).map((group) => ({
        topic: deadLetterTopic(group),
        numPartitions: options.deadLetterPartitions ?? 1,
        replicationFactor,
      })),
    ];
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return [];
      try {
        await admin.createTopics({ waitForLeaders: true, topics: missing });
      } catch (error) {
        // Another process created some of them meanwhile; that is the goal.
        if (!isAlreadyExists(error)) throw error;
      }
      this.log.info({ topics: missing.map((t) => t.topic) }, 'created topics');
      return missing.map((t) => t.topic);
    });
  }

  /** Runs `fn` with a connected admin client. */
  async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

function isAlreadyExists(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { type, errors } = error as { type?: unknown; errors?: unknown };
  if (type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isAlreadyExists);
}
