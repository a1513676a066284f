import type { DocumentAppDeps, DocumentRecord } from './ports.js';

export type ListDocuments = { personId: string } | { moveId: string };

/** The documents about a person, or of a move (the citizen's bundle), oldest first; metadata only. */
export async function listDocuments(
  deps: Pick<DocumentAppDeps, 'documents'>,
  query: ListDocuments,
): Promise<DocumentRecord[]> {
  const found =
    'personId' in query
      ? await deps.documents.listByPerson(query.personId)
      : await deps.documents.listByMove(query.moveId);
  return [...found].sort(
    (a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.documentId.localeCompare(b.documentId),
  );
}
