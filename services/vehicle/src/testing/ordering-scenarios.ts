import fc from 'fast-check';
import type { VehicleAppDeps } from '../app/ports.js';
import { revokeHolderAddressUpdates } from '../app/revoke-holder-address-updates.js';
import { updateHolderAddresses } from '../app/update-holder-addresses.js';
import type { Address } from '../domain/address.js';
import { Vehicle } from '../domain/vehicle.js';
import { cityAddress, DRESDEN_HOME, moveNotice, NEW_HOME, newVehicle, OTHER_HOME, VIENNA_HOME } from './fixtures.js';

/**
 * Scenarios for issue 11's property: any duplication and reordering (within
 * one person's key) of AddressChanged / AddressChangeRevoked yields the same
 * final register state as one in-order delivery. Shared by the unit test (in
 * memory) and the integration test (the real store on FerretDB).
 */

const T0 = new Date('2026-01-01T00:00:00Z');
export const SCENARIO_PLATES = ['L-AM 2026', 'L-JM 1', 'L-NB 7', 'L-AM 1999'];
// The applicant's own car is named by every move; the others now and then
// (with a plate not in the register and an invalid one).
const OTHER_PLATES = ['L-JM 1', 'L-NB 7', 'L-AM 1999', 'L-XX 1', 'L-AB 0123'];
// Mostly addresses in the city, so that several moves really compete for one vehicle.
const ADDRESSES: Address[] = [NEW_HOME, OTHER_HOME, cityAddress('Kochstraße', '7'), DRESDEN_HOME, VIENNA_HOME];

/** Anna's car, her partner Jonas's car, a neighbour's car and a deregistered car of Anna's. */
export async function seedScenario(deps: VehicleAppDeps): Promise<void> {
  const context = { key: 'seed', correlationId: 'seed', causationId: 'seed' };
  const vehicles = [
    newVehicle(),
    newVehicle({ plate: 'L-JM 1', vin: 'WVWZZZ1KZ8W000011', holderPersonId: 'P0000002' }),
    newVehicle({ plate: 'L-NB 7', vin: 'WVWZZZ1KZ8W000077', holderPersonId: 'P0000004' }),
    newVehicle({ plate: 'L-AM 1999', vin: 'WVWZZZ1KZ8W001999' }),
  ];
  for (const input of vehicles) {
    const { vehicle } = Vehicle.register(input, T0);
    await deps.vehicles.insert(vehicle, { idempotencyKey: `seed-${input.plate}`, fingerprint: 'seed' }, [], context);
  }
  const old = await deps.vehicles.findByPlate('L-AM 1999');
  if (!old) throw new Error('seed failed');
  old.vehicle.deregister('Verschrottung', T0);
  await deps.vehicles.recordDeregistration(old.vehicle, [], context);
}

export interface MoveSpec {
  address: number;
  plates: string[];
  withPartner: boolean;
  /** Revoked after this many later moves were recorded; null = never revoked. */
  revokeAfter: number | null;
}

export type Delivery = { kind: 'changed'; move: number } | { kind: 'revoked'; move: number };

const moveSpec: fc.Arbitrary<MoveSpec> = fc.record({
  address: fc.nat(ADDRESSES.length - 1),
  plates: fc.subarray(OTHER_PLATES).map((others) => ['L-AM 2026', ...others]),
  withPartner: fc.boolean(),
  revokeAfter: fc.option(fc.nat(2), { nil: null }),
});

/** The order in which the registration office published the events: each revocation after its move. */
export function inOrder(moves: readonly MoveSpec[]): Delivery[] {
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

export async function deliver(deps: VehicleAppDeps, moves: readonly MoveSpec[], delivery: Delivery): Promise<void> {
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
export async function registerState(deps: VehicleAppDeps) {
  const states = [];
  for (const plate of SCENARIO_PLATES) {
    const stored = await deps.vehicles.findByPlate(plate);
    if (!stored) throw new Error(`no vehicle ${plate}`);
    const { state } = stored.vehicle;
    states.push({
      plate,
      holderAddress: state.holderAddress,
      district: state.district,
      status: state.status,
      movesInForce: state.moves.filter((m) => m.revokedAt === undefined).map((m) => m.moveId),
    });
  }
  return states;
}

export async function run<D extends VehicleAppDeps>(
  deps: D,
  moves: readonly MoveSpec[],
  deliveries: readonly Delivery[],
): Promise<D> {
  await seedScenario(deps);
  for (const delivery of deliveries) await deliver(deps, moves, delivery);
  return deps;
}

/** Moves, their in-order delivery, a duplicated-and-shuffled delivery, and per-event repeat counts. */
export function scenario(maxMoves = 4) {
  return fc.array(moveSpec, { minLength: 1, maxLength: maxMoves }).chain((moves) => {
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
}
