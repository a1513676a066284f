import { RegistrationEvents, registration, VehicleEvents, vehicle } from '@buergerservice/contracts';
import { deadLetterTopic } from '@buergerservice/event-bus';
import { call } from '@buergerservice/service-kit';
import { TopicRecorder, waitUntil } from '@buergerservice/testing';
import { seedVehicles } from '../../src/seed.js';
import {
  AddressChanged,
  AddressChangeRevoked,
  addressChanged,
  decoded,
  population,
  RegistrationOffice,
  type RunningService,
  startService,
} from './support.js';

// The reaction to the registration office's events on real Kafka and FerretDB:
// update and rejection, exactly-once effect under redelivery, compensation in
// both orders, dead letters for unusable events.

const HOUSEHOLD = ['P0000001', 'P0000002', 'P0000003'];
const ANNAS_CAR = 'L-AM 2026';
const ANNAS_HOME = population.vehicles.find((v) => v.plate === ANNAS_CAR)?.holderAddress;
const neighbours = population.vehicles.filter((v) => !HOUSEHOLD.includes(v.holderPersonId));

describe('reaction to moves', () => {
  let svc: RunningService;
  let office: RegistrationOffice;
  let officeClient: vehicle.VehicleServiceClient;

  beforeAll(async () => {
    svc = await startService('vehicle-moves');
    await seedVehicles(svc.connection, { persons: 200, vehicles: 120 });
    office = new RegistrationOffice(svc.config.REGISTRATION_EVENTS_TOPIC);
    officeClient = svc.client('vehicle-office');
  });
  afterAll(async () => {
    await office?.close();
    await svc?.stop();
  });

  async function registerState(plate: string) {
    const { vehicle: v } = await call(officeClient, 'getVehicle', { plate }, { idempotent: true });
    return v;
  }

  /** Log lines of the AddressChanged/Revoked handler for one event id. */
  function handled(eventId: string) {
    return svc.lines.filter((l) => l.eventId === eventId && String(l.msg).startsWith('holder addresses'));
  }

  it('updates the holder’s vehicle and rejects one held by someone else; a redelivery changes nothing; the revoke restores', async () => {
    const other = neighbours[0];
    if (!other || !ANNAS_HOME) throw new Error('demo population lacks the vehicles this test needs');
    const move = addressChanged({
      moveId: 'move-A',
      followUps: { vehiclePlates: [ANNAS_CAR, other.plate], documents: [] },
    });
    const changed = office.event(AddressChanged, move, { applicant: 'P0000001', correlationId: 'bundle-A' });
    await office.publish(changed);

    const ofBundle = (m: { headers: Record<string, string> }) => m.headers.ce_correlationid === 'bundle-A';
    await svc.events.waitFor(
      (m) => ofBundle(m) && m.headers.ce_type !== VehicleEvents.VehicleHolderAddressRestored.typeName,
      {
        count: 2,
      },
    );
    const [updated] = decoded(svc.events, VehicleEvents.VehicleHolderAddressUpdated, ofBundle);
    const [rejected] = decoded(svc.events, VehicleEvents.VehicleHolderAddressUpdateRejected, ofBundle);
    expect(updated?.payload).toEqual({
      moveId: 'move-A',
      plate: ANNAS_CAR,
      holderPersonId: 'P0000001',
      newHolderAddress: move.newAddress,
      previousRegistrationDistrict: 'L',
      newRegistrationDistrict: 'L',
    });
    expect(rejected?.payload).toMatchObject({
      moveId: 'move-A',
      plate: other.plate,
      personId: 'P0000001',
      reason: vehicle.RejectionReason.REJECTION_REASON_NOT_HOLDER,
    });
    expect(rejected?.payload.message).toMatch(/nicht auf eine der umziehenden Personen/);
    for (const message of [updated?.message, rejected?.message]) {
      expect(message?.key).toBe('P0000001');
      expect(message?.headers).toMatchObject({
        ce_subject: 'P0000001',
        ce_source: '/buergerservice/vehicle',
        ce_correlationid: 'bundle-A',
        ce_causationid: changed.id,
      });
    }
    expect((await registerState(ANNAS_CAR))?.holderAddress).toEqual(move.newAddress);
    expect((await registerState(other.plate))?.holderAddress).toEqual(other.holderAddress);
    const afterFirst = await svc.service.models.Vehicles.findById(ANNAS_CAR).select('+processedEventIds').lean();
    expect(afterFirst?.version).toBe(1);
    expect(afterFirst?.processedEventIds).toEqual([changed.id]);

    // Redelivery: the same record (same ce_id) once more, as after a consumer crash before the commit.
    await office.publish(changed);
    await waitUntil(() => handled(changed.id).length >= 2, { message: 'the redelivered event was handled' });
    expect(handled(changed.id)[1]).toMatchObject({ updated: 0, rejected: [], alreadyHandled: 2 });
    const afterRedelivery = await svc.service.models.Vehicles.findById(ANNAS_CAR).select('+processedEventIds').lean();
    expect(afterRedelivery?.version).toBe(1);
    const moveRecord = await svc.service.models.Moves.findById('move-A').lean();
    expect(moveRecord?.rejections.map((r) => r.plate)).toEqual([other.plate]);

    // Compensation.
    const revoked = office.event(
      AddressChangeRevoked,
      registration.AddressChangeRevoked.fromPartial({ moveId: 'move-A', personId: 'P0000001', personIds: HOUSEHOLD }),
      { applicant: 'P0000001', correlationId: 'bundle-A' },
    );
    await office.publish(revoked);
    const [restored] = await svc.events.waitFor(
      (m) => ofBundle(m) && m.headers.ce_type === VehicleEvents.VehicleHolderAddressRestored.typeName,
    );
    expect(VehicleEvents.VehicleHolderAddressRestored.codec.decode(restored?.value ?? Buffer.alloc(0))).toEqual({
      moveId: 'move-A',
      plate: ANNAS_CAR,
      holderPersonId: 'P0000001',
      restoredHolderAddress: ANNAS_HOME,
      restoredRegistrationDistrict: 'L',
    });
    expect(restored?.headers).toMatchObject({ ce_causationid: revoked.id, ce_correlationid: 'bundle-A' });
    expect(restored?.key).toBe('P0000001');
    expect((await registerState(ANNAS_CAR))?.holderAddress).toEqual(ANNAS_HOME);

    // Nothing was published twice: one update, one rejection, one restoration for the bundle.
    await waitUntil(() => handled(revoked.id).length >= 1, { message: 'the revocation was handled' });
    expect(svc.events.messages.filter(ofBundle).map((m) => m.headers.ce_type)).toEqual(
      expect.arrayContaining([
        VehicleEvents.VehicleHolderAddressUpdated.typeName,
        VehicleEvents.VehicleHolderAddressUpdateRejected.typeName,
        VehicleEvents.VehicleHolderAddressRestored.typeName,
      ]),
    );
    expect(svc.events.messages.filter(ofBundle)).toHaveLength(3);
  });

  it('a revoke that arrives before the change (replay order) ends in the same state: nothing applied, nothing raised', async () => {
    const plate = ANNAS_CAR;
    const before = await registerState(plate);
    const revoked = office.event(
      AddressChangeRevoked,
      registration.AddressChangeRevoked.fromPartial({ moveId: 'move-B', personId: 'P0000001', personIds: HOUSEHOLD }),
      { applicant: 'P0000001', correlationId: 'bundle-B' },
    );
    const changed = office.event(
      AddressChanged,
      addressChanged({ moveId: 'move-B', followUps: { vehiclePlates: [plate], documents: [] } }),
      { applicant: 'P0000001', correlationId: 'bundle-B' },
    );
    await office.publish(revoked, changed);
    await waitUntil(() => handled(changed.id).length >= 1, { message: 'the late AddressChanged was handled' });
    expect(handled(revoked.id)[0]).toMatchObject({ restored: 0 });
    expect(handled(changed.id)[0]).toMatchObject({ revokedBefore: true, updated: 0 });
    const after = await registerState(plate);
    expect(after?.holderAddress).toEqual(before?.holderAddress);
    expect(after?.updatedAt).toEqual(before?.updatedAt);
    expect(svc.events.messages.filter((m) => m.headers.ce_correlationid === 'bundle-B')).toEqual([]);
  });

  it('updates a household member’s vehicle keyed by the applicant, and tells a deregistered one apart', async () => {
    const jonasCar = await call(svc.client('dealer'), 'registerVehicle', {
      idempotencyKey: 'jonas-car',
      plate: 'L-JM 1',
      vin: 'WVWZZZ1KZ8W000011',
      make: 'Škoda',
      model: 'Octavia',
      registrationCertificateNumber: 'AB1234567',
      holderPersonId: 'P0000002',
      holderAddress: ANNAS_HOME,
      registrationDistrict: '',
    });
    expect(jonasCar.vehicle?.registrationDistrict).toBe('L');
    await call(svc.client('vehicle-office'), 'registerVehicle', {
      idempotencyKey: 'old-car',
      plate: 'L-AM 1999',
      vin: 'WVWZZZ1KZ8W001999',
      make: 'Opel',
      model: 'Corsa',
      registrationCertificateNumber: 'AB1999999',
      holderPersonId: 'P0000001',
      holderAddress: ANNAS_HOME,
      registrationDistrict: 'L',
    });
    await call(svc.client('vehicle-office'), 'deregisterVehicle', { plate: 'L-AM 1999', reason: 'Verschrottung' });

    const changed = office.event(
      AddressChanged,
      addressChanged({
        moveId: 'move-C',
        followUps: { vehiclePlates: ['l-jm 1', 'L-AM 1999', 'L-ZZ 9999'], documents: [] },
      }),
      { applicant: 'P0000001', correlationId: 'bundle-C' },
    );
    await office.publish(changed);
    const ofBundle = (m: { headers: Record<string, string> }) => m.headers.ce_correlationid === 'bundle-C';
    await svc.events.waitFor(ofBundle, { count: 3 });
    const [updated] = decoded(svc.events, VehicleEvents.VehicleHolderAddressUpdated, ofBundle);
    expect(updated?.payload).toMatchObject({ plate: 'L-JM 1', holderPersonId: 'P0000002' });
    expect(updated?.message.key).toBe('P0000001');
    const reasons = decoded(svc.events, VehicleEvents.VehicleHolderAddressUpdateRejected, ofBundle).map((r) => [
      r.payload.plate,
      r.payload.reason,
    ]);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['L-AM 1999', vehicle.RejectionReason.REJECTION_REASON_DEREGISTERED],
        ['L-ZZ 9999', vehicle.RejectionReason.REJECTION_REASON_NOT_FOUND],
      ]),
    );
  });

  it('dead-letters events it cannot act on at once and keeps consuming', async () => {
    const dlq = await TopicRecorder.start(deadLetterTopic(svc.config.CONSUMER_GROUP));
    try {
      const unusable = office.event(
        AddressChanged,
        addressChanged({ moveId: '', followUps: { vehiclePlates: [ANNAS_CAR], documents: [] } }),
        { applicant: 'P0000001', correlationId: 'bundle-D' },
      );
      const garbage = {
        ...office.event(RegistrationEvents.AddressChangeRevoked, registration.AddressChangeRevoked.fromPartial({}), {
          applicant: 'P0000001',
          correlationId: 'bundle-D',
        }),
        payload: Uint8Array.from([0x0a, 0xff, 0x01]),
      };
      const fine = office.event(
        AddressChangeRevoked,
        registration.AddressChangeRevoked.fromPartial({ moveId: 'move-never', personId: 'P0000001' }),
        { applicant: 'P0000001', correlationId: 'bundle-D' },
      );
      await office.publish(unusable, garbage, fine);
      const dead = await dlq.waitFor(() => true, { count: 2 });
      expect(dead.map((d) => [d.headers.ce_id, d.headers.dlq_reason])).toEqual([
        [unusable.id, 'malformed'],
        [garbage.id, 'malformed'],
      ]);
      expect(dead[0]?.headers.dlq_error).toMatch(/move_id is missing/);
      await waitUntil(() => handled(fine.id).length >= 1, { message: 'the event after the poison was handled' });
    } finally {
      await dlq.stop();
    }
  });
});
