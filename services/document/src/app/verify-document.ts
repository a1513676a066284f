import type { SignedFields } from '../domain/signing.js';
import { normalizeVerificationCode } from '../domain/verification-code.js';
import type { DocumentAppDeps } from './ports.js';

export type Verification =
  | { result: 'valid' | 'revoked'; signedFields: SignedFields; signature: string; keyId: string }
  | { result: 'unknown' };

/**
 * Checks a printed code, for a landlord, a bank or an authority: valid or
 * revoked with the signed fields (and nothing else), or unknown — for a code
 * that was never issued, a mistyped or tampered one, and also for a stored
 * document whose signature does not verify (the store was tampered with:
 * logged as an error, never vouched for).
 */
export async function verifyDocument(
  deps: Pick<DocumentAppDeps, 'documents' | 'keys' | 'logger'>,
  query: { verificationCode: string },
): Promise<Verification> {
  const code = normalizeVerificationCode(query.verificationCode);
  if (!code) return { result: 'unknown' };
  const matches = await deps.documents.findByVerificationCode(code);
  if (matches.length > 1) {
    // 80 random bits make this practically impossible; should it happen, vouch for neither.
    deps.logger.error({ documentIds: matches.map((m) => m.documentId) }, 'verification code shared by two documents');
    return { result: 'unknown' };
  }
  const [found] = matches;
  if (!found?.signedFields || !found.signature) return { result: 'unknown' };
  const check = deps.keys.check(found.keyId, found.signedFields, found.signature);
  if (check !== 'valid') {
    deps.logger.error(
      { documentId: found.documentId, keyId: found.keyId, check },
      'stored document fails signature verification; answered unknown',
    );
    return { result: 'unknown' };
  }
  return {
    result: found.status === 'revoked' ? 'revoked' : 'valid',
    signedFields: found.signedFields,
    signature: found.signature,
    keyId: found.keyId,
  };
}
