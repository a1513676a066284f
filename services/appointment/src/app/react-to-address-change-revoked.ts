import { Appointment } from '../domain/appointment.js';
import { DomainError } from '../domain/errors.js';
import { Move } from '../domain/move.js';
import type { AppDeps } from './ports.js';
import { MAX_CONFLICT_RETRIES, processReleases } from './saga.js';

export interface AddressChangeRevokedCommand {
  eventId: string;
  correlationId: string;
  moveId: string;
  applicantId: string;
  personIds: string[];
}

/**
 * Compensation: a revoked move's appointments are cancelled
 * (AppointmentCancelled, reason "move-revoked") and their capacity freed.
 * The move stays revoked, so an AddressChanged arriving after this (a
 * redelivery or replay) books nothing. Idempotent.
 */
export async function reactToAddressChangeRevoked(
  deps: AppDeps,
  command: AddressChangeRevokedCommand,
): Promise<{ cancelled: number }> {
  const appointmentIds = await revokeMove(deps, command);
  const cause = { correlationId: command.correlationId, causationId: command.eventId };
  let cancelled = 0;
  for (const id of appointmentIds) {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const stored = await deps.appointments.get(id);
      if (!stored) break;
      const appointment = Appointment.from(stored.data);
      const events = appointment.cancel('move-revoked', deps.clock.now(), cause);
      if (appointment.state === stored.data.state) break;
      if (await deps.appointments.update(appointment.snapshot, stored.version, events)) {
        cancelled += events.length;
        break;
      }
    }
    await processReleases(deps, id);
  }
  return { cancelled };
}

async function revokeMove(deps: AppDeps, command: AddressChangeRevokedCommand): Promise<string[]> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.moves.get(command.moveId);
    if (!stored) {
      const move = Move.revokedBeforeReceived(command.moveId, command.applicantId, command.personIds, now);
      if ((await deps.moves.insert(move.snapshot, [])) === 'inserted') return [];
      continue;
    }
    const move = Move.from(stored.data);
    const wasRevoked = move.status === 'revoked';
    const ids = move.revoke(now);
    if (wasRevoked || (await deps.moves.update(move.snapshot, stored.version, []))) return ids;
  }
  throw new DomainError('concurrent-modification', 'the move changed concurrently too often');
}
