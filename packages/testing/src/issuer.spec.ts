import { createPublicKey, verify } from 'node:crypto';
import { DrillIssuer } from './issuer.js';

describe('DrillIssuer', () => {
  it('signs ES256 tokens that verify with the key it publishes', async () => {
    const issuer = await DrillIssuer.start();
    try {
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
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    } finally {
      await issuer.stop();
    }
  });
});
