import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { TokenVerifier } from './auth.js';
import { DEV_ISSUER, DevIssuer } from './dev-issuer.js';
import { HttpError } from './problem.js';

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  return { privateKey, jwk };
}

describe('bearer token verification', () => {
  const issuer = 'https://id.bund.example/realms/bundid';
  const audience = 'buergerservice-portal';
  let signer: Awaited<ReturnType<typeof keyPair>>;
  let other: Awaited<ReturnType<typeof keyPair>>;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    signer = await keyPair('k1');
    other = await keyPair('k2');
    verifier = new TokenVerifier({
      issuer,
      audience,
      personIdClaim: 'sub',
      keys: createLocalJWKSet({ keys: [signer.jwk] }),
    });
  });

  function token(
    claims: Record<string, unknown> = {},
    options: { key?: CryptoKeyLike; kid?: string; iss?: string; aud?: string; exp?: string | number } = {},
  ) {
    return new SignJWT({ name: 'Anna Müller', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? audience)
      .setSubject('P0000001')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(options.key ?? signer.privateKey);
  }
  type CryptoKeyLike = Awaited<ReturnType<typeof keyPair>>['privateKey'];

  it('accepts a token of the issuer for the audience and names the citizen', async () => {
    await expect(verifier.verify(await token())).resolves.toEqual({ personId: 'P0000001', name: 'Anna Müller' });
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'some-other-app' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 120 }],
  ])('refuses %s', async (_what, options) => {
    await expect(verifier.verify(await token({}, options))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a token signed with a key not in the JWKS', async () => {
    await expect(verifier.verify(await token({}, { key: other.privateKey, kid: 'k1' }))).rejects.toBeInstanceOf(
      HttpError,
    );
    await expect(verifier.verify(await token({}, { key: other.privateKey, kid: 'k2' }))).rejects.toBeInstanceOf(
      HttpError,
    );
  });

  it('refuses an unsigned token (alg none) and a tampered one', async () => {
    const valid = await token();
    const [header, payload] = valid.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await expect(verifier.verify(none)).rejects.toMatchObject({ code: 'unauthenticated' });
    const forged = Buffer.from(
      JSON.stringify({ sub: 'P0000004', iss: issuer, aud: audience, exp: 9_999_999_999 }),
    ).toString('base64url');
    await expect(verifier.verify(`${header}.${forged}.${valid.split('.')[2]}`)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('refuses a token whose person claim is not a person id', async () => {
    const custom = new TokenVerifier({
      issuer,
      audience,
      personIdClaim: 'person_id',
      keys: createLocalJWKSet({ keys: [signer.jwk] }),
    });
    await expect(custom.verify(await token())).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(custom.verify(await token({ person_id: 'P0000004' }))).resolves.toMatchObject({
      personId: 'P0000004',
    });
    await expect(custom.verify(await token({ person_id: '../../etc' }))).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });
});

describe('development issuer', () => {
  it('signs tokens for the demo citizens that verify against its JWKS', async () => {
    const dev = await DevIssuer.create('buergerservice-portal', 600);
    const verifier = new TokenVerifier({
      issuer: DEV_ISSUER,
      audience: 'buergerservice-portal',
      personIdClaim: 'sub',
      keys: createLocalJWKSet(dev.jwks()),
    });
    const { access_token, expires_in } = await dev.issue('P0000004');
    expect(expires_in).toBe(600);
    await expect(verifier.verify(access_token)).resolves.toEqual({ personId: 'P0000004', name: 'Mehmet Yılmaz' });
    expect(dev.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('signs for nobody else', async () => {
    const dev = await DevIssuer.create('buergerservice-portal', 600);
    await expect(dev.issue('P0000002')).rejects.toMatchObject({ code: 'validation-failed' });
    await expect(dev.issue('P9999999')).rejects.toMatchObject({ code: 'validation-failed' });
  });

  it('its tokens are not accepted by a verifier of the real issuer', async () => {
    const dev = await DevIssuer.create('buergerservice-portal', 600);
    const verifier = new TokenVerifier({
      issuer: 'https://id.bund.example/realms/bundid',
      audience: 'buergerservice-portal',
      personIdClaim: 'sub',
      keys: createLocalJWKSet(dev.jwks()),
    });
    const { access_token } = await dev.issue('P0000001');
    await expect(verifier.verify(access_token)).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
