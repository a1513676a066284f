import { registration, vehicle, VehicleEvents } from '@buergerservice/contracts';
import { HOME, NEW_HOME } from '../testing/fixtures.js';
import {
  checkAddressChanged,
  checkAddressChangeRevoked,
  moveNoticeFrom,
  toOutboxEntry,
  UnusableEventError,
} from './codec.js';

const changed = registration.AddressChanged.fromPartial({
  moveId: 'move-1',
  kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
  personId: 'P0000001',
  persons: [{ personId: 'P0000001' }, { personId: 'P0000003' }],
  newAddress: NEW_HOME,
  followUps: { vehiclePlates: ['L-AM 2026'] },
});

describe('the event codec', () => {
  it('turns AddressChanged into a move notice; the event time orders moves', () => {
    const at = new Date('2026-03-02T09:00:00Z');
    expect(moveNoticeFrom(changed, at)).toEqual({
      moveId: 'move-1',
      applicantId: 'P0000001',
      personIds: ['P0000001', 'P0000003'],
      newAddress: NEW_HOME,
      abroad: false,
      plates: ['L-AM 2026'],
      recordedAt: at,
    });
    expect(moveNoticeFrom({ ...changed, kind: registration.MoveKind.MOVE_KIND_ABROAD }, at).abroad).toBe(true);
  });

  it('refuses events it cannot act on, naming fields only', () => {
    expect(() => checkAddressChanged(changed)).not.toThrow();
    expect(() => checkAddressChanged({ ...changed, moveId: '' })).toThrow(UnusableEventError);
    expect(() => checkAddressChanged({ ...changed, persons: [{ personId: 'P 1' }] })).toThrow(
      /persons\[0\]\.person_id/,
    );
    const { newAddress: _gone, ...withoutAddress } = changed;
    expect(() => checkAddressChanged(withoutAddress)).toThrow(/new_address/);
    expect(() => checkAddressChangeRevoked({ moveId: 'move-1', personId: '', personIds: [] })).toThrow(/person_id/);
  });

  it('encodes domain events as outbox entries with the bundle’s metadata', () => {
    const context = { key: 'P0000001', correlationId: 'bundle-1', causationId: 'evt-1' };
    const entry = toOutboxEntry(
      {
        type: 'holder-address-updated',
        moveId: 'move-1',
        plate: 'L-AM 2026',
        holderPersonId: 'P0000002',
        holderAddress: NEW_HOME,
        previousDistrict: 'DD',
        district: 'L',
      },
      context,
      'vehicle.events.v1',
    );
    expect(entry).toMatchObject({
      topic: 'vehicle.events.v1',
      typeName: 'buergerservice.vehicle.v1.VehicleHolderAddressUpdated',
      key: 'P0000001',
      correlationId: 'bundle-1',
      causationId: 'evt-1',
    });
    expect(VehicleEvents.VehicleHolderAddressUpdated.codec.decode(entry.payload)).toEqual({
      moveId: 'move-1',
      plate: 'L-AM 2026',
      holderPersonId: 'P0000002',
      newHolderAddress: NEW_HOME,
      previousRegistrationDistrict: 'DD',
      newRegistrationDistrict: 'L',
    });
  });

  it('maps every rejection reason to the contract', () => {
    const context = { key: 'P0000001', correlationId: 'b', causationId: 'c' };
    const reasons = [
      'not-found',
      'not-holder',
      'deregistered',
      'invalid-plate',
      'moved-abroad',
      'outside-district',
    ] as const;
    const decoded = reasons.map(
      (reason) =>
        VehicleEvents.VehicleHolderAddressUpdateRejected.codec.decode(
          toOutboxEntry(
            {
              type: 'holder-address-update-rejected',
              moveId: 'm',
              plate: 'L-A 1',
              applicantId: 'P0000001',
              reason,
              message: 'x',
            },
            context,
            't',
          ).payload,
        ).reason,
    );
    expect(decoded).toEqual([
      vehicle.RejectionReason.REJECTION_REASON_NOT_FOUND,
      vehicle.RejectionReason.REJECTION_REASON_NOT_HOLDER,
      vehicle.RejectionReason.REJECTION_REASON_DEREGISTERED,
      vehicle.RejectionReason.REJECTION_REASON_INVALID_PLATE,
      vehicle.RejectionReason.REJECTION_REASON_MOVED_ABROAD,
      vehicle.RejectionReason.REJECTION_REASON_OUTSIDE_DISTRICT,
    ]);
  });

  it('encodes restorations and the register’s own events', () => {
    const context = { key: 'P0000001', correlationId: 'b', causationId: 'c' };
    const restored = toOutboxEntry(
      {
        type: 'holder-address-restored',
        moveId: 'm',
        plate: 'L-A 1',
        holderPersonId: 'P0000001',
        holderAddress: HOME,
        district: 'L',
      },
      context,
      't',
    );
    expect(VehicleEvents.VehicleHolderAddressRestored.codec.decode(restored.payload)).toMatchObject({
      restoredHolderAddress: HOME,
      restoredRegistrationDistrict: 'L',
    });
    expect(
      toOutboxEntry(
        { type: 'vehicle-registered', plate: 'L-A 1', holderPersonId: 'P0000001', district: 'L' },
        context,
        't',
      ).typeName,
    ).toBe('buergerservice.vehicle.v1.VehicleRegistered');
    expect(
      toOutboxEntry({ type: 'vehicle-deregistered', plate: 'L-A 1', holderPersonId: 'P0000001' }, context, 't')
        .typeName,
    ).toBe('buergerservice.vehicle.v1.VehicleDeregistered');
  });
});
