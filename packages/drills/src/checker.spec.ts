import { checkBundle, checkDrill, type ObservedEvent, percentile, type SubmittedBundle } from './checker.js';
import { formatTable, passed } from './table.js';

const bundle: SubmittedBundle = {
  bundleId: 'b1',
  applicantId: 'P1',
  personIds: ['P1', 'P2'],
  plates: ['L-A 1'],
  appointmentWanted: true,
  submittedAt: 1_000,
  completedAt: 3_000,
  duringFault: true,
  steps: { registration: 'done', 'vehicle:L-A 1': 'done' },
};

const base = { topic: 't', correlationId: 'b1', moveId: 'm1', personId: 'P1' };
const complete: ObservedEvent[] = [
  { ...base, topic: 'registration.events.v1', type: 'AddressChanged', eventId: 'e1' },
  { ...base, topic: 'vehicle.events.v1', type: 'VehicleHolderAddressUpdated', eventId: 'e2', plate: 'L-A 1' },
  {
    ...base,
    topic: 'document.events.v1',
    type: 'DocumentIssued',
    eventId: 'e3',
    documentId: 'd1',
    documentKind: 'registration-confirmation',
  },
  {
    ...base,
    topic: 'document.events.v1',
    type: 'DocumentIssued',
    eventId: 'e4',
    personId: 'P2',
    documentId: 'd2',
    documentKind: 'registration-confirmation',
  },
  {
    ...base,
    topic: 'document.events.v1',
    type: 'DocumentIssued',
    eventId: 'e5',
    documentId: 'd3',
    documentKind: 'vehicle-registration-record',
    plate: 'L-A 1',
  },
  { ...base, topic: 'appointment.events.v1', type: 'AppointmentBooked', eventId: 'e6', appointmentId: 'a1' },
];

describe('checkBundle', () => {
  it('accepts a bundle with every effect exactly once', () => {
    expect(checkBundle(bundle, complete)).toEqual({ lost: [], duplicated: [] });
  });

  it('reports a missing document as lost', () => {
    const result = checkBundle(
      bundle,
      complete.filter((e) => e.documentId !== 'd2'),
    );
    expect(result.lost).toEqual(['b1: no registration confirmation for P2']);
  });

  it('reports a second document for the same person and kind as a duplicated effect', () => {
    const again = { ...complete[2], eventId: 'e9', documentId: 'd9' } as ObservedEvent;
    expect(checkBundle(bundle, [...complete, again]).duplicated).toEqual([
      'b1: 2 documents registration-confirmation|P1|',
    ]);
  });

  it('does not count a re-published event of the same document as a duplicate', () => {
    const republished = { ...complete[2], eventId: 'e10' } as ObservedEvent;
    expect(checkBundle(bundle, [...complete, republished])).toEqual({ lost: [], duplicated: [] });
  });

  it('reports a second appointment and a second holder-address update', () => {
    const extra: ObservedEvent[] = [
      { ...base, type: 'AppointmentBooked', eventId: 'e7', appointmentId: 'a2' },
      { ...base, type: 'VehicleHolderAddressUpdated', eventId: 'e8', plate: 'L-A 1' },
    ];
    expect(checkBundle(bundle, [...complete, ...extra]).duplicated).toHaveLength(2);
  });

  it('reports a bundle the tracker never showed complete, and rejected steps', () => {
    const { completedAt: _, ...open } = bundle;
    const result = checkBundle({ ...open, steps: { 'vehicle:L-A 1': 'rejected' } }, complete);
    expect(result.lost).toEqual(['b1: not complete at the tracker', 'b1: step vehicle:L-A 1 rejected']);
  });
});

describe('checkDrill', () => {
  it('ignores redeliveries of the same event id and counts the dead letters of the drill', () => {
    const verdict = checkDrill(
      [bundle],
      [...complete, complete[0] as ObservedEvent],
      [{ topic: 'vehicle.dlq', reason: 'handler-failed', error: 'Boom', type: 'AddressChanged', correlationId: 'b1' }],
    );
    expect(verdict).toMatchObject({ bundles: 1, completed: 1, lost: 0, duplicatedEffects: 0, redeliveredEvents: 1 });
    expect(verdict.deadLetters).toBe(1);
    expect(verdict.p99DuringFaultMs).toBe(2_000);
    expect(passed(verdict)).toBe(false);
  });

  it('prints a table row per drill', () => {
    const verdict = checkDrill([bundle], complete, []);
    expect(passed(verdict)).toBe(true);
    const table = formatTable([{ drill: 'kill vehicle', faults: 'SIGKILL vehicle x1', verdict, refused: 2 }]);
    expect(table).toContain('| kill vehicle | SIGKILL vehicle x1 | 1       | 2                 | 1         | 0    |');
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([], 99)).toBeUndefined();
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
  });
});
