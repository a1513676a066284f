import { MemoryMoves, MemorySlots } from '../../test/fixtures/memory.js';
import { cityAddress } from '../../test/fixtures/register.js';
import type { Move } from '../domain/move.js';
import { movesOfPersons, pageOf } from './moves-of-persons.js';

function move(moveId: string, personIds: string[], recordedAt: string): Move {
  return {
    moveId,
    idempotencyKey: moveId,
    requestFingerprint: '',
    submittedBy: 'portal-gateway',
    correlationId: moveId,
    kind: 'within-city',
    personId: personIds[0] ?? '',
    persons: personIds.map((personId) => ({
      personId,
      name: { familyName: 'X', givenNames: 'Y', doctoralDegree: '' },
    })),
    newAddress: cityAddress('02001', '1'),
    moveInDate: '2025-11-15',
    residenceType: 'main',
    landlordConfirmationReference: 'W',
    followUps: { vehiclePlates: [], documents: [] },
    status: 'recorded',
    lateRegistration: false,
    recordedAt: new Date(recordedAt),
    revocableUntil: new Date(recordedAt),
    pendingUntil: new Date(recordedAt),
  };
}

describe("a person's moves through their slots", () => {
  it('finds the moves that hold a slot of the person and cover them, ignoring failed attempts', async () => {
    const slots = new MemorySlots();
    const moves = new MemoryMoves();
    await moves.insert(move('m1', ['P1', 'P2'], '2025-01-01T00:00:00Z'), []);
    await moves.insert(move('m3', ['P9'], '2025-03-01T00:00:00Z'), []);
    const takenAt = new Date();
    await slots.take({ personId: 'P1', seq: 1, moveId: 'm1', takenAt });
    await slots.take({ personId: 'P2', seq: 1, moveId: 'm1', takenAt });
    await slots.take({ personId: 'P1', seq: 2, moveId: 'crashed', takenAt }); // no such move
    await slots.take({ personId: 'P1', seq: 3, moveId: 'm3', takenAt }); // a move not covering P1 (same key, other body)
    const { moves: found, slots: bySlot } = await movesOfPersons({ slots, moves }, ['P1']);
    expect(found.map((m) => m.moveId)).toEqual(['m1']);
    expect(bySlot.get('P1')?.map((s) => s.seq)).toEqual([1, 2, 3]);
  });

  it('pages newest first with a cursor', () => {
    const all = [
      move('a', ['P1'], '2025-01-01T00:00:00Z'),
      move('c', ['P1'], '2025-03-01T00:00:00Z'),
      move('b', ['P1'], '2025-03-01T00:00:00Z'),
    ];
    const first = pageOf(all, 2);
    expect(first.moves.map((m) => m.moveId)).toEqual(['c', 'b']);
    const second = pageOf(all, 2, first.next);
    expect(second.moves.map((m) => m.moveId)).toEqual(['a']);
    expect(second.next).toBeUndefined();
  });
});
