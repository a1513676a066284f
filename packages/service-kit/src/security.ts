import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';
import { type ChannelCredentials, credentials, type Metadata, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from '@buergerservice/telemetry';

/**
 * Transport security. In production every server and client uses mutual TLS
 * with certificates from the city's CA; a server requires a client
 * certificate signed by that CA. Plaintext exists for local development only
 * and must be chosen explicitly (`{ insecure: true }`).
 */

/** PEM files: the CA that signs the peers' certificates, and this process's own certificate and key. */
export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Where a client's identity is read from its certificate: the subject's
 * common name (default), or the first URI / DNS subject alternative name
 * (e.g. a SPIFFE id `spiffe://leipzig.de/ns/jobcenter/sa/api`).
 */
export type IdentitySource = 'subject-cn' | 'san-uri' | 'san-dns';

export type ServerSecurity =
  | { readonly tls: TlsFiles; readonly identity?: IdentitySource | undefined }
  | {
      /** Plaintext; the client names itself in the `x-client-id` header. Local development only. */
      readonly insecure: true;
    };

export type ClientSecurity =
  | {
      readonly tls: TlsFiles;
      /** Name to expect in the server's certificate when it differs from the address's host. */
      readonly serverNameOverride?: string | undefined;
    }
  | {
      /** Plaintext, sending `clientId` as `x-client-id`. Local development only. */
      readonly insecure: true;
      readonly clientId: string;
    };

/** Metadata header naming the client on plaintext connections (ignored under TLS, where it could be forged). */
export const CLIENT_ID_HEADER = 'x-client-id';

export function serverCredentials(security: ServerSecurity, logger: Logger): ServerCredentials {
  if ('insecure' in security) {
    logger.warn(
      'gRPC server runs WITHOUT TLS: plaintext, client identity taken from the x-client-id header. Never use this outside local development.',
    );
    return ServerCredentials.createInsecure();
  }
  const { caFile, certFile, keyFile } = security.tls;
  return ServerCredentials.createSsl(
    readFileSync(caFile),
    [{ cert_chain: readFileSync(certFile), private_key: readFileSync(keyFile) }],
    true,
  );
}

export function channelCredentials(security: ClientSecurity, logger: Logger): ChannelCredentials {
  if ('insecure' in security) {
    logger.warn(
      { clientId: security.clientId },
      'gRPC client connects WITHOUT TLS. Never use this outside local development.',
    );
    return credentials.createInsecure();
  }
  const { caFile, certFile, keyFile } = security.tls;
  return credentials.createSsl(readFileSync(caFile), readFileSync(keyFile), readFileSync(certFile));
}

/** What the server knows about the caller's connection. */
export interface PeerInfo {
  readonly certificate: PeerCertificate | undefined;
  readonly metadata: Metadata;
}

/**
 * The authenticated client identity of a call, or undefined when there is
 * none. Under TLS only the verified certificate counts; on plaintext the
 * `x-client-id` header.
 */
export function clientIdentity(security: ServerSecurity, peer: PeerInfo): string | undefined {
  if ('insecure' in security) {
    const [value] = peer.metadata.get(CLIENT_ID_HEADER);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  const cert = peer.certificate;
  if (!cert || Object.keys(cert).length === 0) return undefined;
  return identityFromCertificate(cert, security.identity ?? 'subject-cn');
}

export function identityFromCertificate(cert: PeerCertificate, source: IdentitySource): string | undefined {
  if (source === 'subject-cn') {
    // node types CN as string, but a subject with several CNs yields an array
    const cn: unknown = cert.subject?.CN;
    const value = Array.isArray(cn) ? cn[0] : cn;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  const prefix = source === 'san-uri' ? 'URI:' : 'DNS:';
  const entry = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim())
    .find((s) => s.startsWith(prefix));
  return entry === undefined ? undefined : entry.slice(prefix.length);
}
