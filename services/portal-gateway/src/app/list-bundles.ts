import type { BundleRepository, StoredBundle } from './ports.js';

/** The citizen's bundles, newest first. */
export async function listBundles(
  deps: { readonly bundles: BundleRepository },
  query: { readonly personId: string; readonly limit?: number },
): Promise<StoredBundle[]> {
  return deps.bundles.listByOwner(query.personId, query.limit ?? 50);
}
