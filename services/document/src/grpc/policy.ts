import type { AuthorizationPolicy } from '@buergerservice/service-kit';

const VERIFY_ONLY = { rpcs: ['VerifyDocument', 'GetSigningKey'] };

/**
 * Who may call what when CLIENT_POLICY names no file. The portal gateway
 * serves citizens (their own documents, after its own OIDC check) and the
 * public verification page; other authorities and city systems only verify
 * documents shown to them — they never list or download anyone's papers.
 */
export const DEFAULT_CLIENT_POLICY: AuthorizationPolicy = {
  'portal-gateway': { rpcs: ['ListDocuments', 'GetDocument', 'VerifyDocument', 'GetSigningKey'] },
  registration: VERIFY_ONLY,
  vehicle: VERIFY_ONLY,
  appointment: VERIFY_ONLY,
  jobcenter: VERIFY_ONLY,
  'tax-office': VERIFY_ONLY,
  'hotline-115': VERIFY_ONLY,
};
