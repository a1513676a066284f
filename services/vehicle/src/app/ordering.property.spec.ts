import fc from 'fast-check';
import { newVehicle } from '../testing/fixtures.js';
import { allEvents, inMemoryApp } from '../testing/in-memory.js';
import { type MoveSpec, registerState, run, scenario } from '../testing/ordering-scenarios.js';

// Issue 11: any duplication and reordering (within one person's key) of
// AddressChanged / AddressChangeRevoked yields the same final register state
// as one in-order delivery. Events of one applicant share a partition, so
// Kafka keeps their order; duplicates and reorders come from redeliveries,
// dead-letter replays and offset resets, which this property simulates.
// test/integration/ordering.int.spec.ts runs the same scenarios on FerretDB.

describe('duplicated and reordered move events', () => {
  it('end in the same register state as one in-order delivery', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(), async ({ moves, sequence, delivered }) => {
        const expected = await registerState(await run(inMemoryApp(), moves, sequence));
        expect(await registerState(await run(inMemoryApp(), moves, delivered))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('raise exactly the events of one delivery when they are only duplicated', async () => {
    await fc.assert(
      fc.asyncProperty(scenario(), async ({ moves, sequence, repeats }) => {
        const once = allEvents(await run(inMemoryApp(), moves, sequence));
        const duplicated = sequence.flatMap((d, i) => Array.from({ length: repeats[i] ?? 1 }, () => d));
        expect(allEvents(await run(inMemoryApp(), moves, duplicated))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('example: revoke before change and change before revoke end alike', async () => {
    const moves: MoveSpec[] = [{ address: 0, plates: ['L-AM 2026'], withPartner: false, revokeAfter: 0 }];
    const forwards = await run(inMemoryApp(), moves, [
      { kind: 'changed', move: 0 },
      { kind: 'revoked', move: 0 },
    ]);
    const backwards = await run(inMemoryApp(), moves, [
      { kind: 'revoked', move: 0 },
      { kind: 'changed', move: 0 },
    ]);
    expect(await registerState(backwards)).toEqual(await registerState(forwards));
    expect(forwards.vehicles.state('L-AM 2026').holderAddress).toEqual(newVehicle().holderAddress);
  });
});
