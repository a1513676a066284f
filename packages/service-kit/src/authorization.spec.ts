import { authorize, parseAuthorizationPolicy, rpcMatches, unmatchedRules } from './authorization';
import { PermissionDeniedError, UnauthenticatedError } from './errors';

const getPerson = '/buergerservice.registration.v1.RegistrationService/GetPerson';
const submit = '/buergerservice.registration.v1.RegistrationService/SubmitChangeOfAddress';
const getDocument = '/buergerservice.document.v1.DocumentService/GetDocument';

const policy = parseAuthorizationPolicy({
  'portal-gateway': { rpcs: '*' },
  jobcenter: {
    rpcs: ['GetPerson'],
    fields: { GetPerson: ['person.person_id', 'person.name'] },
  },
  vehicle: { rpcs: ['buergerservice.registration.v1.RegistrationService/*'] },
  document: { rpcs: ['buergerservice.registration.v1.RegistrationService/GetPerson'] },
});

describe('authorize', () => {
  it('allows an RPC named by its method, its full name or its service', () => {
    expect(authorize(policy, 'jobcenter', getPerson).clientId).toBe('jobcenter');
    expect(authorize(policy, 'vehicle', submit).clientId).toBe('vehicle');
    expect(authorize(policy, 'document', getPerson).clientId).toBe('document');
    expect(authorize(policy, 'portal-gateway', getDocument).clientId).toBe('portal-gateway');
  });

  it('returns the field allowlist of the RPC, undefined when there is none', () => {
    expect(authorize(policy, 'jobcenter', getPerson).allowedFields).toEqual(['person.person_id', 'person.name']);
    expect(authorize(policy, 'portal-gateway', getPerson).allowedFields).toBeUndefined();
  });

  it('refuses an RPC the client is not allowed', () => {
    expect(() => authorize(policy, 'jobcenter', submit)).toThrow(PermissionDeniedError);
    expect(() => authorize(policy, 'document', submit)).toThrow(PermissionDeniedError);
    expect(() => authorize(policy, 'vehicle', getDocument)).toThrow(PermissionDeniedError);
  });

  it('refuses an unknown client, and a call without identity as unauthenticated', () => {
    expect(() => authorize(policy, 'tax-office', getPerson)).toThrow(PermissionDeniedError);
    expect(() => authorize(policy, 'toString', getPerson)).toThrow(PermissionDeniedError);
    expect(() => authorize(policy, undefined, getPerson)).toThrow(UnauthenticatedError);
    expect(() => authorize(policy, '', getPerson)).toThrow(UnauthenticatedError);
  });
});

describe('policy helpers', () => {
  it('rejects a malformed policy', () => {
    expect(() => parseAuthorizationPolicy({ jobcenter: { rpcs: 'GetPerson' } })).toThrow();
    expect(() => parseAuthorizationPolicy({ jobcenter: { rpcs: ['GetPerson'], field: {} } })).toThrow();
  });

  it('matches rules exactly', () => {
    expect(rpcMatches('GetPerson', getPerson)).toBe(true);
    expect(rpcMatches('getPerson', getPerson)).toBe(false);
    expect(rpcMatches('buergerservice.registration.v1.RegistrationService/Get*', getPerson)).toBe(false);
  });

  it('finds rules that name no RPC of the server', () => {
    expect(unmatchedRules(policy, [getPerson])).toEqual([]);
    expect(unmatchedRules({ x: { rpcs: ['GetPersn'], fields: { GetPersn: [] } } }, [getPerson])).toEqual(['GetPersn']);
  });
});
