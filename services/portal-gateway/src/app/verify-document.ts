import type { Verification } from '../domain/authorities.js';
import type { CallOptions, DocumentAuthority } from './ports.js';

/** Public check of a document by the code printed on it. */
export async function verifyDocument(
  deps: { readonly documents: DocumentAuthority },
  query: { readonly code: string },
  options: CallOptions = {},
): Promise<Verification> {
  return deps.documents.verify(query.code, options);
}
