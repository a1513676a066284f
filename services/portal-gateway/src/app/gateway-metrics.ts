import { type Histogram, type MeterProvider, metrics } from '@opentelemetry/api';
import type { Authority, StepKind } from '../domain/tracker/view.js';

/** How an authority's step ended: its answer, not a revocation (whose time is the citizen's choice). */
export type StepOutcome = 'done' | 'rejected';

/**
 * Labels of the step duration: the authority and the kind of step — never
 * the plate or person a step is about (label values are permanent in
 * Prometheus, and those are personal data).
 */
export type StepDurationAttributes = { authority: Authority; step: StepKind; outcome: StepOutcome };

export const gatewayMetricNames = {
  bundleStepDuration: 'buergerservice_bundle_step_duration_seconds',
} as const;

/** From a second (registration answers at once) to a day (a document office working through a backlog). */
const stepBuckets = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 86_400];

let cached: { provider: MeterProvider; histogram: Histogram<StepDurationAttributes> } | undefined;

/**
 * Seconds from a bundle's submission until one authority's step of it is
 * final ("Time to completion per authority" in Grafana). The gateway's own
 * metric, next to the platform's (telemetry): only the tracker knows when a
 * step became final. Remade when the global provider changes, because
 * instruments of the no-op provider stay no-ops.
 */
export function bundleStepDuration(): Histogram<StepDurationAttributes> {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) {
    const histogram = provider
      .getMeter('@buergerservice/portal-gateway')
      .createHistogram<StepDurationAttributes>(gatewayMetricNames.bundleStepDuration, {
        description: "Time from submitting a bundle until one authority's step of it is final.",
        unit: 's',
        advice: { explicitBucketBoundaries: stepBuckets },
      });
    cached = { provider, histogram };
  }
  return cached.histogram;
}
