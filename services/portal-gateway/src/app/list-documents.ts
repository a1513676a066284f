import type { IssuedDocument } from '../domain/authorities.js';
import type { BundleRepository, CallOptions, DocumentAuthority } from './ports.js';

/**
 * The citizen's documents: those about them, and those of the moves they
 * applied for (the confirmations of the household members they registered).
 */
export async function listDocuments(
  deps: { readonly documents: DocumentAuthority; readonly bundles: BundleRepository },
  query: { readonly personId: string },
  options: CallOptions = {},
): Promise<IssuedDocument[]> {
  const bundles = await deps.bundles.listByOwner(query.personId, 20);
  const moveIds = [...new Set(bundles.map((b) => b.facts.moveId).filter((id): id is string => Boolean(id)))];
  const lists = await Promise.all([
    deps.documents.list({ personId: query.personId }, options),
    ...moveIds.map((moveId) => deps.documents.list({ moveId }, options)),
  ]);
  const byId = new Map<string, IssuedDocument>();
  for (const document of lists.flat()) byId.set(document.documentId, document);
  return [...byId.values()].sort((a, b) => (b.issuedAt?.getTime() ?? 0) - (a.issuedAt?.getTime() ?? 0));
}
