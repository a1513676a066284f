import {
  AppointmentEvents,
  DocumentEvents,
  RegistrationEvents,
  Topics,
  VehicleEvents,
} from '@buergerservice/contracts';
import { type ConsumedEventMeta, type HandlerResult, on, type Subscription } from '@buergerservice/event-bus';
import type { Logger } from '@buergerservice/telemetry';
import type { TrackEventDeps } from '../app/track-event.js';
import { trackEvent } from '../app/track-event.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import * as translate from './translate.js';

/** The tracker reads every authority's topic. */
export const TRACKED_TOPICS = [Topics.registration, Topics.vehicle, Topics.appointment, Topics.document] as const;

/**
 * Decode (done by the bus) -> translate -> one use case. Events without a
 * correlation id are not tracked; the bus dedupes nothing itself, the use
 * case applies each event id once.
 */
function tracked<T>(
  deps: TrackEventDeps,
  logger: Logger,
  toTrackerEvent: (payload: T, meta: ConsumedEventMeta) => TrackerEvent | undefined,
) {
  return async (payload: T, meta: ConsumedEventMeta): Promise<HandlerResult> => {
    const event = meta.correlationId ? toTrackerEvent(payload, meta) : undefined;
    if (!event) {
      logger.debug({ eventId: meta.id, eventType: meta.type }, 'event not tracked: no correlation id or unknown kind');
      return 'not-found';
    }
    const outcome = await trackEvent(deps, { correlationId: meta.correlationId, event });
    if (outcome === 'ignored') {
      logger.debug(
        { eventId: meta.id, eventType: meta.type, correlationId: meta.correlationId },
        'event of no bundle; ignored',
      );
      return 'not-found';
    }
    return outcome === 'duplicate' ? 'duplicate' : 'inserted';
  };
}

/** Every subscription of the gateway, in one list. */
export function subscriptions(deps: TrackEventDeps, logger: Logger): Subscription[] {
  return [
    on(RegistrationEvents.AddressChanged, tracked(deps, logger, translate.fromAddressChanged)),
    on(RegistrationEvents.AddressChangeRevoked, tracked(deps, logger, translate.fromAddressChangeRevoked)),
    on(VehicleEvents.VehicleHolderAddressUpdated, tracked(deps, logger, translate.fromVehicleUpdated)),
    on(VehicleEvents.VehicleHolderAddressUpdateRejected, tracked(deps, logger, translate.fromVehicleRejected)),
    on(VehicleEvents.VehicleHolderAddressRestored, tracked(deps, logger, translate.fromVehicleRestored)),
    on(AppointmentEvents.AppointmentBooked, tracked(deps, logger, translate.fromAppointmentBooked)),
    on(AppointmentEvents.AppointmentOffered, tracked(deps, logger, translate.fromAppointmentOffered)),
    on(AppointmentEvents.AppointmentCancelled, tracked(deps, logger, translate.fromAppointmentCancelled)),
    on(AppointmentEvents.AppointmentRescheduled, tracked(deps, logger, translate.fromAppointmentRescheduled)),
    on(DocumentEvents.DocumentIssued, tracked(deps, logger, translate.fromDocumentIssued)),
    on(DocumentEvents.DocumentRevoked, tracked(deps, logger, translate.fromDocumentRevoked)),
  ];
}
