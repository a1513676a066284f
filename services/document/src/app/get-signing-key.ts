import { SIGNATURE_ALGORITHM } from '../domain/signing.js';
import type { DocumentAppDeps } from './ports.js';

export interface PublishedKey {
  keyId: string;
  algorithm: string;
  publicKeyPem: string;
}

/** The public half of the current signing key, for verifiers who check signatures themselves. */
export function getSigningKey(deps: Pick<DocumentAppDeps, 'keys'>): PublishedKey {
  const key = deps.keys.current;
  return { keyId: key.keyId, algorithm: SIGNATURE_ALGORITHM, publicKeyPem: key.publicKeyPem };
}
