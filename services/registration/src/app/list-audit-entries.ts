import type { AuditEntry } from '../domain/audit.js';
import type { AuditCursor, AuditQuery, RegistrationDeps } from './ports.js';

/**
 * Reads the transmission log, by person (the citizen's own access log) or
 * by recipient (for the supervisory authority). Reading the log is not
 * itself logged: it holds no registration data beyond person ids, and a
 * citizen's access log would otherwise grow with every look at it.
 */
export async function listAuditEntries(
  deps: Pick<RegistrationDeps, 'audit'>,
  query: AuditQuery,
): Promise<{ entries: AuditEntry[]; next?: AuditCursor | undefined }> {
  return deps.audit.list(query);
}
