import { KeyedLock } from '@buergerservice/event-bus';
import { rejectionMessages } from '../domain/rejection.js';
import { Vehicle } from '../domain/vehicle.js';
import { HOME, moveNotice, NEW_HOME, newVehicle, VIENNA_HOME } from '../testing/fixtures.js';
import { allEvents, inMemoryApp } from '../testing/in-memory.js';
import { revokeHolderAddressUpdates } from './revoke-holder-address-updates.js';
import { updateHolderAddresses } from './update-holder-addresses.js';

const T0 = new Date('2026-01-01T00:00:00Z');

/** The Müller household's car (Anna), Jonas's car, a neighbour's car, and a deregistered car of Anna's. */
function register() {
  const deps = inMemoryApp();
  deps.vehicles.seed(Vehicle.register(newVehicle(), T0).vehicle);
  deps.vehicles.seed(
    Vehicle.register(newVehicle({ plate: 'L-JM 1', vin: 'WVWZZZ1KZ8W000011', holderPersonId: 'P0000002' }), T0).vehicle,
  );
  deps.vehicles.seed(
    Vehicle.register(newVehicle({ plate: 'L-NB 7', vin: 'WVWZZZ1KZ8W000077', holderPersonId: 'P0000004' }), T0).vehicle,
  );
  const old = Vehicle.register(newVehicle({ plate: 'L-AM 1999', vin: 'WVWZZZ1KZ8W001999' }), T0).vehicle;
  old.deregister('Verschrottung', T0);
  deps.vehicles.seed(old);
  return deps;
}

const changed = (plates: string[], overrides: Parameters<typeof moveNotice>[0] = {}) => ({
  move: moveNotice({ plates, ...overrides }),
  eventId: 'evt-changed-1',
  correlationId: 'bundle-1',
});
const revoked = { moveId: 'move-1', applicantId: 'P0000001', eventId: 'evt-revoked-1', correlationId: 'bundle-1' };

describe('reaction to AddressChanged', () => {
  it('updates the applicant’s vehicle and rejects one held by someone else', async () => {
    const deps = register();
    const result = await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-NB 7']));
    expect(result).toEqual({
      updated: ['L-AM 2026'],
      rejected: [{ plate: 'L-NB 7', reason: 'not-holder' }],
      alreadyHandled: [],
      revokedBefore: false,
      compensated: [],
    });
    expect(deps.vehicles.state('L-AM 2026').holderAddress).toEqual(NEW_HOME);
    expect(deps.vehicles.state('L-NB 7').holderAddress).toEqual(HOME);
    const context = { key: 'P0000001', correlationId: 'bundle-1', causationId: 'evt-changed-1' };
    expect(allEvents(deps)).toEqual([
      {
        event: {
          type: 'holder-address-updated',
          moveId: 'move-1',
          plate: 'L-AM 2026',
          holderPersonId: 'P0000001',
          holderAddress: NEW_HOME,
          previousDistrict: 'L',
          district: 'L',
        },
        context,
      },
      {
        event: {
          type: 'holder-address-update-rejected',
          moveId: 'move-1',
          plate: 'L-NB 7',
          applicantId: 'P0000001',
          reason: 'not-holder',
          message: rejectionMessages['not-holder'],
        },
        context,
      },
    ]);
  });

  it('changes nothing and raises nothing when the same event is delivered again', async () => {
    const deps = register();
    await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-NB 7']));
    const before = deps.vehicles.state('L-AM 2026');
    const again = await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-NB 7']));
    expect(again).toMatchObject({ updated: [], rejected: [], alreadyHandled: ['L-AM 2026', 'L-NB 7'] });
    expect(deps.vehicles.state('L-AM 2026')).toBe(before);
    expect(allEvents(deps)).toHaveLength(2);
  });

  it('is idempotent by move, too: a republished event with a new id changes nothing', async () => {
    const deps = register();
    await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-XX 1']));
    await updateHolderAddresses(deps, { ...changed(['L-AM 2026', 'L-XX 1']), eventId: 'evt-changed-2' });
    expect(allEvents(deps)).toHaveLength(2);
  });

  it('updates the vehicle of a household member covered by the move', async () => {
    const deps = register();
    expect((await updateHolderAddresses(deps, changed(['L-JM 1']))).updated).toEqual(['L-JM 1']);
    // Keyed by the applicant, so the whole bundle stays on one partition.
    expect(allEvents(deps)[0]?.context.key).toBe('P0000001');
    expect(allEvents(deps)[0]?.event).toMatchObject({ holderPersonId: 'P0000002' });
  });

  it.each([
    ['L-XX 1', 'not-found'],
    ['L-AM 1999', 'deregistered'],
    ['L-AB 0123', 'invalid-plate'],
  ] as const)('rejects %s as %s', async (plate, reason) => {
    const deps = register();
    expect((await updateHolderAddresses(deps, changed([plate]))).rejected).toEqual([{ plate, reason }]);
    expect(deps.moves.outbox.map((o) => o.event)).toMatchObject([
      { reason, plate, message: rejectionMessages[reason] },
    ]);
  });

  it('rejects every plate of a move abroad, pointing to deregistration', async () => {
    const deps = register();
    const result = await updateHolderAddresses(deps, changed(['L-AM 2026'], { abroad: true, newAddress: VIENNA_HOME }));
    expect(result.rejected).toEqual([{ plate: 'L-AM 2026', reason: 'moved-abroad' }]);
    expect(deps.vehicles.state('L-AM 2026').holderAddress).toEqual(HOME);
  });

  it('handles each plate once however it was typed', async () => {
    const deps = register();
    const result = await updateHolderAddresses(deps, changed(['L-AM 2026', 'l-am 2026', ' L AM 2026 ']));
    expect(result.updated).toEqual(['L-AM 2026']);
    expect(allEvents(deps)).toHaveLength(1);
  });

  it('does nothing for a move without plates', async () => {
    const deps = register();
    expect(await updateHolderAddresses(deps, changed([]))).toMatchObject({ updated: [], rejected: [] });
    expect(deps.moves.docs.size).toBe(0);
  });
});

describe('reaction to AddressChangeRevoked (compensation)', () => {
  it('restores the previous holder address and raises VehicleHolderAddressRestored', async () => {
    const deps = register();
    await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-JM 1', 'L-NB 7']));
    const result = await revokeHolderAddressUpdates(deps, revoked);
    expect([...result.restored].sort()).toEqual(['L-AM 2026', 'L-JM 1']);
    expect(deps.vehicles.state('L-AM 2026').holderAddress).toEqual(HOME);
    expect(deps.vehicles.state('L-JM 1').holderAddress).toEqual(HOME);
    const restoredEvents = deps.vehicles.outbox.filter((o) => o.event.type === 'holder-address-restored');
    expect(restoredEvents).toHaveLength(2);
    expect(restoredEvents[0]?.context).toEqual({
      key: 'P0000001',
      correlationId: 'bundle-1',
      causationId: 'evt-revoked-1',
    });
    expect(restoredEvents[0]?.event).toMatchObject({ moveId: 'move-1', holderAddress: HOME, district: 'L' });
  });

  it('is a no-op for a move never applied here (only the tombstone is kept)', async () => {
    const deps = register();
    expect(await revokeHolderAddressUpdates(deps, { ...revoked, moveId: 'move-elsewhere' })).toEqual({ restored: [] });
    expect(allEvents(deps)).toEqual([]);
    expect(deps.moves.docs.get('move-elsewhere')?.record.revocation?.eventId).toBe('evt-revoked-1');
  });

  it('compensates once: a second revocation (redelivered or republished) raises nothing', async () => {
    const deps = register();
    await updateHolderAddresses(deps, changed(['L-AM 2026']));
    await revokeHolderAddressUpdates(deps, revoked);
    await revokeHolderAddressUpdates(deps, revoked);
    await revokeHolderAddressUpdates(deps, { ...revoked, eventId: 'evt-revoked-2' });
    expect(deps.vehicles.outbox.map((o) => o.event.type)).toEqual([
      'holder-address-updated',
      'holder-address-restored',
    ]);
  });

  it('revoke first, change later (a replay): the change is not applied and nothing is raised', async () => {
    const deps = register();
    await revokeHolderAddressUpdates(deps, revoked);
    const late = await updateHolderAddresses(deps, changed(['L-AM 2026', 'L-NB 7']));
    expect(late).toMatchObject({ revokedBefore: true, updated: [], rejected: [] });
    expect(deps.vehicles.state('L-AM 2026').holderAddress).toEqual(HOME);
    expect(allEvents(deps)).toEqual([]);
  });

  it('a revocation that lands while the change is being written is compensated by the change itself', async () => {
    const deps = register();
    let raced = false;
    deps.vehicles.beforeSave = async () => {
      if (raced) return;
      raced = true;
      // The revocation is handled between the change's read of the tombstone and
      // its write, as by another replica (its own locks, the same database).
      await revokeHolderAddressUpdates({ ...deps, vehicleLocks: new KeyedLock() }, revoked);
    };
    const result = await updateHolderAddresses(deps, changed(['L-AM 2026']));
    expect(result).toMatchObject({ updated: ['L-AM 2026'], compensated: ['L-AM 2026'] });
    expect(deps.vehicles.state('L-AM 2026').holderAddress).toEqual(HOME);
    expect(deps.vehicles.outbox.map((o) => o.event.type)).toEqual([
      'holder-address-updated',
      'holder-address-restored',
    ]);
    expect(deps.vehicles.outbox[1]?.context.causationId).toBe('evt-revoked-1');
  });
});
