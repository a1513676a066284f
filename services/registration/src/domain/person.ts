import { type Address, sameAddress } from './address.js';
import { addDays, type CalendarDate, compareDates } from './calendar.js';

export type ResidenceType = 'main' | 'secondary';

export interface PersonName {
  readonly familyName: string;
  readonly givenNames: string;
  readonly doctoralDegree: string;
}

/** A residence with its validity period; `validUntil` is the last day, undefined while current. */
export interface Residence {
  readonly address: Address;
  readonly type: ResidenceType;
  readonly validFrom: CalendarDate;
  readonly validUntil?: CalendarDate | undefined;
  /** The move that created it; undefined for residences taken over from the imported register. */
  readonly moveId?: string | undefined;
}

/**
 * A person in the register. `residences` are the residences imported into
 * the register (its starting state); every later change is a recorded move,
 * so the full history is `residenceHistory(person, moves)` and nothing is
 * ever overwritten.
 */
export interface Person {
  readonly personId: string;
  readonly name: PersonName;
  readonly dateOfBirth: CalendarDate;
  readonly nationalities: readonly string[];
  /** e.g. "ev", "rk"; empty = none. */
  readonly religiousAffiliation: string;
  readonly householdId: string;
  readonly minorInCarePersonIds: readonly string[];
  readonly residences: readonly Residence[];
}

/** What a recorded move does to one person's residences. */
export interface ResidenceChange {
  readonly moveId: string;
  readonly personIds: readonly string[];
  readonly newAddress: Address;
  readonly residenceType: ResidenceType;
  readonly moveInDate: CalendarDate;
  /** Tie-breaker for moves on the same day. */
  readonly recordedAt: Date;
}

/**
 * The residence history of a person: the imported residences with every
 * effective (recorded, not revoked) move applied in order of moving in.
 * A move to a main residence closes the current main residence on the day
 * before moving in (and a secondary residence at the new address, which
 * becomes the main one); a move to a secondary residence adds one.
 */
export function residenceHistory(person: Person, effectiveMoves: readonly ResidenceChange[]): Residence[] {
  const history: Residence[] = person.residences.map((r) => ({ ...r }));
  const moves = effectiveMoves
    .filter((m) => m.personIds.includes(person.personId))
    .sort((a, b) => compareDates(a.moveInDate, b.moveInDate) || a.recordedAt.getTime() - b.recordedAt.getTime());
  for (const move of moves) {
    const dayBefore = addDays(move.moveInDate, -1);
    history.forEach((residence, index) => {
      if (residence.validUntil !== undefined || move.residenceType !== 'main') return;
      if (residence.type === 'main' || sameAddress(residence.address, move.newAddress)) {
        history[index] = { ...residence, validUntil: dayBefore };
      }
    });
    history.push({
      address: move.newAddress,
      type: move.residenceType,
      validFrom: move.moveInDate,
      moveId: move.moveId,
    });
  }
  return history;
}

export interface ResidencesOnDay {
  readonly main: Residence | undefined;
  readonly secondary: Residence[];
}

/** The residences valid on a day. */
export function residencesOn(history: readonly Residence[], day: CalendarDate): ResidencesOnDay {
  const valid = history.filter(
    (r) => compareDates(r.validFrom, day) <= 0 && (r.validUntil === undefined || compareDates(day, r.validUntil) <= 0),
  );
  return {
    main: valid.filter((r) => r.type === 'main').at(-1),
    secondary: valid.filter((r) => r.type === 'secondary'),
  };
}

/** The residences not closed (yet): the latest state, including a move-in still in the future. */
export function openResidences(history: readonly Residence[]): ResidencesOnDay {
  const open = history.filter((r) => r.validUntil === undefined);
  return { main: open.filter((r) => r.type === 'main').at(-1), secondary: open.filter((r) => r.type === 'secondary') };
}
