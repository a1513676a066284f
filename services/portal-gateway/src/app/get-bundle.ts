import { notFound } from './errors.js';
import type { BundleRepository, StoredBundle } from './ports.js';

/** One of the citizen's bundles; another citizen's bundle is "not found", like one that does not exist. */
export async function getBundle(
  deps: { readonly bundles: BundleRepository },
  query: { readonly bundleId: string; readonly personId: string },
): Promise<StoredBundle> {
  const bundle = await deps.bundles.get(query.bundleId);
  if (!bundle || bundle.ownerPersonId !== query.personId) throw notFound('request');
  return bundle;
}
