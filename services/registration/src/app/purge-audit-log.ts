import { auditPurgeCutoff } from '../domain/audit.js';
import type { RegistrationDeps } from './ports.js';

/** Deletes the log entries whose retention is over (see auditPurgeCutoff); returns how many. */
export async function purgeAuditLog(deps: Pick<RegistrationDeps, 'audit' | 'clock'>): Promise<number> {
  return deps.audit.purgeBefore(auditPurgeCutoff(deps.clock.now()));
}
