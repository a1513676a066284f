import { registration } from '@buergerservice/contracts';
import { applyFieldAllowlist, authorize, parseAuthorizationPolicy } from '@buergerservice/service-kit';
import { defaultClientPolicy, parseAuditQueryScopes } from './policy.js';

const service = '/buergerservice.registration.v1.RegistrationService';

const person: registration.GetPersonResponse = {
  person: {
    personId: 'P0000001',
    name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' },
    dateOfBirth: '1988-04-17',
    nationalities: ['DE'],
    religiousAffiliation: 'ev',
    mainResidence: {
      address: registration.Residence.fromPartial({ address: { street: 'Mozartstraße', houseNumber: '7' } }).address,
      type: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
      validFrom: '2025-11-15',
      validUntil: '',
      moveId: 'm1',
    },
    secondaryResidences: [],
    householdId: 'H0000001',
    minorInCarePersonIds: ['P0000003'],
  },
};

describe('the default client policy', () => {
  it('is valid for the service kit', () => {
    expect(parseAuthorizationPolicy(defaultClientPolicy)).toEqual(defaultClientPolicy);
  });

  it('grants each client only its RPCs', () => {
    const allowed = (client: string, rpc: string) => {
      try {
        authorize(defaultClientPolicy, client, `${service}/${rpc}`);
        return true;
      } catch {
        return false;
      }
    };
    expect(allowed('vehicle', 'GetResidence')).toBe(true);
    expect(allowed('vehicle', 'GetPerson')).toBe(false);
    expect(allowed('vehicle', 'SubmitChangeOfAddress')).toBe(false);
    expect(allowed('jobcenter', 'GetResidence')).toBe(true);
    expect(allowed('jobcenter', 'ListMoves')).toBe(false);
    expect(allowed('portal-gateway', 'SubmitChangeOfAddress')).toBe(true);
    expect(allowed('portal-gateway', 'GetResidence')).toBe(false);
    expect(allowed('supervisor', 'ListAuditEntries')).toBe(true);
    expect(allowed('supervisor', 'GetPerson')).toBe(false);
    expect(allowed('tax-office', 'GetResidence')).toBe(false);
  });

  it('gives the portal name and residences of a person, never birth date, nationality or religion', () => {
    const grant = authorize(defaultClientPolicy, 'portal-gateway', `${service}/GetPerson`);
    const seen = applyFieldAllowlist(registration.GetPersonResponse, person, grant.allowedFields ?? []);
    expect(seen.person).toEqual({
      ...person.person,
      dateOfBirth: '',
      nationalities: [],
      religiousAffiliation: '',
      householdId: '',
      minorInCarePersonIds: [],
    });
  });

  it('gives the vehicle authority the address of the main residence only', () => {
    const grant = authorize(defaultClientPolicy, 'vehicle', `${service}/GetResidence`);
    const response = registration.GetResidenceResponse.fromPartial({
      mainResidence: person.person?.mainResidence,
      secondaryResidences: [{ validFrom: '2020-01-01', address: { street: 'Triftweg' } }],
    });
    const seen = applyFieldAllowlist(registration.GetResidenceResponse, response, grant.allowedFields ?? []);
    expect(seen).toEqual(
      registration.GetResidenceResponse.fromPartial({
        mainResidence: { address: person.person?.mainResidence?.address },
      }),
    );
  });
});

describe('audit query scopes', () => {
  it('parse and refuse unknown scopes', () => {
    expect(parseAuditQueryScopes('a=person, b=recipient+person')).toEqual({
      a: ['person'],
      b: ['recipient', 'person'],
    });
    expect(() => parseAuditQueryScopes('a=all')).toThrow(/not person or recipient/);
    expect(() => parseAuditQueryScopes('a')).toThrow(/client=scope/);
  });
});
