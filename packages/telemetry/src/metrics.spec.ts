import { metrics } from '@opentelemetry/api';
import { type DataPoint, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { metricNames, observeConsumerLag, observeOutbox, platformMetrics } from './metrics.js';

class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

function points(collected: ResourceMetrics, name: string): DataPoint<unknown>[] {
  const metric = collected.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
}

describe('platform metrics', () => {
  it('are no-ops before an SDK is registered', () => {
    expect(() => platformMetrics().eventsPublished.add(1, { topic: 't', event_type: 'e' })).not.toThrow();
  });

  describe('with an SDK', () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    let collect: () => Promise<ResourceMetrics>;

    beforeAll(() => {
      metrics.setGlobalMeterProvider(provider);
      collect = async () => {
        const { resourceMetrics, errors } = await reader.collect();
        expect(errors).toEqual([]);
        return resourceMetrics;
      };
    });
    afterAll(async () => {
      metrics.disable();
      await provider.shutdown();
    });

    it('records counters and histograms under their Prometheus names', async () => {
      const m = platformMetrics();
      m.eventsPublished.add(2, { topic: 'registration.events.v1', event_type: 'AddressChanged' });
      const consumed = {
        topic: 'registration.events.v1',
        event_type: 'AddressChanged',
        consumer_group: 'vehicle',
        outcome: 'success',
      } as const;
      m.eventsConsumed.add(1, consumed);
      m.handlerDuration.record(0.042, consumed);
      m.deadLetters.add(1, {
        topic: 'registration.events.v1',
        event_type: 'AddressChanged',
        consumer_group: 'vehicle',
      });
      m.bundlesSubmitted.add(1, { outcome: 'accepted' });
      m.bundlesCompleted.add(1, { outcome: 'completed' });
      m.bundleCompletionDuration.record(12.5, { outcome: 'completed' });

      const collected = await collect();
      expect(points(collected, metricNames.eventsPublished)).toEqual([
        expect.objectContaining({
          value: 2,
          attributes: { topic: 'registration.events.v1', event_type: 'AddressChanged' },
        }),
      ]);
      expect(points(collected, metricNames.eventsConsumed)[0]?.attributes).toEqual(consumed);
      expect(points(collected, metricNames.deadLetters)[0]?.value).toBe(1);
      expect(points(collected, metricNames.bundlesSubmitted)[0]?.value).toBe(1);
      expect(points(collected, metricNames.bundlesCompleted)[0]?.value).toBe(1);
      const duration = points(collected, metricNames.handlerDuration)[0]?.value as {
        sum: number;
        count: number;
        buckets: { boundaries: number[] };
      };
      expect(duration).toMatchObject({ sum: 0.042, count: 1 });
      // Seconds-sized buckets, not the SDK's millisecond defaults.
      expect(duration.buckets.boundaries[0]).toBe(0.005);
      expect(points(collected, metricNames.bundleCompletionDuration)[0]?.value).toMatchObject({ sum: 12.5, count: 1 });
    });

    it('observes consumer lag and outbox backlog from registered sources, until unregistered', async () => {
      let lagReads = 0;
      const stopLag = observeConsumerLag(() => {
        lagReads += 1;
        return [
          { topic: 'registration.events.v1', partition: 0, consumerGroup: 'vehicle', lag: 5 },
          { topic: 'registration.events.v1', partition: 1, consumerGroup: 'vehicle', lag: 0 },
        ];
      });
      const stopOutbox = observeOutbox(async () => [
        { outbox: 'registrations', pending: 3, oldestPendingAgeSeconds: 1.5 },
      ]);
      const failing = observeOutbox(() => {
        throw new Error('database unreachable');
      });

      const collected = await collect();
      expect(points(collected, metricNames.consumerLag)).toEqual([
        expect.objectContaining({
          value: 5,
          attributes: { topic: 'registration.events.v1', partition: '0', consumer_group: 'vehicle' },
        }),
        expect.objectContaining({
          value: 0,
          attributes: { topic: 'registration.events.v1', partition: '1', consumer_group: 'vehicle' },
        }),
      ]);
      expect(points(collected, metricNames.outboxBacklog)).toEqual([
        expect.objectContaining({ value: 3, attributes: { outbox: 'registrations' } }),
      ]);
      expect(points(collected, metricNames.outboxOldestPendingAge)).toEqual([
        expect.objectContaining({ value: 1.5, attributes: { outbox: 'registrations' } }),
      ]);

      stopLag();
      stopOutbox();
      failing();
      await collect();
      expect(lagReads).toBe(1);
    });
  });
});
