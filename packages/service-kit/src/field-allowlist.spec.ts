import { document, registration } from '@buergerservice/contracts';
import { applyFieldAllowlist } from './field-allowlist';

const address = {
  street: 'Markt',
  houseNumber: '1',
  postalCode: '04109',
  municipality: 'Leipzig',
};

function fullPerson(): registration.GetPersonResponse {
  return registration.GetPersonResponse.fromPartial({
    person: {
      personId: 'p-1',
      name: { familyName: 'Muster', givenNames: 'Erika' },
      dateOfBirth: '1980-02-01',
      nationalities: ['DE'],
      religiousAffiliation: 'ev',
      mainResidence: { address, validFrom: '2020-01-01', moveId: 'm-1' },
      secondaryResidences: [{ address, validFrom: '2021-01-01', moveId: 'm-2' }],
      householdId: 'h-1',
      minorInCarePersonIds: ['p-2'],
    },
  });
}

describe('applyFieldAllowlist', () => {
  it('keeps the allowed paths and resets everything else to the proto defaults', () => {
    const restricted = applyFieldAllowlist(registration.GetPersonResponse, fullPerson(), [
      'person.personId',
      'person.name',
      'person.mainResidence.address',
    ]);

    expect(restricted).toEqual(
      registration.GetPersonResponse.fromPartial({
        person: {
          personId: 'p-1',
          name: { familyName: 'Muster', givenNames: 'Erika' },
          mainResidence: { address },
        },
      }),
    );
    expect(restricted.person?.dateOfBirth).toBe('');
    expect(restricted.person?.religiousAffiliation).toBe('');
    expect(restricted.person?.nationalities).toEqual([]);
    expect(restricted.person?.secondaryResidences).toEqual([]);
    expect(restricted.person?.mainResidence?.moveId).toBe('');
  });

  it('accepts snake_case paths as in the .proto and applies paths through repeated fields to each element', () => {
    const restricted = applyFieldAllowlist(registration.GetPersonResponse, fullPerson(), [
      'person.person_id',
      'person.secondary_residences.valid_from',
    ]);
    expect(restricted.person?.personId).toBe('p-1');
    expect(restricted.person?.secondaryResidences).toEqual([
      registration.Residence.fromPartial({ validFrom: '2021-01-01' }),
    ]);
  });

  it('produces a message that still encodes', () => {
    const restricted = applyFieldAllowlist(registration.GetPersonResponse, fullPerson(), ['person.name.familyName']);
    const decoded = registration.GetPersonResponse.decode(registration.GetPersonResponse.encode(restricted).finish());
    expect(decoded.person?.name?.familyName).toBe('Muster');
    expect(decoded.person?.name?.givenNames).toBe('');
  });

  it('keeps map, bytes and timestamp fields whole and clears them when not allowed', () => {
    const response = document.GetDocumentResponse.fromPartial({
      document: {
        documentId: 'd-1',
        content: Buffer.from([1, 2, 3]),
        issuedAt: new Date('2025-01-01T00:00:00Z'),
      },
    });
    const kept = applyFieldAllowlist(document.GetDocumentResponse, response, [
      'document.content',
      'document.issued_at',
    ]);
    expect(kept.document?.documentId).toBe('');
    expect([...(kept.document?.content ?? [])]).toEqual([1, 2, 3]);
    expect(kept.document?.issuedAt).toEqual(new Date('2025-01-01T00:00:00Z'));

    const verify = document.VerifyDocumentResponse.fromPartial({ signedFields: { family_name: 'Muster' }, keyId: 'k' });
    expect(applyFieldAllowlist(document.VerifyDocumentResponse, verify, ['keyId'])).toEqual(
      document.VerifyDocumentResponse.fromPartial({ keyId: 'k' }),
    );
    expect(applyFieldAllowlist(document.VerifyDocumentResponse, verify, ['signed_fields']).signedFields).toEqual({
      family_name: 'Muster',
    });
  });

  it('keeps nothing for a path that names no field (fails closed)', () => {
    const restricted = applyFieldAllowlist(registration.GetPersonResponse, fullPerson(), ['person.nmae']);
    expect(restricted).toEqual(registration.GetPersonResponse.fromPartial({ person: {} }));
    expect(applyFieldAllowlist(registration.GetPersonResponse, fullPerson(), [])).toEqual(
      registration.GetPersonResponse.fromPartial({}),
    );
  });

  it('does not change the original message', () => {
    const original = fullPerson();
    applyFieldAllowlist(registration.GetPersonResponse, original, ['person.personId']);
    expect(original).toEqual(fullPerson());
  });
});
