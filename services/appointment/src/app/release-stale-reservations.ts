import { Appointment } from '../domain/appointment.js';
import type { AppDeps } from './ports.js';
import { MAX_CONFLICT_RETRIES, processReleases } from './saga.js';

/** Appointments looked at per sweep. */
const BATCH = 100;

/**
 * Finishes what a crash or a stalled call left half-way: a reservation that
 * never got confirmed is given up (its hold released), a reschedule that
 * never completed is rolled back, releases still due are made. Runs
 * periodically; everything it does is idempotent.
 */
export async function releaseStaleReservations(deps: AppDeps): Promise<{ repaired: number }> {
  const before = new Date(deps.clock.now().getTime() - deps.settings.staleAfterMs);
  const ids = await deps.appointments.findUnfinished(before, BATCH);
  for (const id of ids) {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const stored = await deps.appointments.get(id);
      if (!stored || stored.data.updatedAt.getTime() >= before.getTime()) break;
      const appointment = Appointment.from(stored.data);
      const now = deps.clock.now();
      if (appointment.state === 'reserving') appointment.fail('stale', now);
      else if (appointment.pendingHold) appointment.abortReschedule(now);
      else break;
      if (await deps.appointments.update(appointment.snapshot, stored.version, [])) break;
    }
    await processReleases(deps, id);
  }
  if (ids.length > 0) deps.logger.info({ appointments: ids.length }, 'unfinished appointments repaired');
  return { repaired: ids.length };
}
