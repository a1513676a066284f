import type { registration } from '@buergerservice/contracts';
import type { ConsumedEventMeta, HandlerResult } from '@buergerservice/event-bus';
import type { Logger } from '@buergerservice/telemetry';
import type { VehicleAppDeps } from '../app/ports.js';
import { revokeHolderAddressUpdates } from '../app/revoke-holder-address-updates.js';
import { updateHolderAddresses } from '../app/update-holder-addresses.js';
import { moveNoticeFrom } from './codec.js';

/** What the event handlers need: the use cases' dependencies, a logger, and a way to wake the outbox relay. */
export interface EventHandlerDeps {
  readonly app: VehicleAppDeps;
  readonly logger: Logger;
  /** Called after a reaction wrote events to the outbox, so the relay publishes them without waiting for its poll. */
  readonly outboxWritten: () => void;
}

/**
 * AddressChanged -> update the holder addresses of the plates the citizen
 * named. Thin: decode (done by the subscription), one use case, log ids only
 * (no addresses, no plates: plates identify a holder).
 */
export async function onAddressChanged(
  deps: EventHandlerDeps,
  event: registration.AddressChanged,
  meta: ConsumedEventMeta,
): Promise<HandlerResult> {
  const result = await updateHolderAddresses(deps.app, {
    move: moveNoticeFrom(event, meta.time),
    eventId: meta.id,
    correlationId: meta.correlationId,
  });
  const written = result.updated.length + result.rejected.length + result.compensated.length;
  if (written > 0) deps.outboxWritten();
  deps.logger.info(
    {
      eventId: meta.id,
      moveId: event.moveId,
      correlationId: meta.correlationId,
      updated: result.updated.length,
      rejected: result.rejected.map((r) => r.reason),
      alreadyHandled: result.alreadyHandled.length,
      revokedBefore: result.revokedBefore,
      compensated: result.compensated.length,
    },
    'holder addresses updated after a move',
  );
  return written === 0 && (result.alreadyHandled.length > 0 || result.revokedBefore) ? 'duplicate' : 'applied';
}

/** AddressChangeRevoked -> restore what the move changed. */
export async function onAddressChangeRevoked(
  deps: EventHandlerDeps,
  event: registration.AddressChangeRevoked,
  meta: ConsumedEventMeta,
): Promise<HandlerResult> {
  const result = await revokeHolderAddressUpdates(deps.app, {
    moveId: event.moveId,
    applicantId: event.personId,
    eventId: meta.id,
    correlationId: meta.correlationId,
  });
  if (result.restored.length > 0) deps.outboxWritten();
  deps.logger.info(
    { eventId: meta.id, moveId: event.moveId, correlationId: meta.correlationId, restored: result.restored.length },
    'holder addresses restored after a revoked move',
  );
  return 'applied';
}
