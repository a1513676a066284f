import { type EventType, RegistrationEvents } from '@buergerservice/contracts';
import type { ConsumedEventMeta, Subscription } from '@buergerservice/event-bus';
import { checkAddressChanged, checkAddressChangeRevoked } from './codec.js';
import { type EventHandlerDeps, onAddressChanged, onAddressChangeRevoked } from './handlers.js';

/**
 * Like the bus's `on()`, plus a check of the decoded payload in the decoding
 * step: an event the reaction cannot act on (no move id, no person id) is
 * dead-lettered at once as malformed, instead of failing the handler five
 * times first — retrying cannot repair it.
 */
function checked<T>(
  type: EventType<T>,
  check: (payload: T) => void,
  handler: (payload: T, meta: ConsumedEventMeta) => Promise<unknown>,
): Subscription {
  return {
    typeName: type.typeName,
    prepare(value) {
      const payload = type.codec.decode(value);
      check(payload);
      return (meta) => handler(payload, meta);
    },
  };
}

/** Every subscription of the vehicle service (consumer group `vehicle`, dead letters to `vehicle.dlq`). */
export function vehicleSubscriptions(deps: EventHandlerDeps): Subscription[] {
  return [
    checked(RegistrationEvents.AddressChanged, checkAddressChanged, (event, meta) =>
      onAddressChanged(deps, event, meta),
    ),
    checked(RegistrationEvents.AddressChangeRevoked, checkAddressChangeRevoked, (event, meta) =>
      onAddressChangeRevoked(deps, event, meta),
    ),
  ];
}
