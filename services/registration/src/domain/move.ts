import {
  type Address,
  CITY,
  type DirectoryStreet,
  isInCity,
  resolveCityAddress,
  sameAddress,
  sameBuilding,
} from './address.js';
import { berlinDate, type CalendarDate, compareDates, endOfBerlinDay, isCalendarDate } from './calendar.js';
import { DomainError, type RuleViolation } from './errors.js';
import {
  isLateRegistration,
  moveInDateProblem,
  previousOfficeNotificationDue,
  revocationDeadline,
} from './move-deadlines.js';
import { openResidences, type Person, type PersonName, type Residence, type ResidenceType } from './person.js';

/** Ummeldung, Anmeldung from another municipality (or from abroad), Abmeldung abroad. */
export type MoveKind = 'within-city' | 'into-city' | 'abroad';
export type MoveStatus = 'recorded' | 'revoked';
export type RequestedDocument = 'registration-confirmation' | 'vehicle-registration-record';

export interface AppointmentPreference {
  readonly wanted: boolean;
  readonly locationId: string;
  readonly autoBook: boolean;
  readonly earliestDate: string;
  readonly interpreterLanguage: string;
}

export interface FollowUps {
  readonly vehiclePlates: readonly string[];
  readonly documents: readonly RequestedDocument[];
  readonly appointment?: AppointmentPreference | undefined;
}

export interface MovedPerson {
  readonly personId: string;
  readonly name: PersonName;
}

/** What the citizen asks the office to record. */
export interface MoveRequest {
  readonly kind: MoveKind;
  readonly personId: string;
  readonly coMovingPersonIds: readonly string[];
  readonly newAddress: Address;
  /** Required for moves into the city; when given for other kinds it must match the register. */
  readonly previousAddress?: Address | undefined;
  readonly moveInDate: CalendarDate;
  readonly residenceType: ResidenceType;
  readonly landlordConfirmationReference: string;
  readonly followUps: FollowUps;
}

/** A registration act: recorded once, revocable for a short time, never rewritten otherwise. */
export interface Move {
  readonly moveId: string;
  /** With `submittedBy`, identifies the request; the same key and request return this move again. */
  readonly idempotencyKey: string;
  readonly requestFingerprint: string;
  /** Client identity that submitted it, e.g. "portal-gateway". */
  readonly submittedBy: string;
  readonly correlationId: string;
  readonly kind: MoveKind;
  readonly personId: string;
  /** Applicant first. */
  readonly persons: readonly MovedPerson[];
  /** The applicant's address before the move; for moves into the city, as stated by the applicant. */
  readonly previousAddress?: Address | undefined;
  readonly newAddress: Address;
  readonly moveInDate: CalendarDate;
  readonly residenceType: ResidenceType;
  readonly landlordConfirmationReference: string;
  readonly followUps: FollowUps;
  readonly status: MoveStatus;
  readonly lateRegistration: boolean;
  readonly recordedAt: Date;
  readonly revocableUntil: Date;
  /** Until this instant the move blocks further moves of its persons: revocable or not yet moved in. */
  readonly pendingUntil: Date;
  /** For moves into the city from another German municipality: BMG §33 deadline. */
  readonly notificationDueBy?: CalendarDate | undefined;
  readonly revokedAt?: Date | undefined;
  readonly revocationReason?: string | undefined;
  /** Client identity that revoked it. */
  readonly revokedBy?: string | undefined;
}

/** A person as the rules need it: the record and its residence history. */
export interface PersonState {
  readonly person: Person;
  readonly history: readonly Residence[];
}

export interface RecordMoveInput {
  readonly moveId: string;
  readonly idempotencyKey: string;
  readonly requestFingerprint: string;
  readonly submittedBy: string;
  readonly correlationId: string;
  readonly request: MoveRequest;
  /** Every person of the request found in the register, by id. */
  readonly persons: ReadonlyMap<string, PersonState>;
  /** Directory sections whose name matches the new address's street. */
  readonly directory: readonly DirectoryStreet[];
  /** For each person of the request that has a pending move: its id. */
  readonly pendingMoveIds: ReadonlyMap<string, string>;
  readonly now: Date;
}

/** A move is pending while revocable or before its move-in day has ended; it then blocks new moves. */
export function isPending(move: Move, now: Date): boolean {
  return move.status === 'recorded' && now.getTime() <= move.pendingUntil.getTime();
}

/** Everyone the move covers, applicant first. */
export function personIdsOf(move: Pick<Move, 'persons'>): string[] {
  return move.persons.map((p) => p.personId);
}

class Rules {
  readonly violations: RuleViolation[] = [];
  add(field: string, description: string): void {
    if (!this.violations.some((v) => v.field === field && v.description === description)) {
      this.violations.push({ field, description });
    }
  }
}

/**
 * Records a change of address: checks every rule of the register and
 * returns the move, or throws a DomainError — "invalid-move" with every
 * violation per request field, or "pending-move-exists".
 */
export function recordMove(input: RecordMoveInput): Move {
  const { request, persons, now } = input;
  const rules = new Rules();
  const today = berlinDate(now);

  const applicant = persons.get(request.personId);
  if (!applicant) rules.add('person_id', 'no person with this id in the register');

  const movers: { field: string; state: PersonState }[] = applicant ? [{ field: 'person_id', state: applicant }] : [];
  const seen = new Set<string>();
  for (const [index, id] of request.coMovingPersonIds.entries()) {
    const field = `co_moving_person_ids[${index}]`;
    const state = persons.get(id);
    if (id === request.personId) rules.add(field, 'must not be the applicant');
    else if (seen.has(id)) rules.add(field, 'is listed twice');
    else if (!state) rules.add(field, 'no person with this id in the register');
    else if (applicant && !mayMoveAlong(applicant.person, state.person)) {
      rules.add(field, "must belong to the applicant's household or be a minor in the applicant's care");
    } else movers.push({ field, state });
    seen.add(id);
  }

  // A pending move comes first: the residence rules below would judge against a state about to change.
  for (const { state } of movers) {
    const pending = input.pendingMoveIds.get(state.person.personId);
    if (pending !== undefined && pending !== input.moveId) {
      throw new DomainError(
        'pending-move-exists',
        `person ${state.person.personId} has move ${pending} pending; revoke it or wait until it is final`,
      );
    }
  }

  const dateValid = isCalendarDate(request.moveInDate);
  if (!dateValid) {
    rules.add('move_in_date', 'must be a date YYYY-MM-DD');
  } else {
    const problem = moveInDateProblem(request.moveInDate, today);
    if (problem) rules.add('move_in_date', problem);
  }

  const newAddress = checkNewAddress(request, input.directory, rules);
  const previousAddress = checkPreviousAddress(request, applicant, rules);

  if (request.kind !== 'abroad' && request.landlordConfirmationReference.trim() === '') {
    rules.add('landlord_confirmation_reference', 'is required (Wohnungsgeberbestätigung, BMG §19)');
  }

  for (const { field, state } of movers) {
    const current = openResidences(state.history);
    const inCity = isInCity(current.main?.address);
    const who = field === 'person_id' ? 'the applicant' : 'this person';
    if (request.kind === 'into-city' && inCity) {
      rules.add(
        field === 'person_id' ? 'kind' : field,
        `${who} already has a main residence in ${CITY.name}: that is a move within the city`,
      );
    }
    if (request.kind !== 'into-city' && !inCity) {
      rules.add(field === 'person_id' ? 'kind' : field, `${who} has no main residence in ${CITY.name}`);
    }
    if (
      dateValid &&
      request.residenceType === 'main' &&
      current.main &&
      compareDates(request.moveInDate, current.main.validFrom) <= 0
    ) {
      rules.add('move_in_date', 'must be after the beginning of the current main residence');
    }
    if (newAddress) {
      if (request.residenceType === 'main' && current.main && sameAddress(current.main.address, newAddress)) {
        rules.add('new_address', `is already the main residence of ${who}`);
      }
      if (request.residenceType === 'secondary') {
        const open = [...(current.main ? [current.main] : []), ...current.secondary];
        if (open.some((r) => sameAddress(r.address, newAddress))) {
          rules.add('new_address', `is already a residence of ${who}`);
        }
      }
    }
  }

  if (rules.violations.length > 0 || !applicant || !newAddress) {
    throw new DomainError('invalid-move', 'the move breaks rules of the register', { violations: rules.violations });
  }

  const revocableUntil = revocationDeadline(now);
  const movedIn = endOfBerlinDay(request.moveInDate);
  const fromGermanMunicipality =
    request.kind === 'into-city' && previousAddress !== undefined && previousAddress.countryCode === 'DE';
  return {
    moveId: input.moveId,
    idempotencyKey: input.idempotencyKey,
    requestFingerprint: input.requestFingerprint,
    submittedBy: input.submittedBy,
    correlationId: input.correlationId,
    kind: request.kind,
    personId: request.personId,
    persons: movers.map(({ state }) => ({ personId: state.person.personId, name: state.person.name })),
    previousAddress,
    newAddress,
    moveInDate: request.moveInDate,
    residenceType: request.residenceType,
    landlordConfirmationReference: request.landlordConfirmationReference.trim(),
    followUps: normalizeFollowUps(request.followUps),
    status: 'recorded',
    lateRegistration: isLateRegistration(request.moveInDate, today),
    recordedAt: now,
    revocableUntil,
    pendingUntil: new Date(Math.max(movedIn.getTime(), revocableUntil.getTime())),
    notificationDueBy: fromGermanMunicipality ? previousOfficeNotificationDue(now) : undefined,
  };
}

function mayMoveAlong(applicant: Person, other: Person): boolean {
  const sameHousehold = applicant.householdId !== '' && applicant.householdId === other.householdId;
  return sameHousehold || applicant.minorInCarePersonIds.includes(other.personId);
}

function checkNewAddress(
  request: MoveRequest,
  directory: readonly DirectoryStreet[],
  rules: Rules,
): Address | undefined {
  if (request.kind === 'abroad') {
    const country = request.newAddress.countryCode.trim().toUpperCase();
    let ok = true;
    if (country === '' || country === CITY.countryCode) {
      rules.add('new_address.country_code', 'must be a country other than DE for a move abroad');
      ok = false;
    }
    if (request.newAddress.municipalityKey !== '') {
      rules.add('new_address.municipality_key', 'must be empty for an address abroad');
      ok = false;
    }
    if (request.residenceType !== 'main') {
      rules.add('residence_type', 'a move abroad deregisters the main residence: must be RESIDENCE_TYPE_MAIN');
    }
    return ok ? { ...request.newAddress, countryCode: country, streetKey: '', district: '' } : undefined;
  }
  const resolved = resolveCityAddress(request.newAddress, directory, 'new_address');
  if ('violations' in resolved) {
    for (const v of resolved.violations) rules.add(v.field, v.description);
    return undefined;
  }
  return resolved.address;
}

function checkPreviousAddress(
  request: MoveRequest,
  applicant: PersonState | undefined,
  rules: Rules,
): Address | undefined {
  const stated = request.previousAddress;
  if (request.kind === 'into-city') {
    if (!stated) {
      rules.add('previous_address', 'is required for a move into the city');
      return undefined;
    }
    const country = stated.countryCode.trim().toUpperCase() || CITY.countryCode;
    if (country === CITY.countryCode) {
      if (!/^\d{8}$/.test(stated.municipalityKey)) {
        rules.add(
          'previous_address.municipality_key',
          'must be the eight-digit municipality key of the previous office',
        );
      } else if (stated.municipalityKey === CITY.municipalityKey) {
        rules.add('previous_address.municipality_key', `must not be ${CITY.name}: that is a move within the city`);
      }
      if (stated.municipality.trim() === '') rules.add('previous_address.municipality', 'is required');
    } else if (stated.municipalityKey !== '') {
      rules.add('previous_address.municipality_key', 'must be empty for an address abroad');
    }
    return { ...stated, countryCode: country, streetKey: '', district: '' };
  }
  const current = applicant ? openResidences(applicant.history).main : undefined;
  if (stated && current && !sameBuilding(stated, current.address)) {
    rules.add('previous_address', 'does not match the main residence in the register');
  }
  return current?.address;
}

function normalizeFollowUps(followUps: FollowUps): FollowUps {
  const plates = [...new Set(followUps.vehiclePlates.map((p) => p.trim().toUpperCase().replace(/\s+/g, ' ')))];
  return {
    vehiclePlates: plates,
    documents: [...new Set(followUps.documents)],
    ...(followUps.appointment ? { appointment: followUps.appointment } : {}),
  };
}

/**
 * Revokes a move within its window. Revoking a revoked move changes
 * nothing (`changed: false`), so a retried revocation answers the same.
 */
export function revokeMove(move: Move, now: Date, reason: string, by: string): { move: Move; changed: boolean } {
  if (move.status === 'revoked') return { move, changed: false };
  if (now.getTime() > move.revocableUntil.getTime()) {
    throw new DomainError(
      'revocation-window-closed',
      `move ${move.moveId} could be revoked until ${move.revocableUntil.toISOString()}`,
    );
  }
  return {
    move: { ...move, status: 'revoked', revokedAt: now, revocationReason: reason.trim(), revokedBy: by },
    changed: true,
  };
}
