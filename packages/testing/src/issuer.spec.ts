import { createPublicKey, verify } from 'node:crypto';
import { TestIssuer } from './issuer.js';

describe('TestIssuer', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(async () => {
    await issuer.stop();
  });

  it('signs ES256 tokens that verify with the key it publishes', async () => {
    const token = await issuer.token('P0000042', 60);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, string>[] };
    const key = createPublicKey({ key: jwks.keys[0] as Record<string, string> & { kty: string }, format: 'jwk' });
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    expect(ok).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'P0000042', iss: issuer.issuer, aud: 'buergerservice-portal' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(60);
    const protectedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: jwks.keys[0]?.kid });
  });

  it('is a different token each time (its own jti)', async () => {
    expect(await issuer.token('P0000042')).not.toBe(await issuer.token('P0000042'));
  });

  it('serves its discovery document on loopback and hands the gateway its environment', async () => {
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUrl });
    expect((await fetch(`${issuer.issuer}/other`)).status).toBe(404);
    expect(issuer.gatewayEnv()).toEqual({
      DEV_ISSUER_ENABLED: 'false',
      OIDC_ISSUER: issuer.issuer,
      OIDC_JWKS_URL: issuer.jwksUrl,
      OIDC_AUDIENCE: 'buergerservice-portal',
    });
  });
});
