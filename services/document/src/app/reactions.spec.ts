import { addressChangeFact, vehicleUpdateFact } from '../../test/support/facts.js';
import { type InMemoryApp, inMemoryApp, TEST_KEY } from '../../test/support/in-memory.js';
import { documentIds } from '../domain/document.js';
import { parseDocumentNumber } from '../domain/document-number.js';
import { DomainError } from '../domain/errors.js';
import { KeyRing, SigningKey, verifySignature } from '../domain/signing.js';
import { getDocument } from './get-document.js';
import { getSigningKey } from './get-signing-key.js';
import { listDocuments } from './list-documents.js';
import { recordAddressChange } from './record-address-change.js';
import { recordAppointmentBooking } from './record-appointment-booking.js';
import { recordMoveRevocation } from './record-move-revocation.js';
import { recordVehicleHolderRestoration } from './record-vehicle-holder-restoration.js';
import { recordVehicleHolderUpdate } from './record-vehicle-holder-update.js';
import { verifyDocument } from './verify-document.js';

const moveId = 'move-1';
const RECORD = documentIds.vehicleRecord(moveId, 'L-AM 2026');
const booking = {
  moveId,
  fact: { cause: { eventId: 'evt-ab', correlationId: 'bundle-1' }, appointmentId: 'A1', personId: 'P0000001' },
};
const revocation = { moveId, cause: { eventId: 'evt-rv', correlationId: 'bundle-1' } };

function statuses(app: InMemoryApp): Record<string, string> {
  return Object.fromEntries([...app.documents.documents.values()].map((d) => [d.record.documentId, d.record.status]));
}

function eventLog(app: InMemoryApp): string[] {
  return app.documents.published.map(
    (e) => `${e.type}:${e.type === 'issued' ? e.status : e.reason}:${e.document.documentId}:${e.cause.eventId}`,
  );
}

describe('AddressChanged', () => {
  it('issues one signed confirmation per person, and a pending sticker order for the applicant', async () => {
    const app = inMemoryApp();
    expect(await recordAddressChange(app, { moveId, fact: addressChangeFact() })).toBe('applied');
    expect(statuses(app)).toEqual({
      'move-1:P0000001:registration-confirmation': 'valid',
      'move-1:P0000003:registration-confirmation': 'valid',
      'move-1:P0000001:id-card-address-sticker-order': 'pending',
    });
    expect(eventLog(app)).toEqual([
      'issued:valid:move-1:P0000001:registration-confirmation:evt-ac',
      'issued:valid:move-1:P0000003:registration-confirmation:evt-ac',
      'issued:pending:move-1:P0000001:id-card-address-sticker-order:evt-ac',
    ]);
    const mia = await getDocument(app, { documentId: 'move-1:P0000003:registration-confirmation' });
    expect(mia).toMatchObject({ personId: 'P0000003', applicantPersonId: 'P0000001', contentType: 'application/pdf' });
    expect(parseDocumentNumber(mia.documentNumber)?.kind).toBe('registration-confirmation');
    expect(mia.signedFields).toEqual({
      document_number: mia.documentNumber,
      kind: 'registration-confirmation',
      family_name: 'Müller',
      given_names: 'Mia',
      postal_code: '04155',
      municipality: 'Leipzig',
      move_in_date: '2026-03-01',
      issued_at: '2026-03-02T09:15:00Z',
    });
    expect(mia.keyId).toBe(TEST_KEY.keyId);
    expect(verifySignature(TEST_KEY.publicKey, mia.signedFields ?? {}, mia.signature)).toBe(true);
    expect(JSON.parse(String(mia.content))).toMatchObject({
      content: { name: { givenNames: 'Mia' }, address: { street: 'Georg-Schumann-Straße' } },
      meta: { verificationCode: mia.verificationCode, documentNumber: mia.documentNumber },
    });
    const order = await getDocument(app, { documentId: 'move-1:P0000001:id-card-address-sticker-order' });
    expect(order).toMatchObject({ verificationCode: '', contentType: '', signature: '', content: undefined });
  });

  it('gives every document its own number and code', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    const records = [...app.documents.documents.values()].map((d) => d.record);
    expect(new Set(records.map((r) => r.documentNumber)).size).toBe(3);
    const codes = records.map((r) => r.verificationCode).filter(Boolean);
    expect(new Set(codes).size).toBe(2);
  });

  it('issues nothing that was not asked for', async () => {
    const app = inMemoryApp();
    const fact = addressChangeFact({
      wantsRegistrationConfirmation: false,
      wantsAppointment: false,
      wantsVehicleRecords: false,
    });
    await recordAddressChange(app, { moveId, fact });
    await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() });
    expect(statuses(app)).toEqual({});
  });

  it('changes nothing when redelivered', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    const before = eventLog(app);
    expect(await recordAddressChange(app, { moveId, fact: addressChangeFact() })).toBe('duplicate');
    expect(eventLog(app)).toEqual(before);
    expect(app.documents.documents.size).toBe(3);
  });

  it('finishes on redelivery what a crash between recording the move and writing the documents left undone', async () => {
    const app = inMemoryApp();
    app.documents.failNextWrite = true;
    await expect(recordAddressChange(app, { moveId, fact: addressChangeFact() })).rejects.toThrow('simulated crash');
    expect(app.documents.documents.size).toBe(0);
    expect(await recordAddressChange(app, { moveId, fact: addressChangeFact() })).toBe('applied');
    expect(app.documents.documents.size).toBe(3);
  });
});

describe('VehicleHolderAddressUpdated', () => {
  it('issues the vehicle record for the holder', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    expect(await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() })).toBe('applied');
    const record = await getDocument(app, { documentId: RECORD });
    expect(record).toMatchObject({ status: 'valid', plate: 'L-AM 2026', personId: 'P0000001' });
    expect(record.signedFields).toMatchObject({ kind: 'vehicle-registration-record', family_name: 'Müller' });
    expect(await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() })).toBe('duplicate');
  });

  it('waits for the move when it arrives first, then issues the record', async () => {
    const app = inMemoryApp();
    expect(await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() })).toBe('applied');
    expect(app.documents.documents.size).toBe(0);
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    expect(statuses(app)[RECORD]).toBe('valid');
    // Its causation is the vehicle event, whoever's reaction wrote it.
    expect(eventLog(app)).toContain(`issued:valid:${RECORD}:evt-vu`);
  });

  it('issues no record for a holder the move does not cover, and logs the move id', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact({ holderPersonId: 'P0000099' }) });
    expect(Object.keys(statuses(app)).some((id) => id.includes('vehicle'))).toBe(false);
    expect(app.logger.lines).toContainEqual({
      level: 'warn',
      fields: { moveId, note: 'holder-not-in-move' },
      message: 'vehicle update leads to no document',
    });
  });
});

describe('AppointmentBooked', () => {
  it('completes the sticker order of the move', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    expect(await recordAppointmentBooking(app, booking)).toBe('applied');
    expect(statuses(app)['move-1:P0000001:id-card-address-sticker-order']).toBe('valid');
    expect(eventLog(app).slice(-1)).toEqual(['issued:valid:move-1:P0000001:id-card-address-sticker-order:evt-ab']);
    expect(await recordAppointmentBooking(app, booking)).toBe('duplicate');
  });

  it('completes the order at once when the booking arrived before the move', async () => {
    const app = inMemoryApp();
    await recordAppointmentBooking(app, booking);
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    expect(statuses(app)['move-1:P0000001:id-card-address-sticker-order']).toBe('valid');
    expect(eventLog(app).filter((e) => e.includes('sticker'))).toEqual([
      'issued:pending:move-1:P0000001:id-card-address-sticker-order:evt-ac',
      'issued:valid:move-1:P0000001:id-card-address-sticker-order:evt-ab',
    ]);
  });

  it('ignores stand-alone bookings', async () => {
    const app = inMemoryApp();
    expect(await recordAppointmentBooking(app, { ...booking, moveId: '' })).toBe('ignored');
    expect(app.moves.moves.size).toBe(0);
  });
});

describe('compensation', () => {
  it('revokes every document of a revoked move, once', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() });
    expect(await recordMoveRevocation(app, revocation)).toBe('applied');
    expect(Object.values(statuses(app))).toEqual(['revoked', 'revoked', 'revoked', 'revoked']);
    expect(eventLog(app).filter((e) => e.startsWith('revoked'))).toHaveLength(4);
    expect(
      eventLog(app)
        .filter((e) => e.startsWith('revoked'))
        .every((e) => e.includes(':move-revoked:') && e.endsWith(':evt-rv')),
    ).toBe(true);
    expect(await recordMoveRevocation(app, revocation)).toBe('duplicate');
    // The holder address restored after the revocation: the record is revoked already.
    const restored = { moveId, fact: { cause: { eventId: 'evt-rs', correlationId: 'bundle-1' }, plate: 'L-AM 2026' } };
    await recordVehicleHolderRestoration(app, restored);
    expect(eventLog(app).filter((e) => e.startsWith('revoked'))).toHaveLength(4);
  });

  it('revokes only the vehicle record when its holder address was restored', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() });
    const restored = { moveId, fact: { cause: { eventId: 'evt-rs', correlationId: 'bundle-1' }, plate: 'l-am 2026' } };
    await recordVehicleHolderRestoration(app, { ...restored, fact: { ...restored.fact, plate: 'L-AM 2026' } });
    expect(statuses(app)).toEqual({
      'move-1:P0000001:registration-confirmation': 'valid',
      'move-1:P0000003:registration-confirmation': 'valid',
      'move-1:P0000001:id-card-address-sticker-order': 'pending',
      [RECORD]: 'revoked',
    });
    const record = await getDocument(app, { documentId: RECORD });
    expect(record.revocationReason).toBe('holder-address-restored');
  });

  it('issues and revokes in one go a document whose trigger arrives after the revocation', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    await recordMoveRevocation(app, revocation);
    await recordVehicleHolderUpdate(app, { moveId, fact: vehicleUpdateFact() });
    expect(statuses(app)[RECORD]).toBe('revoked');
    expect(eventLog(app).filter((e) => e.includes('vehicle'))).toEqual([
      `issued:valid:${RECORD}:evt-vu`,
      `revoked:move-revoked:${RECORD}:evt-rv`,
    ]);
  });
});

describe('verification', () => {
  async function issued() {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    const doc = await getDocument(app, { documentId: 'move-1:P0000001:registration-confirmation' });
    return { app, doc };
  }

  it('answers valid with the signed fields, signature and key id, also for a code typed sloppily', async () => {
    const { app, doc } = await issued();
    const answer = await verifyDocument(app, { verificationCode: doc.verificationCode });
    expect(answer).toEqual({
      result: 'valid',
      signedFields: doc.signedFields,
      signature: doc.signature,
      keyId: TEST_KEY.keyId,
    });
    const sloppy = doc.verificationCode.toLowerCase().replace(/-/g, ' ');
    expect((await verifyDocument(app, { verificationCode: sloppy })).result).toBe('valid');
  });

  it('answers unknown for a tampered, unknown or malformed code', async () => {
    const { app, doc } = await issued();
    const code = doc.verificationCode;
    const last = code.at(-1) === 'A' ? 'B' : 'A';
    expect(await verifyDocument(app, { verificationCode: `${code.slice(0, -1)}${last}` })).toEqual({
      result: 'unknown',
    });
    expect(await verifyDocument(app, { verificationCode: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ' })).toEqual({ result: 'unknown' });
    expect(await verifyDocument(app, { verificationCode: 'not a code' })).toEqual({ result: 'unknown' });
  });

  it('answers revoked after the move was revoked', async () => {
    const { app, doc } = await issued();
    await recordMoveRevocation(app, revocation);
    expect(await verifyDocument(app, { verificationCode: doc.verificationCode })).toMatchObject({
      result: 'revoked',
      signedFields: doc.signedFields,
    });
  });

  it('never vouches for a stored document whose signed fields were changed behind its back', async () => {
    const { app, doc } = await issued();
    const stored = app.documents.documents.get(doc.documentId);
    if (!stored?.record.signedFields) throw new Error('fixture');
    stored.record.signedFields = { ...stored.record.signedFields, family_name: 'Schmidt' };
    expect(await verifyDocument(app, { verificationCode: doc.verificationCode })).toEqual({ result: 'unknown' });
    expect(app.logger.lines.at(-1)).toMatchObject({
      level: 'error',
      fields: { documentId: doc.documentId, check: 'invalid' },
    });
  });

  it('verifies documents of an earlier key kept in the ring, and not those of a forgotten key', async () => {
    const { app, doc } = await issued();
    const rotated = SigningKey.fromSeed(Buffer.alloc(32, 43));
    const withOld = { ...app, keys: new KeyRing(rotated, [TEST_KEY.publicKey]) };
    expect((await verifyDocument(withOld, { verificationCode: doc.verificationCode })).result).toBe('valid');
    const forgotten = { ...app, keys: new KeyRing(rotated) };
    expect((await verifyDocument(forgotten, { verificationCode: doc.verificationCode })).result).toBe('unknown');
  });

  it('vouches for neither document should two ever share a code', async () => {
    const { app, doc } = await issued();
    const other = app.documents.documents.get('move-1:P0000003:registration-confirmation');
    if (!other) throw new Error('fixture');
    other.record.verificationCode = doc.verificationCode;
    expect(await verifyDocument(app, { verificationCode: doc.verificationCode })).toEqual({ result: 'unknown' });
    expect(app.logger.lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'verification code shared by two documents',
    });
  });

  it('publishes the current public key', () => {
    const app = inMemoryApp();
    expect(getSigningKey(app)).toEqual({
      keyId: TEST_KEY.keyId,
      algorithm: 'Ed25519',
      publicKeyPem: TEST_KEY.publicKeyPem,
    });
  });
});

describe('queries', () => {
  it('lists by person and by move, oldest first, and fails for an unknown document', async () => {
    const app = inMemoryApp();
    await recordAddressChange(app, { moveId, fact: addressChangeFact() });
    const mine = await listDocuments(app, { personId: 'P0000001' });
    expect(mine.map((d) => d.kind).sort()).toEqual(['id-card-address-sticker-order', 'registration-confirmation']);
    expect(await listDocuments(app, { moveId })).toHaveLength(3);
    expect(await listDocuments(app, { moveId: 'other' })).toEqual([]);
    await expect(getDocument(app, { documentId: 'nope' })).rejects.toThrow(DomainError);
    await expect(getDocument(app, { documentId: 'nope' })).rejects.toMatchObject({ code: 'document-not-found' });
  });
});
