import fc from 'fast-check';
import type { TrackerEvent } from './events.js';
import { emptyFacts, foldEvents } from './facts.js';
import {
  addressChanged,
  booked,
  cancelled,
  completeHousehold,
  confirmation,
  revocationOfHousehold,
  revoked,
  stickerOrder,
  vehicleRecord,
  vehicleUpdated,
} from './events.fixtures.js';
import { deriveView, type StepView, type SubmissionSummary } from './view.js';

const states = (steps: readonly StepView[]) => Object.fromEntries(steps.map((s) => [s.key, s.state]));

const submission: SubmissionSummary = {
  personId: 'P0000001',
  memberIds: ['P0000002'],
  plates: ['L-AM 2026'],
  documents: ['registration-confirmation', 'vehicle-registration-record'],
  appointment: { wanted: true, autoBook: true },
};

describe('request tracker: steps of a bundle', () => {
  it('shows every requested step pending right after submission', () => {
    const view = deriveView(emptyFacts(), submission);
    expect(view.status).toBe('submitted');
    expect(view.complete).toBe(false);
    expect(states(view.steps)).toEqual({
      registration: 'pending',
      'vehicle:L-AM 2026': 'pending',
      'registration-confirmation:P0000001': 'pending',
      'registration-confirmation:P0000002': 'pending',
      'vehicle-registration-record:L-AM 2026': 'pending',
      'id-card-sticker-order': 'pending',
      appointment: 'pending',
    });
  });

  it('has no steps but registration before anything is known', () => {
    const view = deriveView(emptyFacts());
    expect(view.steps.map((s) => s.key)).toEqual(['registration']);
    expect(view.complete).toBe(false);
  });

  it('turns each step done as its authority reports, and completes when all are final', () => {
    const events = completeHousehold();
    const partial = deriveView(foldEvents(events.slice(0, 3)), submission);
    expect(partial.status).toBe('in-progress');
    expect(partial.complete).toBe(false);
    expect(states(partial.steps)).toMatchObject({
      registration: 'done',
      'vehicle:L-AM 2026': 'done',
      'registration-confirmation:P0000001': 'done',
      'registration-confirmation:P0000002': 'pending',
    });

    const view = deriveView(foldEvents(events), submission);
    expect(view.status).toBe('complete');
    expect(view.complete).toBe(true);
    expect(view.steps.every((s) => s.state === 'done')).toBe(true);
    expect(view.moveId).toBe('move-1');
    expect(view.completedAt).toBe('2026-05-02T10:05:00.000Z');
    const appointment = view.steps.find((s) => s.key === 'appointment');
    expect(appointment?.appointment).toMatchObject({ appointmentId: 'a-1', locationId: 'bb-gohlis' });
    const anna = view.steps.find((s) => s.key === 'registration-confirmation:P0000001');
    expect(anna).toMatchObject({
      documentId: 'd-anna',
      displayName: 'Anna Müller',
      doneAt: '2026-05-02T10:02:00.000Z',
    });
  });

  it('takes the requested steps from the recorded move, not the submission, once registration confirmed them', () => {
    const view = deriveView(
      foldEvents([addressChanged({ plates: [], documents: [], appointment: { wanted: false, autoBook: false } })]),
      submission,
    );
    expect(states(view.steps)).toEqual({
      registration: 'done',
      'registration-confirmation:P0000001': 'not-requested',
      'registration-confirmation:P0000002': 'not-requested',
      'id-card-sticker-order': 'not-requested',
      appointment: 'not-requested',
    });
    expect(view.complete).toBe(true);
  });

  it('shows a rejected vehicle with the reason, and its record as rejected too; the bundle still completes', () => {
    const events: TrackerEvent[] = [
      ...completeHousehold().filter(
        (e) =>
          e.kind !== 'vehicle-updated' &&
          !(e.kind === 'document-issued' && e.documentKind === 'vehicle-registration-record'),
      ),
      {
        kind: 'vehicle-rejected',
        eventId: 'rej-1',
        at: '2026-05-02T10:01:00.000Z',
        moveId: 'move-1',
        plate: 'L-AM 2026',
        reason: 'not-holder',
        message: 'Das Fahrzeug ist auf eine andere Person zugelassen.',
      },
    ];
    const view = deriveView(foldEvents(events));
    const vehicle = view.steps.find((s) => s.key === 'vehicle:L-AM 2026');
    expect(vehicle).toMatchObject({ state: 'rejected', reason: 'not-holder' });
    expect(vehicle?.message).toContain('andere Person');
    expect(view.steps.find((s) => s.key === 'vehicle-registration-record:L-AM 2026')).toMatchObject({
      state: 'rejected',
      reason: 'vehicle-not-updated',
    });
    expect(view.complete).toBe(true);
    expect(view.status).toBe('complete');
  });

  it('waits for the citizen to pick an offered slot, then shows the booking', () => {
    const base = addressChanged({ appointment: { wanted: true, autoBook: false }, plates: [], documents: [] });
    const offered: TrackerEvent = {
      kind: 'appointment-offered',
      eventId: 'offer-1',
      at: '2026-05-02T10:01:00.000Z',
      moveId: 'move-1',
      serviceId: 'id-card-sticker',
      slots: [
        {
          locationId: 'bb-gohlis',
          serviceId: 'id-card-sticker',
          start: '2026-05-06T08:00:00.000Z',
          end: '2026-05-06T08:15:00.000Z',
        },
      ],
    };
    const waiting = deriveView(foldEvents([base, offered, stickerOrder('d-s')]));
    const step = waiting.steps.find((s) => s.key === 'appointment');
    expect(step?.state).toBe('pending');
    expect(step?.offer?.slots).toHaveLength(1);
    expect(waiting.complete).toBe(false);

    const picked = deriveView(foldEvents([base, offered, stickerOrder('d-s'), booked('a-9', 7)]));
    expect(picked.steps.find((s) => s.key === 'appointment')?.state).toBe('done');
    expect(picked.complete).toBe(true);
  });

  it('rejects the appointment step when no slot is free', () => {
    const view = deriveView(
      foldEvents([
        addressChanged({ plates: [], documents: [] }),
        {
          kind: 'appointment-offered',
          eventId: 'o',
          at: '2026-05-02T10:01:00.000Z',
          moveId: 'move-1',
          serviceId: 's',
          slots: [],
        },
      ]),
    );
    expect(view.steps.find((s) => s.key === 'appointment')).toMatchObject({
      state: 'rejected',
      reason: 'no-free-slots',
    });
  });

  it('after a citizen cancels, the appointment step is pending again', () => {
    const view = deriveView(foldEvents([...completeHousehold(), cancelled('a-1', 'citizen', 20)]));
    expect(view.steps.find((s) => s.key === 'appointment')).toMatchObject({ state: 'pending', reason: 'cancelled' });
    expect(view.complete).toBe(false);
  });

  it('revocation: done steps wait for their compensation, then every step shows revoked', () => {
    const halfway = deriveView(foldEvents([...completeHousehold(), revoked()]));
    expect(halfway.status).toBe('revoking');
    expect(halfway.complete).toBe(false);
    expect(halfway.steps.find((s) => s.key === 'registration')?.state).toBe('revoked');
    expect(halfway.steps.find((s) => s.key === 'vehicle:L-AM 2026')).toMatchObject({
      state: 'pending',
      awaitingRevocation: true,
    });

    const view = deriveView(foldEvents([...completeHousehold(), ...revocationOfHousehold()]));
    expect(view.status).toBe('revoked');
    expect(view.complete).toBe(true);
    expect(view.steps.every((s) => s.state === 'revoked')).toBe(true);
    expect(view.revokedAt).toBe('2026-05-02T10:10:00.000Z');
  });

  it('revocation before an authority acted: its step is revoked without waiting', () => {
    const view = deriveView(foldEvents([addressChanged(), revoked(1)]));
    expect(view.steps.every((s) => s.state === 'revoked')).toBe(true);
    expect(view.status).toBe('revoked');
  });

  it('a later re-issued document after revocation of the first one counts as done', () => {
    const events = [
      addressChanged({
        plates: [],
        appointment: { wanted: false, autoBook: false },
        documents: ['registration-confirmation'],
      }),
      confirmation('P0000001', 'd-1'),
      confirmation('P0000002', 'd-2'),
      {
        kind: 'document-revoked',
        eventId: 'rv',
        at: '2026-05-02T10:03:00.000Z',
        moveId: 'move-1',
        documentId: 'd-1',
        documentKind: 'registration-confirmation',
        personId: 'P0000001',
        plate: '',
        reason: 'office',
      } satisfies TrackerEvent,
      confirmation('P0000001', 'd-3', 4),
    ];
    const step = deriveView(foldEvents(events)).steps.find((s) => s.key === 'registration-confirmation:P0000001');
    expect(step).toMatchObject({ state: 'done', documentId: 'd-3' });
  });
});

describe('request tracker: order and duplicates do not matter', () => {
  const scenarios = fc.constantFrom(
    completeHousehold(),
    [...completeHousehold(), ...revocationOfHousehold()],
    [...completeHousehold().slice(0, 4), revoked(), ...revocationOfHousehold().slice(1, 3)],
    [
      addressChanged({ appointment: { wanted: true, autoBook: false } }),
      vehicleUpdated(),
      vehicleRecord('d-car'),
      {
        kind: 'appointment-offered',
        eventId: 'o1',
        at: '2026-05-02T10:02:00.000Z',
        moveId: 'move-1',
        serviceId: 's',
        slots: [],
      },
      {
        kind: 'appointment-offered',
        eventId: 'o2',
        at: '2026-05-02T10:03:00.000Z',
        moveId: 'move-1',
        serviceId: 's',
        slots: [
          { locationId: 'l', serviceId: 's', start: '2026-05-06T08:00:00.000Z', end: '2026-05-06T08:15:00.000Z' },
        ],
      },
      booked('a-2', 6),
      {
        kind: 'appointment-rescheduled',
        eventId: 'r1',
        at: '2026-05-02T10:07:00.000Z',
        moveId: 'move-1',
        appointmentId: 'a-2',
        locationId: 'l2',
        start: '2026-05-07T08:00:00.000Z',
        end: '2026-05-07T08:15:00.000Z',
      },
      {
        kind: 'appointment-rescheduled',
        eventId: 'r2',
        at: '2026-05-02T10:08:00.000Z',
        moveId: 'move-1',
        appointmentId: 'a-2',
        locationId: 'l3',
        start: '2026-05-08T08:00:00.000Z',
        end: '2026-05-08T08:15:00.000Z',
      },
      cancelled('a-2', 'citizen', 9),
      booked('a-3', 10),
    ] satisfies TrackerEvent[],
  );

  /** A delivery of the events: each at least once, some several times, in any order. */
  const deliveries = scenarios.chain((events) =>
    fc
      .tuple(
        fc.shuffledSubarray([...events], { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 12 }),
      )
      .chain(([all, duplicates]) =>
        fc.shuffledSubarray([...all, ...duplicates], {
          minLength: all.length + duplicates.length,
          maxLength: all.length + duplicates.length,
        }),
      )
      .map((delivered) => ({ events, delivered })),
  );

  it('duplicated and reordered events per bundle give the same facts and the same view', () => {
    fc.assert(
      fc.property(deliveries, fc.boolean(), ({ events, delivered }, withSubmission) => {
        const expectedFacts = foldEvents(events);
        const facts = foldEvents(delivered);
        expect(facts).toEqual(expectedFacts);
        const sub = withSubmission ? submission : undefined;
        expect(JSON.stringify(deriveView(facts, sub))).toBe(JSON.stringify(deriveView(expectedFacts, sub)));
      }),
      { numRuns: 500 },
    );
  });

  it('applying the same events twice changes nothing (idempotent)', () => {
    fc.assert(
      fc.property(scenarios, (events) => {
        const once = foldEvents(events);
        expect(foldEvents(events, once)).toEqual(once);
      }),
    );
  });
});
