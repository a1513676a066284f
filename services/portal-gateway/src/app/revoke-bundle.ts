import { AppError } from './errors.js';
import { getBundle } from './get-bundle.js';
import type { BundleRepository, CallOptions, RegistrationAuthority, StoredBundle } from './ports.js';

/**
 * Revokes the move of a bundle. The registration office decides (the window
 * may have closed) and publishes AddressChangeRevoked; every authority then
 * undoes its step, which the tracker shows as the events arrive.
 */
export async function revokeBundle(
  deps: { readonly bundles: BundleRepository; readonly registration: RegistrationAuthority },
  command: { readonly bundleId: string; readonly personId: string; readonly reason: string },
  options: CallOptions = {},
): Promise<StoredBundle> {
  const bundle = await getBundle(deps, command);
  const moveId = bundle.facts.moveId;
  if (!moveId) throw new AppError('precondition-failed', 'the move has not been recorded yet; try again shortly');
  if (bundle.facts.revocation) return bundle;
  await deps.registration.revokeChangeOfAddress(
    { moveId, personId: command.personId, reason: command.reason },
    options,
  );
  return (await deps.bundles.get(command.bundleId)) ?? bundle;
}
