import { newBundle, withEvent } from '../domain/tracker/bundle.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import type { BundleListener, BundleRepository, Clock, ModifyOutcome, ModifyResult } from './ports.js';

export interface TrackEventDeps {
  readonly bundles: BundleRepository;
  readonly clock: Clock;
  readonly listener: BundleListener;
}

export interface TrackEventCommand {
  /** `ce_correlationid`: the bundle. */
  readonly correlationId: string;
  readonly event: TrackerEvent;
}

/**
 * Applies an authority's event to the bundle it belongs to, once.
 *
 * The bundle is found by correlation id, else by move id (an authority may
 * start a new correlation for a command the gateway sent on the bundle's
 * behalf, e.g. booking an offered slot). An event naming neither a known
 * bundle nor a move (a stand-alone booking, a vehicle registration, another
 * system's process) is ignored. An event naming a move the gateway does not
 * know yet starts the bundle: events of four topics arrive in any order, and
 * when the read model is rebuilt from the topics a vehicle's or a document's
 * event may come before the AddressChanged that names the bundle's owner.
 * Such a bundle stays invisible to citizens until it has an owner.
 */
export async function trackEvent(deps: TrackEventDeps, command: TrackEventCommand): Promise<ModifyOutcome> {
  const { correlationId, event } = command;
  if (!correlationId) return 'ignored';
  // The common case in one read and one write: the bundle exists under its correlation id.
  const known = await deps.bundles.modify(
    correlationId,
    (current) => (current ? withEvent(current, event) : undefined),
    event.eventId,
  );
  if (known.outcome !== 'ignored') return notify(deps, known);
  if (!event.moveId) return 'ignored';
  const target = (await deps.bundles.findByMoveId(event.moveId))?.bundleId ?? correlationId;
  const result = await deps.bundles.modify(
    target,
    (current) => withEvent(current ?? newBundle(target, deps.clock.now()), event),
    event.eventId,
  );
  return notify(deps, result);
}

function notify(deps: TrackEventDeps, result: ModifyResult): ModifyOutcome {
  if (result.outcome === 'applied' && result.after) deps.listener.bundleChanged(result.before, result.after);
  return result.outcome;
}
