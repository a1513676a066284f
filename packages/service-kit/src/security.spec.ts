import type { PeerCertificate } from 'node:tls';
import { Metadata } from '@grpc/grpc-js';
import { clientIdentity, identityFromCertificate } from './security';

function certificate(fields: Partial<PeerCertificate>): PeerCertificate {
  return { subject: { CN: 'jobcenter', O: 'Stadt Leipzig' }, ...fields } as PeerCertificate;
}

function withClientIdHeader(value: string): Metadata {
  const metadata = new Metadata();
  metadata.set('x-client-id', value);
  return metadata;
}

describe('client identity', () => {
  const tls = { tls: { caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem' } };

  it('is the subject CN of the verified certificate under TLS, ignoring x-client-id', () => {
    expect(clientIdentity(tls, { certificate: certificate({}), metadata: withClientIdHeader('portal-gateway') })).toBe(
      'jobcenter',
    );
  });

  it('is absent under TLS without a certificate even if the header claims one', () => {
    const metadata = withClientIdHeader('portal-gateway');
    expect(clientIdentity(tls, { certificate: undefined, metadata })).toBeUndefined();
    expect(clientIdentity(tls, { certificate: {} as PeerCertificate, metadata })).toBeUndefined();
  });

  it('can come from a URI or DNS subject alternative name', () => {
    const cert = certificate({ subjectaltname: 'DNS:jobcenter.svc.local, URI:spiffe://leipzig.de/jobcenter' });
    expect(identityFromCertificate(cert, 'san-uri')).toBe('spiffe://leipzig.de/jobcenter');
    expect(identityFromCertificate(cert, 'san-dns')).toBe('jobcenter.svc.local');
    expect(identityFromCertificate(certificate({}), 'san-uri')).toBeUndefined();
    expect(clientIdentity({ ...tls, identity: 'san-uri' }, { certificate: cert, metadata: new Metadata() })).toBe(
      'spiffe://leipzig.de/jobcenter',
    );
  });

  it('is the x-client-id header on plaintext connections', () => {
    expect(
      clientIdentity({ insecure: true }, { certificate: undefined, metadata: withClientIdHeader('vehicle') }),
    ).toBe('vehicle');
    expect(clientIdentity({ insecure: true }, { certificate: undefined, metadata: new Metadata() })).toBeUndefined();
  });
});
