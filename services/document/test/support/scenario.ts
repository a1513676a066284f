import fc from 'fast-check';
import type { DocumentAppDeps } from '../../src/app/ports.js';
import { recordAddressChange } from '../../src/app/record-address-change.js';
import { recordAppointmentBooking } from '../../src/app/record-appointment-booking.js';
import { recordMoveRevocation } from '../../src/app/record-move-revocation.js';
import { recordVehicleHolderRestoration } from '../../src/app/record-vehicle-holder-restoration.js';
import { recordVehicleHolderUpdate } from '../../src/app/record-vehicle-holder-update.js';
import type { Cause } from '../../src/domain/document.js';
import type { AddressChangeFact, BookingFact, RestorationFact, VehicleUpdateFact } from '../../src/domain/move.js';

/**
 * Generated moves and their events as Kafka delivers them: in causal order
 * per partition (topic + key), for the convergence property tests (unit, on
 * the in-memory store, and integration, on the real one).
 */

export type Delivery =
  | { stream: string; kind: 'address-changed'; moveId: string; fact: AddressChangeFact }
  | { stream: string; kind: 'revoked'; moveId: string; cause: Cause }
  | { stream: string; kind: 'vehicle-updated'; moveId: string; fact: VehicleUpdateFact }
  | { stream: string; kind: 'vehicle-restored'; moveId: string; fact: RestorationFact }
  | { stream: string; kind: 'booked'; moveId: string; fact: BookingFact };

export async function deliver(app: DocumentAppDeps, d: Delivery): Promise<unknown> {
  switch (d.kind) {
    case 'address-changed':
      return recordAddressChange(app, { moveId: d.moveId, fact: d.fact });
    case 'revoked':
      return recordMoveRevocation(app, { moveId: d.moveId, cause: d.cause });
    case 'vehicle-updated':
      return recordVehicleHolderUpdate(app, { moveId: d.moveId, fact: d.fact });
    case 'vehicle-restored':
      return recordVehicleHolderRestoration(app, { moveId: d.moveId, fact: d.fact });
    case 'booked':
      return recordAppointmentBooking(app, { moveId: d.moveId, fact: d.fact });
  }
}

/** What the consumer does: retry a failing reaction (the bus retries; a crash redelivers). */
export async function deliverUntilDone(app: DocumentAppDeps, d: Delivery): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deliver(app, d);
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

export const moveArb: fc.Arbitrary<MoveSpec> = fc.record({
  persons: fc.integer({ min: 1, max: 3 }),
  wantsConfirmation: fc.boolean(),
  wantsVehicleRecords: fc.boolean(),
  wantsAppointment: fc.boolean(),
  // Holder index per plate; 3 = someone the move does not cover.
  plates: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
  booked: fc.boolean(),
  revoked: fc.boolean(),
  restoredPlates: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
});

export interface MoveSpec {
  persons: number;
  wantsConfirmation: boolean;
  wantsVehicleRecords: boolean;
  wantsAppointment: boolean;
  plates: number[];
  booked: boolean;
  revoked: boolean;
  restoredPlates: boolean[];
}

/** The events of one move in causal order, each tagged with its partition (topic + key). */
export function causalEvents(index: number, spec: MoveSpec, prefix = ''): Delivery[] {
  const moveId = `${prefix}m${index}`;
  const applicant = `${prefix}P${index}0`;
  const cause = (eventId: string): Cause => ({ eventId: `${moveId}-${eventId}`, correlationId: `bundle-${index}` });
  const address = {
    street: 'Eisenbahnstraße',
    houseNumber: String(index + 1),
    houseNumberSuffix: '',
    addressAddition: '',
    postalCode: '04315',
    municipality: 'Leipzig',
    countryCode: 'DE',
  };
  const persons = Array.from({ length: spec.persons }, (_, i) => ({
    personId: `${prefix}P${index}${i}`,
    name: { familyName: 'Yılmaz', givenNames: `Kind ${i}`, doctoralDegree: '' },
  }));
  const registration = `registration/${applicant}`;
  const events: Delivery[] = [
    {
      stream: registration,
      kind: 'address-changed',
      moveId,
      fact: {
        cause: cause('ac'),
        applicantPersonId: applicant,
        moveKind: 'within-city',
        persons,
        newAddress: address,
        moveInDate: '2026-03-01',
        residenceType: 'main',
        wantsRegistrationConfirmation: spec.wantsConfirmation,
        wantsVehicleRecords: spec.wantsVehicleRecords,
        wantsAppointment: spec.wantsAppointment,
      },
    },
  ];
  const plates = spec.plates.map((holder, i) => ({
    plate: `L-${String.fromCharCode(65 + index)}${i} ${100 + i}`,
    holder: `${prefix}P${index}${holder}`,
  }));
  for (const [i, { plate, holder }] of plates.entries()) {
    events.push({
      stream: `vehicle/${holder}`,
      kind: 'vehicle-updated',
      moveId,
      fact: {
        cause: cause(`vu${i}`),
        plate,
        holderPersonId: holder,
        newHolderAddress: address,
        previousRegistrationDistrict: 'Leipzig',
        newRegistrationDistrict: 'Leipzig',
      },
    });
  }
  if (spec.wantsAppointment && spec.booked) {
    events.push({
      stream: `appointment/${applicant}`,
      kind: 'booked',
      moveId,
      fact: { cause: cause('ab'), appointmentId: `A-${moveId}`, personId: applicant },
    });
  }
  if (spec.revoked) {
    events.push({ stream: registration, kind: 'revoked', moveId, cause: cause('rv') });
    // The vehicle service compensates its updates after the revocation.
    for (const [i, { plate, holder }] of plates.entries()) {
      if (spec.restoredPlates[i]) {
        events.push({
          stream: `vehicle/${holder}`,
          kind: 'vehicle-restored',
          moveId,
          fact: { cause: cause(`vr${i}`), plate },
        });
      }
    }
  }
  return events;
}

/** Streams (partitions) with duplicates inserted after their originals, as redeliveries and re-publishes make them. */
export function withDuplicates(streams: Delivery[][], dupes: [number, number, number][]): Delivery[][] {
  const copies = streams.map((s) => [...s]);
  for (const [s, e, offset] of dupes) {
    const stream = copies[s % copies.length];
    if (!stream || stream.length === 0) continue;
    const i = e % stream.length;
    const original = stream[i];
    if (!original) continue;
    const at = i + 1 + (offset % (stream.length - i));
    stream.splice(at, 0, original);
  }
  return copies;
}

/**
 * Delivers the partitions' events interleaved as `schedule` says, up to three
 * partitions at once (as the consumer handles them), each reaction retried
 * until done. `beforeStep` may inject failures.
 */
export async function deliverInterleaved(
  app: DocumentAppDeps,
  streams: Delivery[][],
  schedule: readonly number[],
  beforeStep: (step: number) => void = () => undefined,
): Promise<void> {
  let step = 0;
  for (;;) {
    const active = streams.filter((s) => s.length > 0);
    if (active.length === 0) return;
    const choice = schedule[step] ?? 0;
    const width = 1 + (choice % Math.min(3, active.length));
    const start = Math.floor(choice / 3) % active.length;
    const batch: Delivery[] = [];
    for (let k = 0; k < width; k++) {
      const head = active[(start + k) % active.length]?.shift();
      if (head) batch.push(head);
    }
    beforeStep(step);
    await Promise.all(batch.map((d) => deliverUntilDone(app, d)));
    step++;
  }
}

/** The partitions of a causal event list, in causal order each. */
export function partitions(causal: readonly Delivery[]): Delivery[][] {
  const names = [...new Set(causal.map((d) => d.stream))];
  return names.map((name) => causal.filter((d) => d.stream === name));
}
