import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { HttpError } from './problem.js';

/** The signed-in citizen, from a verified bearer token. */
export interface Citizen {
  readonly personId: string;
  /** Display name from the token's standard claims, when present. */
  readonly name?: string;
}

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Claim holding the register's person id (default `sub`). */
  readonly personIdClaim: string;
  /** Where the signing keys come from: a remote JWKS, or the development issuer's local one. */
  readonly keys: JWTVerifyGetKey;
}

/** Algorithms accepted; never "none", never HMAC with a public key. */
const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Verifies OIDC bearer tokens against the issuer's JWKS: signature, issuer, audience, expiry. */
export class TokenVerifier {
  constructor(private readonly options: TokenVerifierOptions) {}

  async verify(token: string): Promise<Citizen> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 30,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) {
        throw new HttpError('unauthenticated', 'The access token is not valid.', [], {
          cause: error,
          headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        });
      }
      throw error;
    }
    const personId = payload[this.options.personIdClaim];
    if (typeof personId !== 'string' || !PERSON_ID.test(personId)) {
      throw new HttpError('unauthenticated', 'The access token names no person.', [], {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    const name = typeof payload.name === 'string' ? payload.name : undefined;
    return name ? { personId, name } : { personId };
  }
}

/**
 * A key source that finds the JWKS through OpenID discovery
 * (`${issuer}/.well-known/openid-configuration` -> `jwks_uri`) on first use,
 * unless a JWKS URL is configured. jose caches and refreshes the keys (key rotation).
 */
export function remoteKeys(issuer: string, jwksUrl: string | undefined): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    if (jwksUrl) return createRemoteJWKSet(new URL(jwksUrl));
    const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`OpenID discovery failed with ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string') throw new Error('OpenID discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(document.jwks_uri));
  };
  return async (header, token) => {
    keys ??= discover().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** Reads the bearer token of a request; throws 401 when there is none. */
export function bearerToken(req: Request): string {
  const header = req.get('authorization') ?? '';
  const match = BEARER.exec(header);
  if (!match?.[1]) {
    throw new HttpError('unauthenticated', 'Sign in first: a bearer token is required.', [], {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  return match[1];
}

const CITIZEN = Symbol('citizen');

/** Middleware: verifies the bearer token and remembers the citizen for the handlers. */
export function authenticate(verifier: TokenVerifier) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      const citizen = await verifier.verify(bearerToken(req));
      (req as Request & { [CITIZEN]?: Citizen })[CITIZEN] = citizen;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The citizen of an authenticated request (only after `authenticate`). */
export function citizenOf(req: Request): Citizen {
  const citizen = (req as Request & { [CITIZEN]?: Citizen })[CITIZEN];
  if (!citizen) throw new HttpError('unauthenticated', 'Sign in first.');
  return citizen;
}

/** The citizen when the request was authenticated, else undefined (for rate-limit keys). */
export function maybeCitizen(req: Request): Citizen | undefined {
  return (req as Request & { [CITIZEN]?: Citizen })[CITIZEN];
}
