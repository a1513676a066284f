import { authorize, PermissionDeniedError, parseAuthorizationPolicy } from '@buergerservice/service-kit';
import { DEFAULT_CLIENT_POLICY } from './policy.js';

const rpc = (method: string) => `/buergerservice.document.v1.DocumentService/${method}`;

describe('default client policy', () => {
  it('is a valid service-kit policy', () => {
    expect(parseAuthorizationPolicy(DEFAULT_CLIENT_POLICY)).toEqual(DEFAULT_CLIENT_POLICY);
  });

  it('lets the portal gateway call everything', () => {
    for (const method of ['ListDocuments', 'GetDocument', 'VerifyDocument', 'GetSigningKey']) {
      expect(authorize(DEFAULT_CLIENT_POLICY, 'portal-gateway', rpc(method)).clientId).toBe('portal-gateway');
    }
  });

  it('lets other bodies only verify', () => {
    for (const client of ['registration', 'vehicle', 'appointment', 'jobcenter', 'tax-office', 'hotline-115']) {
      expect(authorize(DEFAULT_CLIENT_POLICY, client, rpc('VerifyDocument')).clientId).toBe(client);
      expect(authorize(DEFAULT_CLIENT_POLICY, client, rpc('GetSigningKey')).clientId).toBe(client);
      expect(() => authorize(DEFAULT_CLIENT_POLICY, client, rpc('ListDocuments'))).toThrow(PermissionDeniedError);
      expect(() => authorize(DEFAULT_CLIENT_POLICY, client, rpc('GetDocument'))).toThrow(PermissionDeniedError);
    }
    expect(() => authorize(DEFAULT_CLIENT_POLICY, 'someone', rpc('VerifyDocument'))).toThrow(PermissionDeniedError);
  });
});
