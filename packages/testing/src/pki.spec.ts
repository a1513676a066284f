import { execFileSync } from 'node:child_process';
import { generateTestPki } from './pki.js';

describe('generateTestPki', () => {
  it('issues certificates with the identity as CN, verifiable against the CA', () => {
    const pki = generateTestPki(['registration', 'portal-gateway']);
    const gateway = pki.identity('portal-gateway');
    const subject = execFileSync('openssl', ['x509', '-in', gateway.certFile, '-noout', '-subject'], {
      encoding: 'utf8',
    });
    expect(subject).toMatch(/CN\s*=\s*portal-gateway/);
    const verify = execFileSync('openssl', ['verify', '-CAfile', pki.caFile, gateway.certFile], { encoding: 'utf8' });
    expect(verify).toContain('OK');
  });

  it('certificates of another CA do not verify', () => {
    const ours = generateTestPki(['registration']);
    const foreign = generateTestPki(['registration'], { caName: 'foreign-ca' });
    expect(() =>
      execFileSync('openssl', ['verify', '-CAfile', ours.caFile, foreign.identity('registration').certFile], {
        stdio: 'pipe',
      }),
    ).toThrow();
  });
});
