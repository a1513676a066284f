import { type Counter, type MeterProvider, metrics } from '@opentelemetry/api';

export type SkippedAttributes = { topic: string; event_type: string; consumer_group: string };

let cached: { provider: MeterProvider; counter: Counter<SkippedAttributes> } | undefined;

/**
 * Events of a type a group has no handler for. The platform's ConsumeOutcome
 * (telemetry) has no "skipped", and a skip is neither a success nor a
 * failure of a handler, so it is counted on its own. Remade when the global
 * provider changes, because instruments of the no-op provider stay no-ops.
 */
export function skippedEvents(): Counter<SkippedAttributes> {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) {
    const counter = provider
      .getMeter('@buergerservice/event-bus')
      .createCounter<SkippedAttributes>('buergerservice_events_skipped_total', {
        description: 'Events skipped by a consumer group because it has no handler for their type.',
        unit: '{event}',
      });
    cached = { provider, counter };
  }
  return cached.counter;
}
