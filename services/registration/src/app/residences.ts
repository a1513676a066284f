import type { Move } from '../domain/move.js';
import { type Person, type ResidenceChange, residenceHistory } from '../domain/person.js';
import type { Residence } from '../domain/person.js';

/** What a recorded move changes in the residences of its persons; revoked moves change nothing. */
export function residenceChangesOf(moves: readonly Move[]): ResidenceChange[] {
  return moves
    .filter((m) => m.status === 'recorded')
    .map((m) => ({
      moveId: m.moveId,
      personIds: m.persons.map((p) => p.personId),
      newAddress: m.newAddress,
      residenceType: m.residenceType,
      moveInDate: m.moveInDate,
      recordedAt: m.recordedAt,
    }));
}

/** The residence history of a person given every move that covers them. */
export function historyOf(person: Person, moves: readonly Move[]): Residence[] {
  return residenceHistory(person, residenceChangesOf(moves));
}
