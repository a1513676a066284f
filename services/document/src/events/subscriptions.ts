import type { ConsumedEventMeta, Subscription } from '@buergerservice/event-bus';
import {
  AppointmentEvents,
  type EventType,
  RegistrationEvents,
  Topics,
  VehicleEvents,
} from '@buergerservice/contracts';
import type { ReactionOutcome } from '../app/outcome.js';
import type { DocumentAppDeps } from '../app/ports.js';
import { recordAddressChange } from '../app/record-address-change.js';
import { recordAppointmentBooking } from '../app/record-appointment-booking.js';
import { recordMoveRevocation } from '../app/record-move-revocation.js';
import { recordVehicleHolderRestoration } from '../app/record-vehicle-holder-restoration.js';
import { recordVehicleHolderUpdate } from '../app/record-vehicle-holder-update.js';
import type { Cause } from '../domain/document.js';
import {
  addressChangedFact,
  addressChangeRevokedFact,
  bookingFact,
  vehicleRestorationFact,
  vehicleUpdateFact,
} from './codec.js';

/** The consumer group and the topics it reads. */
export const CONSUMER_GROUP = 'document';
export const CONSUMED_TOPICS = [Topics.registration, Topics.vehicle, Topics.appointment] as const;

/** The triggering event: its id becomes the causation id of what it causes, its correlation id is kept. */
const causeOf = (meta: ConsumedEventMeta): Cause => ({ eventId: meta.id, correlationId: meta.correlationId });

/** "duplicate" is counted as such by the consumer; anything else as success. */
const report = (outcome: ReactionOutcome) => (outcome === 'duplicate' ? ('duplicate' as const) : undefined);

/**
 * Like the bus's `on`, but also checks the decoded payload while preparing:
 * `prepare` throwing means "malformed", which the consumer dead-letters at
 * once instead of retrying a handler that can never succeed.
 */
function onChecked<T, C>(
  type: EventType<T>,
  check: (payload: T) => C,
  handle: (checked: C, meta: ConsumedEventMeta) => Promise<unknown>,
): Subscription {
  return {
    typeName: type.typeName,
    prepare(value) {
      const checked = check(type.codec.decode(value));
      return (meta) => handle(checked, meta);
    },
  };
}

/** Every subscription of the service, in one flat list: decode + check -> one use case. */
export function subscriptions(deps: DocumentAppDeps): Subscription[] {
  return [
    onChecked(RegistrationEvents.AddressChanged, addressChangedFact, async ({ moveId, fact }, meta) =>
      report(await recordAddressChange(deps, { moveId, fact: fact(causeOf(meta)) })),
    ),
    onChecked(RegistrationEvents.AddressChangeRevoked, addressChangeRevokedFact, async ({ moveId, fact }, meta) =>
      report(await recordMoveRevocation(deps, { moveId, cause: fact(causeOf(meta)) })),
    ),
    onChecked(VehicleEvents.VehicleHolderAddressUpdated, vehicleUpdateFact, async ({ moveId, fact }, meta) =>
      report(await recordVehicleHolderUpdate(deps, { moveId, fact: fact(causeOf(meta)) })),
    ),
    onChecked(VehicleEvents.VehicleHolderAddressRestored, vehicleRestorationFact, async ({ moveId, fact }, meta) =>
      report(await recordVehicleHolderRestoration(deps, { moveId, fact: fact(causeOf(meta)) })),
    ),
    onChecked(AppointmentEvents.AppointmentBooked, bookingFact, async ({ moveId, fact }, meta) =>
      report(await recordAppointmentBooking(deps, { moveId, fact: fact(causeOf(meta)) })),
    ),
  ];
}
