import type { DocumentContent } from '../domain/authorities.js';
import { AppError, notFound } from './errors.js';
import type { BundleRepository, CallOptions, DocumentAuthority } from './ports.js';

/**
 * A document's content, for the person it is about or for the applicant of
 * the move it was issued for. Anyone else gets "not found".
 */
export async function downloadDocument(
  deps: { readonly documents: DocumentAuthority; readonly bundles: BundleRepository },
  query: { readonly documentId: string; readonly personId: string },
  options: CallOptions = {},
): Promise<DocumentContent> {
  let found: DocumentContent;
  try {
    found = await deps.documents.get(query.documentId, options);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') throw notFound('document');
    throw error;
  }
  const { document } = found;
  if (document.personId === query.personId) return found;
  if (document.moveId) {
    const bundle = await deps.bundles.findByMoveId(document.moveId);
    if (bundle && bundle.ownerPersonId === query.personId) return found;
  }
  throw notFound('document');
}
