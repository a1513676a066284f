import { DRESDEN_HOME, HOME, moveNotice, NEW_HOME, newVehicle, OTHER_HOME, VIENNA_HOME } from '../testing/fixtures.js';
import { LEIPZIG_JURISDICTION } from './jurisdiction.js';
import { rejectionMessages } from './rejection.js';
import { holderUpdateRejected, Vehicle } from './vehicle.js';

const T0 = new Date('2026-03-01T08:00:00Z');
const T1 = new Date('2026-03-02T10:00:00Z');
const T2 = new Date('2026-03-03T10:00:00Z');

function registered(overrides: Parameters<typeof newVehicle>[0] = {}): Vehicle {
  return Vehicle.register(newVehicle(overrides), T0).vehicle;
}

describe('the vehicle aggregate', () => {
  describe('registration', () => {
    it('starts registered at the holder address and raises VehicleRegistered', () => {
      const { vehicle, event } = Vehicle.register(newVehicle(), T0);
      expect(vehicle.state).toMatchObject({
        plate: 'L-AM 2026',
        status: 'registered',
        holderAddress: HOME,
        district: 'L',
        registeredAddress: HOME,
        registeredDistrict: 'L',
        registeredAt: T0,
        updatedAt: T0,
        moves: [],
      });
      expect(event).toEqual({
        type: 'vehicle-registered',
        plate: 'L-AM 2026',
        holderPersonId: 'P0000001',
        district: 'L',
      });
    });
  });

  describe('deregistration', () => {
    it('sets the status, keeps the reason and raises VehicleDeregistered once', () => {
      const vehicle = registered();
      expect(vehicle.deregister('Stilllegung', T1)).toEqual({
        type: 'vehicle-deregistered',
        plate: 'L-AM 2026',
        holderPersonId: 'P0000001',
      });
      expect(vehicle.state).toMatchObject({
        status: 'deregistered',
        deregisteredAt: T1,
        deregistrationReason: 'Stilllegung',
      });
      expect(vehicle.deregister('noch einmal', T2)).toBeUndefined();
      expect(vehicle.state.deregistrationReason).toBe('Stilllegung');
    });
  });

  describe('holder-address update after a move', () => {
    it('updates address and keeps district and plate for a move within the city', () => {
      const vehicle = registered();
      const outcome = vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      expect(outcome).toEqual({
        kind: 'updated',
        event: {
          type: 'holder-address-updated',
          moveId: 'move-1',
          plate: 'L-AM 2026',
          holderPersonId: 'P0000001',
          holderAddress: NEW_HOME,
          previousDistrict: 'L',
          district: 'L',
        },
      });
      expect(vehicle.state).toMatchObject({
        plate: 'L-AM 2026',
        holderAddress: NEW_HOME,
        district: 'L',
        updatedAt: T1,
      });
      expect(vehicle.state.moves).toEqual([
        {
          moveId: 'move-1',
          recordedAt: moveNotice().recordedAt,
          appliedAt: T1,
          previousAddress: HOME,
          previousDistrict: 'L',
          newAddress: NEW_HOME,
          newDistrict: 'L',
        },
      ]);
    });

    it('moves a vehicle registered elsewhere into the city district, keeping its plate (Kennzeichenmitnahme)', () => {
      const vehicle = registered({ plate: 'DD-XY 77', holderAddress: DRESDEN_HOME, district: 'DD' });
      const outcome = vehicle.reactToMove(moveNotice({ plates: ['DD-XY 77'] }), LEIPZIG_JURISDICTION, T1);
      expect(outcome).toMatchObject({
        kind: 'updated',
        event: { previousDistrict: 'DD', district: 'L', plate: 'DD-XY 77' },
      });
      expect(vehicle.state).toMatchObject({ plate: 'DD-XY 77', district: 'L', holderAddress: NEW_HOME });
    });

    it('accepts a holder who is a household member of the applicant', () => {
      const vehicle = registered({ holderPersonId: 'P0000002' });
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1).kind).toBe('updated');
    });

    it('rejects when the holder is not covered by the move', () => {
      const vehicle = registered({ holderPersonId: 'P0000009' });
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'not-holder',
      });
      expect(vehicle.state.holderAddress).toEqual(HOME);
    });

    it('rejects a deregistered vehicle', () => {
      const vehicle = registered();
      vehicle.deregister('Stilllegung', T0);
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'deregistered',
      });
    });

    it('tells a non-holder nothing about the status of the vehicle', () => {
      const vehicle = registered({ holderPersonId: 'P0000009' });
      vehicle.deregister('Stilllegung', T0);
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'not-holder',
      });
    });

    it('rejects a move abroad, by kind or by address', () => {
      expect(registered().reactToMove(moveNotice({ abroad: true }), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'moved-abroad',
      });
      expect(registered().reactToMove(moveNotice({ newAddress: VIENNA_HOME }), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'moved-abroad',
      });
    });

    it('rejects a move to another district', () => {
      expect(registered().reactToMove(moveNotice({ newAddress: DRESDEN_HOME }), LEIPZIG_JURISDICTION, T1)).toEqual({
        kind: 'rejected',
        reason: 'outside-district',
      });
    });

    it('handles a move only once', () => {
      const vehicle = registered();
      vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      const before = vehicle.state;
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T2)).toEqual({ kind: 'already-handled' });
      expect(vehicle.state).toBe(before);
    });

    it('keeps the newer move in force when an older move arrives late', () => {
      const vehicle = registered();
      const newer = moveNotice({ moveId: 'move-2', newAddress: OTHER_HOME, recordedAt: T2 });
      const older = moveNotice({ moveId: 'move-1', newAddress: NEW_HOME, recordedAt: T1 });
      vehicle.reactToMove(newer, LEIPZIG_JURISDICTION, T2);
      const late = vehicle.reactToMove(older, LEIPZIG_JURISDICTION, T2);
      expect(late).toMatchObject({ kind: 'updated', event: { moveId: 'move-1', holderAddress: OTHER_HOME } });
      expect(vehicle.state.holderAddress).toEqual(OTHER_HOME);
      // The chain is rebuilt in the order the moves were recorded.
      expect(vehicle.state.moves.map((m) => [m.moveId, m.previousAddress.street, m.newAddress.street])).toEqual([
        ['move-1', HOME.street, NEW_HOME.street],
        ['move-2', NEW_HOME.street, OTHER_HOME.street],
      ]);
    });

    it('orders moves recorded at the same instant by move id', () => {
      const a = registered();
      const b = registered();
      const first = moveNotice({ moveId: 'a', newAddress: NEW_HOME, recordedAt: T1 });
      const second = moveNotice({ moveId: 'b', newAddress: OTHER_HOME, recordedAt: T1 });
      a.reactToMove(first, LEIPZIG_JURISDICTION, T1);
      a.reactToMove(second, LEIPZIG_JURISDICTION, T1);
      b.reactToMove(second, LEIPZIG_JURISDICTION, T1);
      b.reactToMove(first, LEIPZIG_JURISDICTION, T1);
      expect(a.state.holderAddress).toEqual(OTHER_HOME);
      expect(b.state.holderAddress).toEqual(OTHER_HOME);
    });
  });

  describe('compensation of a revoked move', () => {
    it('restores exactly the address and district the move replaced', () => {
      const vehicle = registered({ plate: 'DD-XY 77', holderAddress: DRESDEN_HOME, district: 'DD' });
      vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      expect(vehicle.revokeMove('move-1', T2)).toEqual({
        type: 'holder-address-restored',
        moveId: 'move-1',
        plate: 'DD-XY 77',
        holderPersonId: 'P0000001',
        holderAddress: DRESDEN_HOME,
        district: 'DD',
      });
      expect(vehicle.state).toMatchObject({ holderAddress: DRESDEN_HOME, district: 'DD', updatedAt: T2 });
      expect(vehicle.state.moves[0]?.revokedAt).toEqual(T2);
      expect(vehicle.hasMoveInForce('move-1')).toBe(false);
    });

    it('is a no-op for a move that never changed the vehicle, and the second time', () => {
      const vehicle = registered();
      expect(vehicle.revokeMove('move-1', T1)).toBeUndefined();
      vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      expect(vehicle.revokeMove('move-1', T2)).toBeDefined();
      const after = vehicle.state;
      expect(vehicle.revokeMove('move-1', T2)).toBeUndefined();
      expect(vehicle.state).toBe(after);
    });

    it('does not apply a revoked move again', () => {
      const vehicle = registered();
      vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      vehicle.revokeMove('move-1', T2);
      expect(vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T2)).toEqual({ kind: 'already-handled' });
      expect(vehicle.state.holderAddress).toEqual(HOME);
    });

    it('revoking an older move keeps a newer one in force and re-links the chain', () => {
      const vehicle = registered();
      vehicle.reactToMove(
        moveNotice({ moveId: 'move-1', newAddress: NEW_HOME, recordedAt: T1 }),
        LEIPZIG_JURISDICTION,
        T1,
      );
      vehicle.reactToMove(
        moveNotice({ moveId: 'move-2', newAddress: OTHER_HOME, recordedAt: T2 }),
        LEIPZIG_JURISDICTION,
        T2,
      );
      expect(vehicle.revokeMove('move-1', T2)).toMatchObject({ holderAddress: OTHER_HOME });
      expect(vehicle.state.holderAddress).toEqual(OTHER_HOME);
      expect(vehicle.state.moves.find((m) => m.moveId === 'move-2')?.previousAddress).toEqual(HOME);
      expect(vehicle.revokeMove('move-2', T2)).toMatchObject({ holderAddress: HOME });
    });

    it('revoking the newer of two moves falls back to the older one', () => {
      const vehicle = registered();
      vehicle.reactToMove(
        moveNotice({ moveId: 'move-1', newAddress: NEW_HOME, recordedAt: T1 }),
        LEIPZIG_JURISDICTION,
        T1,
      );
      vehicle.reactToMove(
        moveNotice({ moveId: 'move-2', newAddress: OTHER_HOME, recordedAt: T2 }),
        LEIPZIG_JURISDICTION,
        T2,
      );
      expect(vehicle.revokeMove('move-2', T2)).toMatchObject({ holderAddress: NEW_HOME, district: 'L' });
    });

    it('restores the address of a vehicle deregistered since the move', () => {
      const vehicle = registered();
      vehicle.reactToMove(moveNotice(), LEIPZIG_JURISDICTION, T1);
      vehicle.deregister('Stilllegung', T1);
      expect(vehicle.revokeMove('move-1', T2)).toMatchObject({ holderAddress: HOME });
      expect(vehicle.state.status).toBe('deregistered');
    });
  });

  it('rejection events carry the applicant and a message the citizen can act on', () => {
    expect(holderUpdateRejected({ moveId: 'move-1', applicantId: 'P0000001' }, 'L-XX 1', 'not-found')).toEqual({
      type: 'holder-address-update-rejected',
      moveId: 'move-1',
      plate: 'L-XX 1',
      applicantId: 'P0000001',
      reason: 'not-found',
      message: rejectionMessages['not-found'],
    });
  });
});
