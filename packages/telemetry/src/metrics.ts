import {
  type BatchObservableResult,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  metrics,
} from '@opentelemetry/api';
import { createLogger } from './logger.js';

/**
 * The platform's own metrics. Names are the Prometheus names (the exporter
 * only sanitises them); counters end in `_total`, durations are seconds.
 * Attribute values are ids of topics, event types, groups and outcomes —
 * never anything about a citizen (label values are unbounded and permanent
 * in Prometheus).
 */
export const metricNames = {
  eventsPublished: 'buergerservice_events_published_total',
  eventsConsumed: 'buergerservice_events_consumed_total',
  handlerDuration: 'buergerservice_event_handler_duration_seconds',
  consumerLag: 'buergerservice_consumer_lag',
  outboxBacklog: 'buergerservice_outbox_backlog',
  outboxOldestPendingAge: 'buergerservice_outbox_oldest_pending_age_seconds',
  deadLetters: 'buergerservice_dead_letters_total',
  bundlesSubmitted: 'buergerservice_bundles_submitted_total',
  bundlesCompleted: 'buergerservice_bundles_completed_total',
  bundleCompletionDuration: 'buergerservice_bundle_completion_duration_seconds',
  databaseClientsReplaced: 'buergerservice_database_clients_replaced_total',
} as const;

/** How handling one consumed event ended. */
export type ConsumeOutcome = 'success' | 'duplicate' | 'retry' | 'dead_lettered';

export type PublishedAttributes = { topic: string; event_type: string };
export type ConsumedAttributes = { topic: string; event_type: string; consumer_group: string; outcome: ConsumeOutcome };
export type DeadLetterAttributes = { topic: string; event_type: string; consumer_group: string };
export type BundleSubmittedAttributes = { outcome: 'accepted' | 'rejected' };
export type BundleCompletedAttributes = { outcome: 'completed' | 'partially_completed' | 'failed' | 'revoked' };
export type DatabaseClientReplacedAttributes = { reason: 'heartbeat_hung' };

export interface PlatformMetrics {
  /** Events the outbox relay handed to Kafka. */
  readonly eventsPublished: Counter<PublishedAttributes>;
  /** Events a consumer group finished with, by outcome. */
  readonly eventsConsumed: Counter<ConsumedAttributes>;
  /** Time from receiving an event to its outcome, in seconds. */
  readonly handlerDuration: Histogram<ConsumedAttributes>;
  /** Events moved to a dead-letter topic. */
  readonly deadLetters: Counter<DeadLetterAttributes>;
  /** Bundles the portal gateway received. */
  readonly bundlesSubmitted: Counter<BundleSubmittedAttributes>;
  /** Bundles whose every step reached a final state. */
  readonly bundlesCompleted: Counter<BundleCompletedAttributes>;
  /** Seconds from submission to completion of a bundle. */
  readonly bundleCompletionDuration: Histogram<BundleCompletedAttributes>;
  /** Database clients a service closed and opened anew because the old one stopped recovering by itself. */
  readonly databaseClientsReplaced: Counter<DatabaseClientReplacedAttributes>;
}

export interface ConsumerLagSample {
  readonly topic: string;
  readonly partition: number;
  readonly consumerGroup: string;
  /** Messages between the group's committed offset and the partition's end. */
  readonly lag: number;
}

export interface OutboxSample {
  /** Which outbox, e.g. the collection holding it. */
  readonly outbox: string;
  /** Entries not yet published. */
  readonly pending: number;
  /** Age of the oldest unpublished entry in seconds; 0 when there is none. */
  readonly oldestPendingAgeSeconds: number;
}

type Source<T> = () => Iterable<T> | Promise<Iterable<T>>;

const lagSources = new Set<Source<ConsumerLagSample>>();
const outboxSources = new Set<Source<OutboxSample>>();
const log = createLogger('metrics');

let cached: { provider: MeterProvider; metrics: PlatformMetrics } | undefined;

/**
 * The platform's instruments. Without a started SDK they are no-ops.
 *
 * The OpenTelemetry metrics API has no proxy provider: instruments taken from
 * the no-op provider stay no-ops. So they are remade whenever the global
 * provider changes, and observable sources live outside the instruments.
 */
export function platformMetrics(): PlatformMetrics {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) {
    cached = { provider, metrics: createInstruments(provider.getMeter('@buergerservice/telemetry')) };
  }
  return cached.metrics;
}

/**
 * Registers where the consumer lag comes from (the event bus, from the
 * group's committed and the topics' end offsets). Called at every collection
 * (scrape). Returns the function that unregisters it.
 */
export function observeConsumerLag(source: Source<ConsumerLagSample>): () => void {
  platformMetrics();
  lagSources.add(source);
  return () => lagSources.delete(source);
}

/** Registers where outbox backlog and age come from (the outbox relay). Returns the unregister function. */
export function observeOutbox(source: Source<OutboxSample>): () => void {
  platformMetrics();
  outboxSources.add(source);
  return () => outboxSources.delete(source);
}

const handlerBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const bundleBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 86_400];

function createInstruments(meter: Meter): PlatformMetrics {
  const consumerLag = meter.createObservableGauge<{ topic: string; partition: string; consumer_group: string }>(
    metricNames.consumerLag,
    { description: 'Messages a consumer group is behind the end of a partition.', unit: '{message}' },
  );
  const outboxBacklog = meter.createObservableGauge<{ outbox: string }>(metricNames.outboxBacklog, {
    description: 'Outbox entries not yet published to Kafka.',
    unit: '{entry}',
  });
  const outboxAge = meter.createObservableGauge<{ outbox: string }>(metricNames.outboxOldestPendingAge, {
    description: 'Age of the oldest outbox entry not yet published.',
    unit: 's',
  });
  consumerLag.addCallback(async (result) => {
    await eachSample(lagSources, 'consumer lag', (s) =>
      result.observe(s.lag, { topic: s.topic, partition: String(s.partition), consumer_group: s.consumerGroup }),
    );
  });
  meter.addBatchObservableCallback(
    async (result: BatchObservableResult<{ outbox: string }>) => {
      await eachSample(outboxSources, 'outbox', (s) => {
        result.observe(outboxBacklog, s.pending, { outbox: s.outbox });
        result.observe(outboxAge, s.oldestPendingAgeSeconds, { outbox: s.outbox });
      });
    },
    [outboxBacklog, outboxAge],
  );

  return {
    eventsPublished: meter.createCounter(metricNames.eventsPublished, {
      description: 'Domain events published to Kafka.',
      unit: '{event}',
    }),
    eventsConsumed: meter.createCounter(metricNames.eventsConsumed, {
      description: 'Domain events a consumer group finished with, by outcome.',
      unit: '{event}',
    }),
    handlerDuration: meter.createHistogram(metricNames.handlerDuration, {
      description: 'Time an event handler took, from receipt to outcome.',
      unit: 's',
      advice: { explicitBucketBoundaries: handlerBuckets },
    }),
    deadLetters: meter.createCounter(metricNames.deadLetters, {
      description: 'Events moved to a dead-letter topic after their retries.',
      unit: '{event}',
    }),
    bundlesSubmitted: meter.createCounter(metricNames.bundlesSubmitted, {
      description: 'Change-of-address bundles submitted at the portal gateway.',
      unit: '{bundle}',
    }),
    bundlesCompleted: meter.createCounter(metricNames.bundlesCompleted, {
      description: 'Bundles whose every step reached a final state.',
      unit: '{bundle}',
    }),
    bundleCompletionDuration: meter.createHistogram(metricNames.bundleCompletionDuration, {
      description: 'Time from submitting a bundle to its completion.',
      unit: 's',
      advice: { explicitBucketBoundaries: bundleBuckets },
    }),
    databaseClientsReplaced: meter.createCounter(metricNames.databaseClientsReplaced, {
      description: 'Database clients closed and opened anew because their server monitoring hung.',
      unit: '{client}',
    }),
  };
}

async function eachSample<T>(sources: ReadonlySet<Source<T>>, what: string, observe: (sample: T) => void) {
  await Promise.all(
    [...sources].map(async (source) => {
      for (const sample of await read(source, what)) observe(sample);
    }),
  );
}

/** One broken source must not blank every other gauge of the scrape: its series are left out and the cause logged. */
async function read<T>(source: Source<T>, what: string): Promise<Iterable<T>> {
  try {
    return await source();
  } catch (error) {
    log.warn({ err: error, metric: what }, 'metric source failed; its series are missing from this collection');
    return [];
  }
}
