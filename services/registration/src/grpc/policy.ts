import type { AuthorizationPolicy } from '@buergerservice/service-kit';

/**
 * Who may call what, and receive which fields (BMG: each body only the data
 * it needs for its task). Overridable with CLIENT_POLICY (a JSON file of the
 * same shape). Clients not listed are refused.
 *
 * - portal-gateway acts for the signed-in citizen: their moves, and of their
 *   person record only name and residences — not birth date, nationality
 *   or religion, which the portal does not show;
 * - vehicle (Kfz-Zulassung) needs the holder's address: the main residence's address only;
 * - jobcenter needs the main residence and since when (local jurisdiction);
 * - supervisor (data-protection supervision) reads the transmission log.
 */
export const defaultClientPolicy: AuthorizationPolicy = {
  'portal-gateway': {
    rpcs: ['SubmitChangeOfAddress', 'RevokeChangeOfAddress', 'GetMove', 'ListMoves', 'GetPerson', 'ListAuditEntries'],
    fields: {
      GetPerson: ['person.person_id', 'person.name', 'person.main_residence', 'person.secondary_residences'],
    },
  },
  vehicle: {
    rpcs: ['GetResidence'],
    fields: { GetResidence: ['main_residence.address'] },
  },
  jobcenter: {
    rpcs: ['GetResidence'],
    fields: { GetResidence: ['main_residence.address', 'main_residence.type', 'main_residence.valid_from'] },
  },
  supervisor: { rpcs: ['ListAuditEntries'] },
};

/** Which filters of ListAuditEntries a client may use: by person (citizen's access log) or by recipient. */
export type AuditQueryScope = 'person' | 'recipient';
export type AuditQueryScopes = Readonly<Record<string, readonly AuditQueryScope[]>>;

export const defaultAuditQueryScopes: AuditQueryScopes = {
  'portal-gateway': ['person'],
  supervisor: ['recipient'],
};

/** Parses "portal-gateway=person,supervisor=recipient+person". */
export function parseAuditQueryScopes(value: string): AuditQueryScopes {
  const scopes: Record<string, AuditQueryScope[]> = {};
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const [client, list] = item.split('=');
    if (!client || !list) throw new Error(`"${item}" is not client=scope[+scope]`);
    scopes[client.trim()] = list.split('+').map((scope) => {
      const trimmed = scope.trim();
      if (trimmed !== 'person' && trimmed !== 'recipient') throw new Error(`"${trimmed}" is not person or recipient`);
      return trimmed;
    });
  }
  return scopes;
}
