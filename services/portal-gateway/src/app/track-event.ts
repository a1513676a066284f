import { newBundle, withEvent } from '../domain/tracker/bundle.js';
import type { TrackerEvent } from '../domain/tracker/events.js';
import type { BundleListener, BundleRepository, Clock } from './ports.js';

export type TrackOutcome = 'recorded' | 'duplicate' | 'ignored';

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
 * Records an authority's event for the bundle it belongs to, once.
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
export async function trackEvent(deps: TrackEventDeps, command: TrackEventCommand): Promise<TrackOutcome> {
  const { correlationId, event } = command;
  if (!correlationId) return 'ignored';
  let current = await deps.bundles.get(correlationId);
  if (!current && event.moveId) current = await deps.bundles.findByMoveId(event.moveId);
  if (!current && !event.moveId) return 'ignored';
  const bundleId = current?.bundleId ?? correlationId;
  const outcome = await deps.bundles.recordEvent(bundleId, event);
  if (outcome === 'duplicate') return 'duplicate';
  // For the live stream and metrics; a concurrent event of another partition is picked up by the stream's re-read.
  deps.listener.bundleChanged(current, withEvent(current ?? newBundle(bundleId, deps.clock.now()), event));
  return 'recorded';
}
