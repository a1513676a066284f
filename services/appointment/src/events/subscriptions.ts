import { type EventType, RegistrationEvents, registration } from '@buergerservice/contracts';
import type { ConsumedEventMeta, HandlerResult, Subscription } from '@buergerservice/event-bus';
import type { AppDeps } from '../app/ports.js';
import { reactToAddressChangeRevoked } from '../app/react-to-address-change-revoked.js';
import { reactToAddressChanged } from '../app/react-to-address-changed.js';
import { addressChangeRevokedCommand, addressChangedCommand } from './codec.js';

/**
 * Every event this service consumes, in one list (consumer group
 * "appointment", dead letters to "appointment.dlq"). Handlers are thin:
 * decode, map to a command, run one use case. Deduplication is the use
 * cases' own: the move's state records what was done for it, and the
 * auto-booking's id derives from the move, so a redelivered event finds its
 * work done (or half done, and finishes it).
 */
export function subscriptions(deps: AppDeps): Subscription[] {
  return [
    onValid(
      RegistrationEvents.AddressChanged,
      (event, meta) => addressChangedCommand(event, meta, { abroad: registration.MoveKind.MOVE_KIND_ABROAD }),
      async (command) => outcome(await reactToAddressChanged(deps, command)),
    ),
    onValid(
      RegistrationEvents.AddressChangeRevoked,
      (event, meta) => addressChangeRevokedCommand(event, meta),
      async (command) => {
        await reactToAddressChangeRevoked(deps, command);
        return 'applied';
      },
    ),
  ];
}

function outcome(result: Awaited<ReturnType<typeof reactToAddressChanged>>): HandlerResult {
  return result === 'duplicate' ? 'duplicate' : 'applied';
}

/**
 * Like the bus's `on`, but the content is also checked while the record is
 * prepared: an event whose bytes decode but whose content cannot be acted on
 * (no move id) is dead-lettered as malformed at once instead of being retried
 * — retrying cannot fix it.
 */
function onValid<T, C>(
  type: EventType<T>,
  toCommand: (event: T, meta: { id: string; correlationId: string }) => C,
  handle: (command: C, meta: ConsumedEventMeta) => Promise<HandlerResult>,
): Subscription {
  return {
    typeName: type.typeName,
    prepare(value) {
      const event = type.codec.decode(value);
      // Throws InvalidEventContentError for unusable content; the metadata is checked by the bus.
      toCommand(event, { id: 'check', correlationId: 'check' });
      return (meta) => handle(toCommand(event, meta), meta);
    },
  };
}
