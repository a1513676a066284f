import { DomainError } from '../domain/errors.js';
import type { DocumentAppDeps, DocumentWithContent } from './ports.js';

/** One document with its content (the PDF). */
export async function getDocument(
  deps: Pick<DocumentAppDeps, 'documents'>,
  query: { documentId: string },
): Promise<DocumentWithContent> {
  const found = await deps.documents.get(query.documentId);
  if (!found) throw new DomainError('document-not-found', 'document not found', 'document_id');
  return found;
}
