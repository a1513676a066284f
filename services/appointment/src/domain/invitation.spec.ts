import { leipzigCatalogue } from '../seed-data.js';
import { CatalogueIndex } from './catalogue.js';
import { checkInvitation, createInvitation } from './invitation.js';

const catalogue = new CatalogueIndex(leipzigCatalogue());
const context = { catalogue, clientId: 'jobcenter', today: '2026-11-23', code: 'ABCD-EFGH', now: new Date() };
const request = {
  personId: 'P0000004',
  serviceId: 'jobcenter-erstgespraech',
  validUntil: '2026-12-31',
  authorityId: 'jobcenter-leipzig',
};

describe('invitations', () => {
  it('are created by the inviting authority for its invitation-only services', () => {
    expect(createInvitation(request, context)).toMatchObject({
      code: 'ABCD-EFGH',
      personId: 'P0000004',
      serviceId: 'jobcenter-erstgespraech',
      validUntil: '2026-12-31',
      authorityId: 'jobcenter-leipzig',
      clientId: 'jobcenter',
      usedBy: null,
    });
  });

  it.each([
    [{ serviceId: 'nope' }, {}, 'unknown-service', 'service_id'],
    [{ serviceId: 'meldebescheinigung' }, {}, 'not-invitation-only', 'service_id'],
    [{ authorityId: 'tax-office' }, {}, 'authority-not-allowed', 'inviting_authority'],
    [{}, { clientId: 'hotline-115' }, 'authority-not-allowed', 'inviting_authority'],
    [{ validUntil: '2026-11-22' }, {}, 'invalid-validity', 'valid_until'],
    [{ validUntil: '2027-11-25' }, {}, 'invalid-validity', 'valid_until'],
    [{ validUntil: '31.12.2026' }, {}, 'invalid-validity', 'valid_until'],
  ])('refuse %j (context %j): %s', (change, contextChange, code, field) => {
    expect(() => createInvitation({ ...request, ...change }, { ...context, ...contextChange })).toThrow(
      expect.objectContaining({ code, field }),
    );
  });

  it('admit only the invited person, to that service, until the last valid day', () => {
    const invitation = createInvitation(request, context);
    const use = { personId: 'P0000004', serviceId: 'jobcenter-erstgespraech', date: '2026-12-31' };
    expect(checkInvitation(invitation, use)).toBe(invitation);
    expect(() => checkInvitation(invitation, { ...use, personId: 'P0000001' })).toThrow(
      expect.objectContaining({ code: 'invitation-not-valid' }),
    );
    expect(() => checkInvitation(invitation, { ...use, serviceId: 'jobcenter-beratung' })).toThrow(
      expect.objectContaining({ code: 'invitation-not-valid' }),
    );
    expect(() => checkInvitation(undefined, use)).toThrow(expect.objectContaining({ code: 'invitation-not-valid' }));
    expect(() => checkInvitation(invitation, { ...use, date: '2027-01-01' })).toThrow(
      expect.objectContaining({ code: 'invitation-expired' }),
    );
  });
});
