import fc from 'fast-check';
import type { Address } from '../domain/address.js';
import { Vehicle } from '../domain/vehicle.js';
import {
  cityAddress,
  DRESDEN_HOME,
  moveNotice,
  NEW_HOME,
  newVehicle,
  OTHER_HOME,
  VIENNA_HOME,
} from '../testing/fixtures.js';
import { allEvents, inMemoryApp } from '../testing/in-memory.js';
import type { VehicleAppDeps } from './ports.js';
import { revokeHolderAddressUpdates } from './revoke-holder-address-updates.js';
import { updateHolderAddresses } from './update-holder-addresses.js';

// Issue 11: any duplication and reordering (within one person's key) of
// AddressChanged / AddressChangeRevoked yields the same final register state
// as one in-order delivery. Events of one applicant share a partition, so
// Kafka keeps their order; duplicates and reorders come from redeliveries,
// dead-letter replays and offset resets, which this property simulates.

const T0 = new Date('2026-01-01T00:00:00Z');
// The applicant's own car is named by every move; the others now and then.
const OTHER_PLATES = ['L-JM 1', 'L-NB 7', 'L-AM 1999', 'L-XX 1', 'L-AB 0123'];
// Mostly addresses in the city, so that several moves really compete for one vehicle.
const ADDRESSES: Address[] = [NEW_HOME, OTHER_HOME, cityAddress('Kochstraße', '7'), DRESDEN_HOME, VIENNA_HOME];

function seeded(): ReturnType<typeof inMemoryApp> {
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

interface MoveSpec {
  address: number;
  plates: string[];
  withPartner: boolean;
  /** Revoked after this many later moves were recorded; null = never revoked. */
  revokeAfter: number | null;
}

type Delivery = { kind: 'changed'; move: number } | { kind: 'revoked'; move: number };

const moveSpec: fc.Arbitrary<MoveSpec> = fc.record({
  address: fc.nat(ADDRESSES.length - 1),
  plates: fc.subarray(OTHER_PLATES).map((others) => ['L-AM 2026', ...others]),
  withPartner: fc.boolean(),
  revokeAfter: fc.option(fc.nat(2), { nil: null }),
});

/** The order in which the registration office published the events: each revocation after its move. */
function inOrder(moves: readonly MoveSpec[]): Delivery[] {
  const sequence: Delivery[] = [];
  const last = moves.length - 1;
  for (let i = 0; i < moves.length; i++) {
    sequence.push({ kind: 'changed', move: i });
    moves.forEach((m, j) => {
      if (m.revokeAfter !== null && Math.min(j + m.revokeAfter, last) === i)
        sequence.push({ kind: 'revoked', move: j });
    });
  }
  return sequence;
}

async function deliver(deps: VehicleAppDeps, moves: readonly MoveSpec[], delivery: Delivery): Promise<void> {
  const spec = moves[delivery.move] as MoveSpec;
  const moveId = `move-${delivery.move}`;
  if (delivery.kind === 'changed') {
    await updateHolderAddresses(deps, {
      move: moveNotice({
        moveId,
        personIds: spec.withPartner ? ['P0000001', 'P0000002'] : ['P0000001'],
        newAddress: ADDRESSES[spec.address] as Address,
        abroad: ADDRESSES[spec.address] === VIENNA_HOME,
        plates: spec.plates,
        // The event's time: when the registration office recorded the move.
        recordedAt: new Date(T0.getTime() + (delivery.move + 1) * 3_600_000),
      }),
      eventId: `changed-${delivery.move}`,
      correlationId: `bundle-${delivery.move}`,
    });
  } else {
    await revokeHolderAddressUpdates(deps, {
      moveId,
      applicantId: 'P0000001',
      eventId: `revoked-${delivery.move}`,
      correlationId: `bundle-${delivery.move}`,
    });
  }
}

/** What the register shows: per vehicle the holder address, district, status and the moves in force. */
function registerState(deps: ReturnType<typeof inMemoryApp>) {
  return [...deps.vehicles.docs.values()]
    .map(({ state }) => ({
      plate: state.plate,
      holderAddress: state.holderAddress,
      district: state.district,
      status: state.status,
      movesInForce: state.moves.filter((m) => m.revokedAt === undefined).map((m) => m.moveId),
    }))
    .sort((a, b) => (a.plate < b.plate ? -1 : 1));
}

async function run(moves: readonly MoveSpec[], deliveries: readonly Delivery[]) {
  const deps = seeded();
  for (const delivery of deliveries) await deliver(deps, moves, delivery);
  return deps;
}

const scenario = fc.array(moveSpec, { minLength: 1, maxLength: 4 }).chain((moves) => {
  const sequence = inOrder(moves);
  const copies = fc.array(fc.constantFrom(...sequence), { maxLength: 6 });
  return fc.record({
    moves: fc.constant(moves),
    sequence: fc.constant(sequence),
    // Every event at least once, some more than once, in any order.
    delivered: copies.chain((extra) =>
      fc.shuffledSubarray([...sequence, ...extra], { minLength: sequence.length + extra.length }),
    ),
    // Duplicates only, order kept: each event delivered 1-3 times in a row.
    repeats: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: sequence.length, maxLength: sequence.length }),
  });
});

describe('duplicated and reordered move events', () => {
  it('end in the same register state as one in-order delivery', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ moves, sequence, delivered }) => {
        const expected = registerState(await run(moves, sequence));
        expect(registerState(await run(moves, delivered))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('raise exactly the events of one delivery when they are only duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ moves, sequence, repeats }) => {
        const once = allEvents(await run(moves, sequence));
        const duplicated = sequence.flatMap((d, i) => Array.from({ length: repeats[i] ?? 1 }, () => d));
        expect(allEvents(await run(moves, duplicated))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('example: revoke before change and change before revoke end alike', async () => {
    const moves: MoveSpec[] = [{ address: 0, plates: ['L-AM 2026'], withPartner: false, revokeAfter: 0 }];
    const forwards = await run(moves, [
      { kind: 'changed', move: 0 },
      { kind: 'revoked', move: 0 },
    ]);
    const backwards = await run(moves, [
      { kind: 'revoked', move: 0 },
      { kind: 'changed', move: 0 },
    ]);
    expect(registerState(backwards)).toEqual(registerState(forwards));
    expect(forwards.vehicles.state('L-AM 2026').holderAddress).toEqual(newVehicle().holderAddress);
  });
});
