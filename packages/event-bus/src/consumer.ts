import { type ConsumerLagSample, type Logger, observeConsumerLag } from '@buergerservice/telemetry';
import type { Consumer, ConsumerCrashEvent, EachBatchPayload } from 'kafkajs';
import { Dispatcher } from './dispatch.js';
import { KeyedLock } from './key-lock.js';
import type { EventBus } from './publisher.js';
import { type RetryPolicy, retryPolicy } from './retry.js';
import { routeTable, type Subscription } from './subscription.js';
import { isTransientError, type TransientErrorClassifier } from './transient.js';

export interface ConsumerOptions {
  /** The consumer group, usually the service name; its dead-letter topic is `<groupId>.dlq`. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** One flat list: `[on(RegistrationEvents.AddressChanged, handleAddressChanged), ...]`. */
  readonly handlers: readonly Subscription[];
  /**
   * In-process retries of a failing handler before the event is dead-lettered.
   * Transient failures (see `isTransient`) spend no attempts for up to
   * `transientBudgetMs` (default 10 minutes).
   */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Which handler failures mean "infrastructure unreachable, try again
   * later" (default `isTransientError`: network, MongoDB connection and
   * server-selection errors). Extend it for a service's own dependencies:
   * `(e) => isTransientError(e) || isUnavailable(e)`.
   */
  readonly isTransient?: TransientErrorClassifier;
  /**
   * Partitions handled at the same time. Records of one partition (so of one
   * person) are always handled one after the other, in order.
   */
  readonly partitionsConsumedConcurrently?: number;
  /** Where a new group starts; default: from the beginning, so no event published before the first start is missed. */
  readonly fromBeginning?: boolean;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** Handled offsets are committed at least this often, and after every fetched batch. */
  readonly commitIntervalMs?: number;
  /** Create the dead-letter topic on start when it is missing (default true). */
  readonly ensureDeadLetterTopic?: boolean;
  readonly replicationFactor?: number;
  /** Delay before restarting after a crash kafkajs does not restart from itself; doubles up to 30 s. */
  readonly restartDelayMs?: number;
}

export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped';

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs a consumer group's subscriptions. A record's offset is committed only
 * after it was handled, skipped or dead-lettered, so nothing is acknowledged
 * that failed without a dead letter. Create it with `bus.consumer(...)`.
 */
export class EventConsumer {
  readonly groupId: string;
  private readonly dispatcher: Dispatcher;
  private readonly keyLock = new KeyedLock();
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private abort = new AbortController();
  private stateValue: ConsumerState = 'idle';
  private restartTimer: NodeJS.Timeout | undefined;
  private restartDelay: number;
  private unobserveLag: (() => void) | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly options: ConsumerOptions,
  ) {
    if (!options.groupId) throw new Error('consumer groupId is required');
    if (options.topics.length === 0) throw new Error(`consumer ${options.groupId}: no topics`);
    this.groupId = options.groupId;
    this.logger = bus.logger.child({ component: 'event-consumer', consumerGroup: options.groupId });
    this.restartDelay = options.restartDelayMs ?? 1_000;
    this.dispatcher = new Dispatcher({
      groupId: options.groupId,
      routes: routeTable(options.handlers),
      retry: retryPolicy(options.retry),
      isTransient: options.isTransient ?? isTransientError,
      bus,
      logger: this.logger,
      heartbeatEveryMs: options.heartbeatIntervalMs ?? 3_000,
    });
  }

  get state(): ConsumerState {
    return this.stateValue;
  }

  /** Joins the group and starts handling; resolves once partitions are assigned. */
  async start(): Promise<void> {
    if (this.stateValue !== 'idle' && this.stateValue !== 'stopped') return;
    this.stateValue = 'starting';
    this.abort = new AbortController();
    if (this.options.ensureDeadLetterTopic ?? true) {
      await this.bus
        .ensureTopics([], {
          deadLetterGroups: [this.groupId],
          ...(this.options.replicationFactor ? { replicationFactor: this.options.replicationFactor } : {}),
        })
        .catch((error: unknown) => {
          this.stateValue = 'idle';
          throw error;
        });
    }
    try {
      // Dead letters are written by the bus's producer.
      await this.bus.connect();
      await this.run();
    } catch (error) {
      // Leave nothing half-started behind, so start() can be called again.
      await this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      this.stateValue = 'idle';
      throw error;
    }
    this.unobserveLag = observeConsumerLag(() => this.lag());
    this.logger.info({ topics: this.options.topics }, 'consumer started');
  }

  /**
   * Stops fetching, lets the record in flight finish (a failing one is not
   * retried further but left uncommitted for redelivery), commits what was
   * handled, leaves the group and disconnects.
   */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'idle') return;
    this.stateValue = 'stopped';
    this.abort.abort();
    clearTimeout(this.restartTimer);
    this.unobserveLag?.();
    this.unobserveLag = undefined;
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
    this.logger.info('consumer stopped');
  }

  private async run(): Promise<void> {
    const consumer = this.bus.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => this.onCrash(consumer, event));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: this.options.commitIntervalMs ?? 1_000,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    if (this.stateValue !== 'stopped') this.stateValue = 'running';
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.abort.signal.aborted) break;
      const delivery = {
        topic: batch.topic,
        partition: batch.partition,
        message,
        heartbeat,
        signal: this.abort.signal,
      };
      // Per person, one event at a time across all partitions and topics.
      const key = message.key?.toString();
      const outcome = key
        ? await this.keyLock.run(key, () => this.dispatcher.dispatch(delivery))
        : await this.dispatcher.dispatch(delivery);
      if (outcome === 'abandoned') break;
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /**
   * kafkajs restarts by itself after retriable failures (a broker restart);
   * after any other crash the group would silently stop consuming, so it is
   * restarted here with a growing delay.
   */
  private onCrash(consumer: Consumer, event: ConsumerCrashEvent): void {
    const { error, restart } = event.payload;
    this.logger.error({ err: error, kafkaRestarts: restart }, 'consumer crashed');
    if (!restart && consumer === this.consumer) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.stateValue === 'stopped') return;
    this.stateValue = 'restarting';
    const delay = this.restartDelay;
    this.restartDelay = Math.min(MAX_RESTART_DELAY_MS, delay * 2);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  private async restart(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    const crashed = this.consumer;
    this.consumer = undefined;
    await crashed?.disconnect().catch((error: unknown) => this.logger.warn({ err: error }, 'disconnect after crash'));
    try {
      await this.run();
      this.restartDelay = this.options.restartDelayMs ?? 1_000;
      this.logger.info('consumer restarted');
    } catch (error) {
      this.logger.error({ err: error }, 'consumer restart failed');
      this.scheduleRestart();
    }
  }

  /** Consumer lag per partition: the partition's end offset minus the group's committed offset. */
  private async lag(): Promise<ConsumerLagSample[]> {
    return this.bus.withAdmin(async (admin) => {
      const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.options.topics] });
      const samples: ConsumerLagSample[] = [];
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const at = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const from = at === '-1' ? Number(end.low) : Number(at);
          samples.push({
            topic,
            partition: end.partition,
            consumerGroup: this.groupId,
            lag: Math.max(0, Number(end.high) - from),
          });
        }
      }
      return samples;
    });
  }
}
