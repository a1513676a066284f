import {
  completeOrder,
  documentIds,
  type IssueInput,
  isPrinted,
  issueDocument,
  normalizePlate,
  revokeDocument,
  signedFieldsOf,
} from './document.js';
import { DomainError } from './errors.js';

const now = new Date('2026-03-02T09:15:00.123Z');
const later = new Date('2026-03-03T10:00:00Z');
const cause = { eventId: 'e1', correlationId: 'c1' };
const confirmation: IssueInput = {
  documentId: documentIds.registrationConfirmation('m1', 'P0000001'),
  kind: 'registration-confirmation',
  personId: 'P0000001',
  applicantPersonId: 'P0000001',
  moveId: 'm1',
  plate: '',
  documentNumber: 'MB-2026-0000001-5',
  verificationCode: '0000-0000-0000-0000',
};
const order: IssueInput = {
  ...confirmation,
  documentId: documentIds.stickerOrder('m1', 'P0000001'),
  kind: 'id-card-address-sticker-order',
  verificationCode: '',
};

describe('document ids', () => {
  it('derive from move and person or plate, so redeliveries aim at the same document', () => {
    expect(documentIds.registrationConfirmation('m1', 'P1')).toBe('m1:P1:registration-confirmation');
    expect(documentIds.vehicleRecord('m1', ' l-am  2026 ')).toMatch(
      /^m1:plate-[0-9a-f]{16}:vehicle-registration-record$/,
    );
    expect(documentIds.vehicleRecord('m1', 'L-AM 2026')).toBe(documentIds.vehicleRecord('m1', ' l-am  2026 '));
    expect(documentIds.vehicleRecord('m1', 'L-AM 2026')).not.toBe(documentIds.vehicleRecord('m1', 'L-AM 2027'));
    expect(documentIds.vehicleRecord('m1', 'L-AM 2026')).not.toContain('AM');
    expect(documentIds.stickerOrder('m1', 'P1')).toBe('m1:P1:id-card-address-sticker-order');
    expect(normalizePlate(' b-xy\t12 ')).toBe('B-XY 12');
  });
});

describe('document transitions', () => {
  it('issues printed documents as valid and orders as pending', () => {
    const printed = issueDocument(confirmation, now, cause);
    expect(printed.state.status).toBe('valid');
    expect(printed.events).toEqual([{ type: 'issued', status: 'valid', document: printed.state, cause }]);
    const pending = issueDocument(order, now, cause);
    expect(pending.state.status).toBe('pending');
    expect(pending.events[0]).toMatchObject({ type: 'issued', status: 'pending' });
    expect(isPrinted('registration-confirmation')).toBe(true);
    expect(isPrinted('id-card-address-sticker-order')).toBe(false);
  });

  it('normalises the plate of vehicle records', () => {
    const record = issueDocument(
      { ...confirmation, kind: 'vehicle-registration-record', plate: 'l-am 2026' },
      now,
      cause,
    );
    expect(record.state.plate).toBe('L-AM 2026');
  });

  it('completes a pending order once, and nothing else', () => {
    const pending = issueDocument(order, now, cause).state;
    const done = completeOrder(pending, later, { eventId: 'e2', correlationId: 'c1' });
    expect(done.state).toMatchObject({ status: 'valid', completedAt: later });
    expect(done.events).toEqual([
      { type: 'issued', status: 'valid', document: done.state, cause: { eventId: 'e2', correlationId: 'c1' } },
    ]);
    expect(() => completeOrder(done.state, later, cause)).toThrow(expect.objectContaining({ code: 'not-pending' }));
    const printed = issueDocument(confirmation, now, cause).state;
    expect(() => completeOrder(printed, later, cause)).toThrow(expect.objectContaining({ code: 'not-an-order' }));
  });

  it('revokes once, with reason and time', () => {
    const printed = issueDocument(confirmation, now, cause).state;
    const revoked = revokeDocument(printed, 'move-revoked', later, cause);
    expect(revoked.state).toMatchObject({ status: 'revoked', revokedAt: later, revocationReason: 'move-revoked' });
    expect(revoked.events).toEqual([{ type: 'revoked', reason: 'move-revoked', document: revoked.state, cause }]);
    expect(() => revokeDocument(revoked.state, 'move-revoked', later, cause)).toThrow(DomainError);
    // A pending order can be revoked too (the move was revoked before the appointment).
    const pending = issueDocument(order, now, cause).state;
    expect(revokeDocument(pending, 'move-revoked', later, cause).state.status).toBe('revoked');
  });
});

describe('signed fields', () => {
  it('are exactly the minimal set, as strings, issued_at in whole seconds', () => {
    const fields = signedFieldsOf({
      kind: 'registration-confirmation',
      documentNumber: 'MB-2026-0000001-5',
      name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: 'Dr.' },
      postalCode: '04155',
      municipality: 'Leipzig',
      moveInDate: '2026-03-01',
      issuedAt: now,
    });
    expect(fields).toEqual({
      document_number: 'MB-2026-0000001-5',
      kind: 'registration-confirmation',
      family_name: 'Müller',
      given_names: 'Anna',
      postal_code: '04155',
      municipality: 'Leipzig',
      move_in_date: '2026-03-01',
      issued_at: '2026-03-02T09:15:00Z',
    });
  });
});
