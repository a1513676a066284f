import { metricNames } from '@buergerservice/telemetry';
import { metrics } from '@opentelemetry/api';
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  addressChanged,
  booked,
  confirmation,
  MOVE,
  revoked,
  stickerOrder,
  vehicleRecord,
  vehicleUpdated,
} from '../domain/tracker/events.fixtures.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import type { BundleInput } from '../shared/bundle-rules.js';
import { BundleMetrics } from './bundle-metrics.js';
import { gatewayMetricNames } from './gateway-metrics.js';
import { InMemoryBundles } from './in-memory.fixtures.js';
import type { RegistrationAuthority } from './ports.js';
import { submitBundle } from './submit-bundle.js';
import { trackEvent } from './track-event.js';

class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

/** Submitted at 10:00:00; the fixtures' events happen at 10:00 + their minute. */
const clock = { now: () => new Date('2026-05-02T10:00:00Z') };

const request: BundleInput = {
  move: {
    kind: 'within-city',
    moveInDate: '2026-05-01',
    residenceType: 'main',
    newAddress: { street: 'Kochstraße', houseNumber: '20', postalCode: '04275', municipality: 'Leipzig' },
    landlordConfirmationReference: 'WGB-1',
  },
  householdMemberIds: ['P0000002'],
  vehiclePlates: ['L-AM 2026'],
  documents: ['registration-confirmation', 'vehicle-registration-record'],
  appointment: { wanted: true, autoBook: true },
};

const registration: RegistrationAuthority = {
  async submitChangeOfAddress(command) {
    return {
      moveId: MOVE,
      correlationId: command.correlationId,
      personId: command.personId,
      status: 'recorded',
      revocableUntil: new Date('2026-05-05T21:59:59Z'),
    };
  },
  async revokeChangeOfAddress(command) {
    return { moveId: command.moveId, correlationId: '', personId: command.personId, status: 'revoked' };
  },
};

type Point = DataPoint<Histogram>;

describe('bundle metrics', () => {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });

  beforeAll(() => {
    metrics.setGlobalMeterProvider(provider);
  });
  afterAll(async () => {
    metrics.disable();
    await provider.shutdown();
  });

  async function points(name: string): Promise<Point[]> {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return stepPoints(resourceMetrics, name);
  }

  async function submitted(bundleId: string) {
    const deps = { bundles: new InMemoryBundles(), registration, clock, listener: new BundleMetrics() };
    await submitBundle(deps, { bundleId, personId: 'P0000001', idempotencyKey: `key-${bundleId}`, request });
    return async (...events: TrackerEvent[]) => {
      for (const event of events) await trackEvent(deps, { correlationId: bundleId, event });
    };
  }

  it('observes each step once when it turns final, from the submission, labelled by authority and kind', async () => {
    const track = await submitted('b-steps');
    const vehicle = vehicleUpdated(1);
    await track(
      addressChanged(),
      vehicle,
      // A redelivered event and an event that changes nothing final are not observed again.
      vehicle,
      confirmation('P0000001', 'd-1', 2),
      confirmation('P0000002', 'd-2', 2),
      vehicleRecord('d-3', 3),
      stickerOrder('d-4', 4),
      booked('a-1', 5),
    );

    const observed = summarise(await points(gatewayMetricNames.bundleStepDuration));
    expect(observed).toEqual({
      'registration/registration/done': { count: 1, sum: 0 },
      'vehicle/vehicle-holder-address/done': { count: 1, sum: 60 },
      // Two persons: two confirmation steps of one kind, so one series.
      'document/registration-confirmation/done': { count: 2, sum: 240 },
      'document/vehicle-registration-record/done': { count: 1, sum: 180 },
      'document/id-card-sticker-order/done': { count: 1, sum: 240 },
      'appointment/appointment/done': { count: 1, sum: 300 },
    });
    // No label value names a person or a plate.
    const labels = (await points(gatewayMetricNames.bundleStepDuration)).flatMap((p) => Object.values(p.attributes));
    expect(labels.join(' ')).not.toMatch(/P000000|L-AM/);

    // The bundle completed: the platform's completion metric, at the last step's time.
    const completion = await points(metricNames.bundleCompletionDuration);
    expect(completion.map((p) => [p.attributes.outcome, p.value.count, p.value.sum])).toEqual([['completed', 1, 300]]);
  });

  it('observes a rejected step with its outcome; revoked and never-requested steps are not observed', async () => {
    const before = summarise(await points(gatewayMetricNames.bundleStepDuration));
    const track = await submitted('b-rejected');
    await track(addressChanged({ documents: ['registration-confirmation'] }), {
      kind: 'vehicle-rejected',
      eventId: 'e-rejected-1',
      at: new Date(Date.UTC(2026, 4, 2, 10, 7)).toISOString(),
      moveId: MOVE,
      plate: 'L-AM 2026',
      reason: 'holder-mismatch',
      message: '',
    });
    await track(revoked(9));

    const after = summarise(await points(gatewayMetricNames.bundleStepDuration));
    const added: Record<string, { count: number; sum: number }> = {};
    for (const [key, value] of Object.entries(after)) {
      const count = value.count - (before[key]?.count ?? 0);
      if (count > 0) added[key] = { count, sum: value.sum - (before[key]?.sum ?? 0) };
    }
    expect(added).toEqual({
      'registration/registration/done': { count: 1, sum: 0 },
      'vehicle/vehicle-holder-address/rejected': { count: 1, sum: 420 },
    });
  });
});

function stepPoints(collected: ResourceMetrics, name: string): Point[] {
  const metric = collected.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Point[];
}

function summarise(points: readonly Point[]): Record<string, { count: number; sum: number }> {
  return Object.fromEntries(
    points.map((p) => [
      `${p.attributes.authority}/${p.attributes.step}/${p.attributes.outcome}`,
      { count: p.value.count, sum: p.value.sum ?? 0 },
    ]),
  );
}
