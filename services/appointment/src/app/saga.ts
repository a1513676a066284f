import { Appointment, type HoldRef } from '../domain/appointment.js';
import type { CatalogueIndex } from '../domain/catalogue.js';
import { DomainError } from '../domain/errors.js';
import { checkInvitation, useInvitation } from '../domain/invitation.js';
import { Move } from '../domain/move.js';
import { daySlotsFor } from '../domain/slots.js';
import type { AppDeps } from './ports.js';

/**
 * The steps booking, cancelling, rescheduling and the move reactions share.
 * Each step is idempotent and re-reads what it changes, so a retried call or
 * a redelivered event continues where a crash stopped.
 */

/** Optimistic-concurrency retries before a step gives up (contention on one document is short-lived). */
export const MAX_CONFLICT_RETRIES = 8;

function conflict(what: string): DomainError {
  return new DomainError('concurrent-modification', `${what} changed concurrently too often; try again`);
}

/**
 * Holds the capacity of a reserving appointment and confirms it (raising
 * AppointmentBooked in the same write), or records that the slot was full.
 * Returns the appointment in its resulting state.
 */
export async function reserveAndConfirm(deps: AppDeps, catalogue: CatalogueIndex, id: string): Promise<Appointment> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.appointments.get(id);
    if (!stored) throw new DomainError('appointment-not-found', 'appointment not found');
    const appointment = Appointment.from(stored.data);
    if (appointment.state !== 'reserving') {
      await processReleases(deps, id);
      return appointment;
    }
    const { slot, serviceId } = appointment.snapshot;
    const location = catalogue.location(slot.locationId);
    const service = catalogue.service(serviceId);
    const daySlots =
      location && service ? daySlotsFor(location, service, slot.date, catalogue.catalogue.cityClosures) : [];
    const hold = appointment.hold;
    const outcome = daySlots.length > 0 ? await deps.capacity.hold(daySlots, hold) : 'full';
    const now = deps.clock.now();
    if (outcome === 'full') {
      appointment.fail('slot-full', now);
      if (await deps.appointments.update(appointment.snapshot, stored.version, [])) {
        await processReleases(deps, id);
        return appointment;
      }
      continue;
    }
    const booked = appointment.confirm(now);
    if (await deps.appointments.update(appointment.snapshot, stored.version, [booked])) return appointment;
    // Someone else changed it meanwhile. If the hold taken just now is no
    // longer the appointment's own (it was cancelled, given up or retried
    // under a new key), it is ours to give back: the other side may have
    // released it before it existed. If it is (a concurrent retry of the same
    // request confirmed it), it must stay.
    const after = await deps.appointments.get(id);
    if (after && !holdsKey(Appointment.from(after.data), hold.key)) await deps.capacity.release(hold);
  }
  throw conflict('the appointment');
}

/** Whether the key is the appointment's live hold (its current slot while reserving or booked, or a reschedule's). */
function holdsKey(appointment: Appointment, key: string): boolean {
  return (appointment.isLive && appointment.hold.key === key) || appointment.pendingHold?.key === key;
}

/** Gives back every hold the appointment lists as to be released, then forgets them. */
export async function processReleases(deps: AppDeps, id: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.appointments.get(id);
    if (!stored || stored.data.releases.length === 0) return;
    const releases: HoldRef[] = stored.data.releases;
    for (const hold of releases) await deps.capacity.release(hold);
    const appointment = Appointment.from(stored.data);
    appointment.released(
      releases.map((r) => r.key),
      deps.clock.now(),
    );
    if (await deps.appointments.update(appointment.snapshot, stored.version, [])) return;
  }
  // The releases happened; only forgetting them lost the race. The sweeper tries again.
}

/**
 * Whether an appointment still counts for a claim (on a move or an
 * invitation): reserving or booked. A claim by an appointment that does not
 * exist counts only while it is fresh (its booking may be under way).
 */
export async function claimIsLive(
  deps: AppDeps,
  claim: { appointmentId: string; at: Date },
  now: Date,
): Promise<boolean> {
  const stored = await deps.appointments.get(claim.appointmentId);
  if (stored) return Appointment.from(stored.data).isLive;
  return now.getTime() - claim.at.getTime() < deps.settings.staleAfterMs;
}

/** Records the appointment as the person's appointment for a move (creating the move if it is not known yet). */
export async function claimMove(
  deps: AppDeps,
  claim: { moveId: string; personId: string; serviceId: string; appointmentId: string },
): Promise<Move> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.moves.get(claim.moveId);
    if (!stored) {
      const move = Move.bookedBeforeReceived(claim.moveId, claim.personId, claim.serviceId, now);
      move.claim(claim.personId, claim.appointmentId, false, now);
      if ((await deps.moves.insert(move.snapshot, [])) === 'inserted') return move;
      continue;
    }
    const move = Move.from(stored.data);
    if (move.snapshot.known && move.snapshot.serviceId !== claim.serviceId) {
      throw new DomainError(
        'wrong-service-for-move',
        `the appointment for a move is for service ${move.snapshot.serviceId}`,
        'service_id',
      );
    }
    const current = move.claimOf(claim.personId);
    const live =
      current !== undefined && current.appointmentId !== claim.appointmentId
        ? await claimIsLive(deps, current, now)
        : false;
    if (!move.claim(claim.personId, claim.appointmentId, live, now)) return move;
    if (await deps.moves.update(move.snapshot, stored.version, [])) return move;
  }
  throw conflict('the move');
}

/** Marks an invitation as used by the appointment, after checking it admits the person to the service on that date. */
export async function claimInvitation(
  deps: AppDeps,
  claim: { code: string; personId: string; serviceId: string; date: string; appointmentId: string },
): Promise<void> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.invitations.get(claim.code);
    const invitation = checkInvitation(stored?.data, claim);
    const current = invitation.usedBy;
    if (current?.appointmentId === claim.appointmentId) return;
    if (current && (await claimIsLive(deps, current, now))) {
      throw new DomainError('invitation-used', 'the invitation has already been used for a booking', 'invitation_code');
    }
    if (
      stored &&
      (await deps.invitations.update(useInvitation(invitation, claim.appointmentId, now), stored.version, []))
    ) {
      return;
    }
  }
  throw conflict('the invitation');
}

/** Records that an attempt did not go through (a claim was refused), so its hold-to-be is never taken. */
export async function failAttempt(deps: AppDeps, id: string, reason: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.appointments.get(id);
    if (stored?.data.state !== 'reserving') return;
    const appointment = Appointment.from(stored.data);
    appointment.fail(reason, deps.clock.now());
    if (await deps.appointments.update(appointment.snapshot, stored.version, [])) {
      await processReleases(deps, id);
      return;
    }
  }
}
