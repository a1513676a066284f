import { berlinToday } from '../domain/berlin-time.js';
import { Appointment } from '../domain/appointment.js';
import type { CatalogueIndex, Location, Service } from '../domain/catalogue.js';
import { bookingCode } from '../domain/codes.js';
import { addDays, isIsoDate } from '../domain/dates.js';
import { DomainError } from '../domain/errors.js';
import { byDistanceFrom } from '../domain/geography.js';
import { type AppointmentPreference, Move } from '../domain/move.js';
import { derivedId } from './ids.js';
import type { AppDeps } from './ports.js';
import { claimMove, failAttempt, MAX_CONFLICT_RETRIES, reserveAndConfirm } from './saga.js';
import { type FreeSlot, searchFreeSlots, toOffered } from './slot-search.js';

export interface AddressChangedCommand {
  eventId: string;
  correlationId: string;
  moveId: string;
  applicantId: string;
  personIds: string[];
  /** District of the new address; '' for addresses outside the city. */
  district: string;
  movedAbroad: boolean;
  /** Undefined when the citizen did not ask for the appointment. */
  appointment: (AppointmentPreference & { wanted: boolean }) | undefined;
}

export type AddressChangedOutcome = 'not-wanted' | 'booked' | 'offered' | 'duplicate' | 'revoked';

/** Candidate slots tried one after another when auto-booking races with other bookings. */
const AUTO_BOOK_CANDIDATES = 10;

/**
 * The reaction to a recorded move whose citizen wants the in-person ID-card
 * step: book the earliest slot at the preferred location (or at the
 * locations nearest to the new address) when automatic booking was allowed,
 * else — or when nothing is free there — offer the earliest slots near the
 * new address. Exactly once in effect: the move's state says what was done,
 * and the auto-booking's appointment id derives from the move, so a
 * redelivery continues or changes nothing.
 */
export async function reactToAddressChanged(
  deps: AppDeps,
  command: AddressChangedCommand,
): Promise<AddressChangedOutcome> {
  const preference = command.appointment;
  if (!preference?.wanted) return 'not-wanted';
  if (command.movedAbroad) {
    // The ID card of someone moving abroad is updated by the mission abroad, not by the city.
    deps.logger.info({ moveId: command.moveId }, 'appointment wanted for a move abroad: not offered');
    return 'not-wanted';
  }
  const catalogue = await deps.catalogue.current();
  const service = catalogue.service(deps.settings.moveServiceId);
  if (!service) throw new Error(`the move service ${deps.settings.moveServiceId} is not in the catalogue`);

  const move = await recordMove(deps, command, preference, service);
  if (move.status === 'revoked') return 'revoked';
  if (move.status !== 'received') return 'duplicate';
  const applicantClaim = move.claimOf(command.applicantId);
  if (applicantClaim) {
    // The citizen booked through the portal before the move reached us, or an auto-booking is under way.
    const stored = await deps.appointments.get(applicantClaim.appointmentId);
    if (stored?.data.state === 'booked') return markBooked(deps, command.moveId);
  }

  const locations = candidateLocations(catalogue, service, command.district, preference.locationId, deps);
  const fromDate = earliestDate(deps, preference.earliestDate);
  if (preference.autoBook) {
    const booked = await autoBook(deps, catalogue, command, service, locations.preferred, fromDate);
    if (booked === 'revoked') return 'revoked';
    if (booked === 'booked') return markBooked(deps, command.moveId);
  }
  const offers = await searchFreeSlots(deps, catalogue, {
    service,
    locations: locations.near,
    fromDate,
    toDate: addDays(fromDate, deps.settings.window.horizonDays),
    limit: deps.settings.offerCount,
  });
  return offer(deps, command.moveId, offers);
}

async function recordMove(
  deps: AppDeps,
  command: AddressChangedCommand,
  preference: AppointmentPreference,
  service: Service,
): Promise<Move> {
  const received = {
    id: command.moveId,
    applicantId: command.applicantId,
    personIds: command.personIds.length > 0 ? command.personIds : [command.applicantId],
    district: command.district,
    serviceId: service.id,
    preference: {
      locationId: preference.locationId,
      autoBook: preference.autoBook,
      earliestDate: preference.earliestDate,
      interpreterLanguage: preference.interpreterLanguage,
    },
    origin: { correlationId: command.correlationId, causationId: command.eventId },
  };
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.moves.get(command.moveId);
    if (!stored) {
      const move = Move.received(received, now);
      if ((await deps.moves.insert(move.snapshot, [])) === 'inserted') return move;
      continue;
    }
    const move = Move.from(stored.data);
    if (!move.absorb(received, now)) return move;
    if (await deps.moves.update(move.snapshot, stored.version, [])) return move;
  }
  throw new DomainError('concurrent-modification', 'the move changed concurrently too often');
}

function candidateLocations(
  catalogue: CatalogueIndex,
  service: Service,
  district: string,
  preferredId: string,
  deps: AppDeps,
): { preferred: Location[]; near: Location[] } {
  const near = byDistanceFrom(district, catalogue.locationsOffering(service)).slice(0, deps.settings.nearLocations);
  const preferred = preferredId === '' ? undefined : catalogue.location(preferredId);
  if (preferred && catalogue.offers(preferred, service)) return { preferred: [preferred], near };
  if (preferredId !== '') {
    deps.logger.warn({ locationId: preferredId }, 'preferred location does not offer the service: using the nearest');
  }
  return { preferred: near, near };
}

/** The citizen's earliest acceptable date, but never before tomorrow. */
function earliestDate(deps: AppDeps, wanted: string): string {
  const tomorrow = addDays(berlinToday(deps.clock.now()), 1);
  return isIsoDate(wanted) && wanted > tomorrow ? wanted : tomorrow;
}

async function autoBook(
  deps: AppDeps,
  catalogue: CatalogueIndex,
  command: AddressChangedCommand,
  service: Service,
  locations: Location[],
  fromDate: string,
): Promise<'booked' | 'not-booked' | 'revoked'> {
  const id = derivedId('move-appointment', command.moveId, command.applicantId);
  const existing = await deps.appointments.get(id);
  if (existing?.data.state === 'booked') return 'booked';
  if (existing?.data.state === 'cancelled') return 'not-booked';
  if (existing?.data.state === 'reserving') {
    const result = await reserveAndConfirm(deps, catalogue, id);
    if (result.state === 'booked') return 'booked';
  }
  const requested = command.appointment?.interpreterLanguage ?? '';
  const interpreterLanguage =
    requested !== '' && service.interpreterAvailable && deps.settings.interpreterLanguages.includes(requested)
      ? requested
      : '';
  if (requested !== '' && interpreterLanguage === '') {
    deps.logger.info(
      { moveId: command.moveId },
      'interpreter language not offered with the move service: booked without',
    );
  }
  const candidates: FreeSlot[] = await searchFreeSlots(deps, catalogue, {
    service,
    locations,
    fromDate,
    toDate: addDays(fromDate, deps.settings.window.horizonDays),
    limit: AUTO_BOOK_CANDIDATES,
  });
  for (const candidate of candidates) {
    const slot = {
      locationId: candidate.locationId,
      groupId: candidate.groupId,
      date: candidate.date,
      startMinute: candidate.startMinute,
      slotKeys: candidate.slotKeys,
      start: candidate.start,
      end: candidate.end,
    };
    const stored = await deps.appointments.get(id);
    if (!stored) {
      const appointment = Appointment.reserve(
        {
          id,
          bookingCode: bookingCode(deps.random),
          personId: command.applicantId,
          subjectId: command.applicantId,
          serviceId: service.id,
          moveId: command.moveId,
          interpreterLanguage,
          invitationCode: '',
          slot,
          origin: { correlationId: command.correlationId, causationId: command.eventId },
          request: null,
        },
        deps.clock.now(),
      );
      await deps.appointments.insert(appointment.snapshot, []);
    } else if (stored.data.state === 'failed') {
      const appointment = Appointment.from(stored.data);
      appointment.retry(slot, deps.clock.now());
      if (!(await deps.appointments.update(appointment.snapshot, stored.version, []))) continue;
    } else if (stored.data.state === 'cancelled') {
      return 'not-booked';
    }
    try {
      await claimMove(deps, {
        moveId: command.moveId,
        personId: command.applicantId,
        serviceId: service.id,
        appointmentId: id,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await failAttempt(deps, id, error.code);
      if (error.code === 'move-revoked') return 'revoked';
      // The citizen holds another appointment for this move (booked in the portal meanwhile).
      if (error.code === 'move-already-has-appointment') return 'booked';
      throw error;
    }
    const result = await reserveAndConfirm(deps, catalogue, id);
    if (result.state === 'booked') return 'booked';
    if (result.state === 'cancelled') return 'revoked';
  }
  return 'not-booked';
}

async function markBooked(deps: AppDeps, moveId: string): Promise<AddressChangedOutcome> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.moves.get(moveId);
    if (!stored) throw new Error(`move ${moveId} vanished`);
    const move = Move.from(stored.data);
    if (move.status === 'revoked') return 'revoked';
    move.markBooked(deps.clock.now());
    if (await deps.moves.update(move.snapshot, stored.version, [])) return 'booked';
  }
  throw new DomainError('concurrent-modification', 'the move changed concurrently too often');
}

async function offer(deps: AppDeps, moveId: string, slots: FreeSlot[]): Promise<AddressChangedOutcome> {
  for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
    const stored = await deps.moves.get(moveId);
    if (!stored) throw new Error(`move ${moveId} vanished`);
    const move = Move.from(stored.data);
    if (move.status === 'revoked') return 'revoked';
    if (move.status !== 'received') return 'duplicate';
    const event = move.offer(slots.map(toOffered), deps.clock.now());
    if (await deps.moves.update(move.snapshot, stored.version, [event])) return 'offered';
  }
  throw new DomainError('concurrent-modification', 'the move changed concurrently too often');
}
