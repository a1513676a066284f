import { normalizeStreetName } from '../domain/address.js';
import { DomainError } from '../domain/errors.js';
import { isPending, type Move, type MoveRequest, type PersonState, personIdsOf, recordMove } from '../domain/move.js';
import type { Person } from '../domain/person.js';
import type { MoveSlot, RegistrationDeps } from './ports.js';
import { fingerprint, moveIdFor } from './request-identity.js';
import { movesOfPersons } from './moves-of-persons.js';
import { historyOf } from './residences.js';
import { type Present, transmit } from './transmission.js';

export interface SubmitChangeOfAddress {
  /** The submitting client; scopes the idempotency key. */
  readonly clientId: string;
  readonly idempotencyKey: string;
  /** The bundle id; empty = the move's own id. */
  readonly correlationId: string;
  readonly request: MoveRequest;
}

export interface SubmittedMove {
  readonly move: Move;
  /** True when the same request was recorded before and this is its result again. */
  readonly replayed: boolean;
}

/**
 * A slot whose move does not exist yet may belong to a request still being
 * recorded; after this long it is taken for one that crashed in between.
 */
export const IN_FLIGHT_SLOT_MS = 30_000;

/**
 * Records a change of address (BMG §17) and its events in one write.
 * Idempotent: the same client, key and request return the recorded move;
 * the same key with another request is refused.
 */
export async function submitChangeOfAddress<R>(
  deps: RegistrationDeps,
  command: SubmitChangeOfAddress,
  present: Present<SubmittedMove, R>,
): Promise<R> {
  const submitted = await submit(deps, command);
  return transmit(
    deps,
    {
      recipient: {
        clientId: command.clientId,
        access: {
          fileReference: submitted.move.moveId,
          purpose: 'Meldevorgang (BMG §17): Antwort an den Antragsteller',
          actingUserId: '',
        },
      },
      operation: 'SubmitChangeOfAddress',
      personIds: personIdsOf(submitted.move),
      hits: 1,
    },
    submitted,
    present,
  );
}

async function submit(deps: RegistrationDeps, command: SubmitChangeOfAddress): Promise<SubmittedMove> {
  const now = deps.clock.now();
  const { request } = command;
  const moveId = moveIdFor(command.clientId, command.idempotencyKey);
  const requestFingerprint = fingerprint({ correlationId: command.correlationId, request });
  const earlier = await deps.moves.findById(moveId);
  if (earlier) return replay(earlier, requestFingerprint);

  const ids = [...new Set([request.personId, ...request.coMovingPersonIds])];
  const [people, { moves, slots }, directory] = await Promise.all([
    deps.persons.findMany(ids),
    movesOfPersons(deps, ids),
    request.kind === 'abroad' ? [] : deps.streets.sectionsNamed(normalizeStreetName(request.newAddress.street)),
  ]);
  // A twin of this request (a retry whose earlier attempt the caller gave up on) may have written the move
  // since the look-up above: it is among the persons' moves now, and judging the request against it would
  // refuse the request as a second move of the same persons.
  const twin = moves.find((other) => other.moveId === moveId);
  if (twin) return replay(twin, requestFingerprint);
  const persons = new Map<string, PersonState>(
    people.map((person) => [person.personId, { person, history: historyOf(person, moves) }]),
  );
  const pendingMoveIds = new Map<string, string>();
  for (const other of moves) {
    if (!isPending(other, now)) continue;
    for (const id of personIdsOf(other)) if (ids.includes(id)) pendingMoveIds.set(id, other.moveId);
  }

  const move = recordMove({
    moveId,
    idempotencyKey: command.idempotencyKey,
    requestFingerprint,
    submittedBy: command.clientId,
    correlationId: command.correlationId || moveId,
    request,
    persons,
    directory,
    pendingMoveIds,
    now,
  });

  await takeSlots(deps, move, slots, now);
  const moved: Person[] = move.persons.flatMap((p) => persons.get(p.personId)?.person ?? []);
  const outcome = await deps.moves.insert(move, deps.events.recorded(move, moved));
  if (outcome === 'duplicate') {
    // A concurrent copy of this request (same client and key) won the race.
    const winner = await deps.moves.findById(moveId);
    if (!winner) throw new Error(`move ${moveId} reported as duplicate but not found`);
    return replay(winner, requestFingerprint);
  }
  deps.eventsWritten?.();
  return { move, replayed: false };
}

function replay(earlier: Move, requestFingerprint: string): SubmittedMove {
  if (earlier.requestFingerprint !== requestFingerprint) {
    throw new DomainError(
      'idempotency-key-reused',
      `idempotency key already used for move ${earlier.moveId} with a different request`,
    );
  }
  return { move: earlier, replayed: true };
}

/**
 * Takes the next move slot of every person of the move (one insert each,
 * unique per person and number). A person whose latest slot belongs to a
 * move that is pending — or still being recorded — is taken: the move is
 * refused. Two concurrent attempts over one person race for the same slot
 * number and only one insert succeeds. On refusal the slots taken so far are
 * given back (marked released, so they do not block until the in-flight limit).
 */
async function takeSlots(
  deps: RegistrationDeps,
  move: Move,
  known: ReadonlyMap<string, readonly MoveSlot[]>,
  now: Date,
): Promise<void> {
  const taken: MoveSlot[] = [];
  try {
    // Sorted, so that two moves over the same persons contend for the same first person.
    for (const personId of personIdsOf(move).sort()) {
      const latest = (known.get(personId) ?? (await deps.slots.of(personId))).at(-1);
      if (latest?.moveId === move.moveId) continue; // a retry of this very request
      if (latest && (await isLive(deps, latest, now))) throw pendingMove(personId, latest.moveId);
      const slot = { personId, seq: (latest?.seq ?? 0) + 1, moveId: move.moveId, takenAt: now };
      if (await deps.slots.take(slot)) {
        taken.push(slot);
        continue;
      }
      const winner = (await deps.slots.of(personId)).at(-1);
      if (winner?.moveId !== move.moveId) throw pendingMove(personId, winner?.moveId ?? 'unknown');
    }
  } catch (error) {
    await deps.slots.giveBack(taken);
    throw error;
  }
}

function pendingMove(personId: string, moveId: string): DomainError {
  return new DomainError(
    'pending-move-exists',
    `person ${personId} has move ${moveId} pending; revoke it or wait until it is final`,
  );
}

/**
 * A slot is live while its move is pending, or — without a move yet — while
 * it may still be being recorded (not given back, not older than the
 * in-flight limit).
 */
async function isLive(deps: RegistrationDeps, slot: MoveSlot, now: Date): Promise<boolean> {
  const move = await deps.moves.findById(slot.moveId);
  if (move) return isPending(move, now) && personIdsOf(move).includes(slot.personId);
  if (now.getTime() - slot.takenAt.getTime() > IN_FLIGHT_SLOT_MS) return false;
  return !(await deps.slots.isReleased(slot));
}
