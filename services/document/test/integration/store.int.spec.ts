import { databaseUrl, uniqueName } from '@buergerservice/testing';
import mongoose, { type Connection } from 'mongoose';
import type { DocumentRecord } from '../../src/app/ports.js';
import { documentIds, issueDocument, revokeDocument } from '../../src/domain/document.js';
import { encodeDocumentEvent } from '../../src/events/codec.js';
import { MongoDocumentRepository } from '../../src/store/document-repository.js';
import { type DocumentModels, documentModels, ensureIndexes } from '../../src/store/models.js';
import { MongoMoveRepository } from '../../src/store/move-repository.js';
import { MongoNumberSequence } from '../../src/store/number-sequence.js';
import { addressChangeFact, vehicleUpdateFact } from '../support/facts.js';

/** The repositories against the real MongoDB-wire database (FerretDB 1.24 here): what the in-memory fakes promise. */

let connection: Connection;
let models: DocumentModels;

beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl(uniqueName('document-store'))).asPromise();
  models = documentModels(connection);
  await ensureIndexes(models);
});

afterAll(async () => {
  await connection?.close();
});

describe('move facts', () => {
  it('adds each fact once, creating the move with whichever fact comes first', async () => {
    const moves = new MongoMoveRepository(models.facts);
    expect(await moves.recordVehicleUpdate('m1', vehicleUpdateFact({ plate: 'l-am  2026' }))).toBe('recorded');
    expect(await moves.recordVehicleUpdate('m1', vehicleUpdateFact())).toBe('known');
    expect(await moves.recordAddressChange('m1', addressChangeFact())).toBe('recorded');
    expect(await moves.recordAddressChange('m1', addressChangeFact())).toBe('known');
    const booking = { cause: { eventId: 'ab', correlationId: 'c' }, appointmentId: 'A1', personId: 'P0000001' };
    expect(await moves.recordBooking('m1', booking)).toBe('recorded');
    expect(await moves.recordBooking('m1', booking)).toBe('known');
    expect(
      await moves.recordRestoration('m1', { cause: { eventId: 'rs', correlationId: 'c' }, plate: 'L-AM 2026' }),
    ).toBe('recorded');
    expect(await moves.recordRevocation('m1', { eventId: 'rv', correlationId: 'c' })).toBe('recorded');
    expect(await moves.recordRevocation('m1', { eventId: 'rv2', correlationId: 'c' })).toBe('known');
    const move = await moves.get('m1');
    expect(move).toEqual({
      moveId: 'm1',
      version: 5,
      addressChange: addressChangeFact(),
      revocation: { eventId: 'rv', correlationId: 'c' },
      vehicleUpdates: [vehicleUpdateFact({ plate: 'L-AM 2026' })],
      restorations: [{ cause: { eventId: 'rs', correlationId: 'c' }, plate: 'L-AM 2026' }],
      bookings: [booking],
    });
    expect(await moves.version('m1')).toBe(5);
    expect(await moves.get('nope')).toBeUndefined();
  });

  it('loses no fact when facts of a new move race, and records a fact racing with itself once', async () => {
    const moves = new MongoMoveRepository(models.facts);
    const results = await Promise.all([
      moves.recordAddressChange('m2', addressChangeFact()),
      moves.recordVehicleUpdate('m2', vehicleUpdateFact()),
      moves.recordBooking('m2', { cause: { eventId: 'ab', correlationId: 'c' }, appointmentId: 'A2', personId: 'P1' }),
      moves.recordRevocation('m2', { eventId: 'rv', correlationId: 'c' }),
    ]);
    expect(results).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);
    const same = await Promise.all(
      Array.from({ length: 5 }, () => moves.recordRevocation('m2', { eventId: 'x', correlationId: 'c' })),
    );
    expect(same).toEqual(['known', 'known', 'known', 'known', 'known']);
    const move = await moves.get('m2');
    expect(move?.version).toBe(4);
    expect(move?.addressChange).toBeDefined();
    expect(move?.vehicleUpdates).toHaveLength(1);
    expect(move?.bookings).toHaveLength(1);
    expect(move?.revocation).toBeDefined();
  });
});

describe('number sequence', () => {
  it('hands out every number once, also to concurrent callers (no lost updates as with $inc on FerretDB)', async () => {
    const sequence = new MongoNumberSequence(models.numberClaims);
    const numbers = await Promise.all(Array.from({ length: 20 }, () => sequence.next('MB-2026')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await sequence.next('MB-2026')).toBe(21);
    expect(await sequence.next('FZ-2026')).toBe(1);
  });

  it('continues above the numbers another replica claimed meanwhile', async () => {
    const first = new MongoNumberSequence(models.numberClaims);
    const second = new MongoNumberSequence(models.numberClaims);
    expect(await first.next('RB-2026')).toBe(1);
    expect(await second.next('RB-2026')).toBe(2);
    expect(await second.next('RB-2026')).toBe(3);
    // The first one still believes 1 is the highest: its claim of 2 fails, and it continues above 3.
    expect(await first.next('RB-2026')).toBe(4);
    const both = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).next('RB-2026')),
    );
    expect([...both].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 5));
  });
});

describe('documents', () => {
  const cause = { eventId: 'evt', correlationId: 'bundle' };
  const issued = issueDocument(
    {
      documentId: documentIds.registrationConfirmation('m3', 'P0000001'),
      kind: 'registration-confirmation',
      personId: 'P0000001',
      applicantPersonId: 'P0000001',
      moveId: 'm3',
      plate: '',
      documentNumber: 'MB-2026-0000001-5',
      verificationCode: 'ABCD-EFGH-JKMN-PQRS',
    },
    new Date('2026-03-02T09:00:00Z'),
    cause,
  );
  const record: DocumentRecord = {
    ...issued.state,
    revision: 0,
    contentType: 'application/pdf',
    signedFields: { family_name: 'Yılmaz', document_number: 'MB-2026-0000001-5' },
    signature: 'c2ln',
    keyId: 'k1',
  };
  const pdf = Buffer.concat([Buffer.from('%PDF-1.3\n'), Buffer.alloc(40_000, 0xfe)]);

  it('stores the content as binary with the metadata and the events in the same document (the outbox)', async () => {
    const documents = new MongoDocumentRepository(models.documents, models.transitions, encodeDocumentEvent);
    expect(await documents.insert(record, pdf, issued.events)).toBe('inserted');
    expect(await documents.insert(record, pdf, issued.events)).toBe('duplicate');
    const got = await documents.get(record.documentId);
    expect(got?.content?.equals(pdf)).toBe(true);
    expect(got).toMatchObject({ ...record, content: expect.any(Buffer) });
    const raw = await models.documents.collection.findOne({ _id: record.documentId } as never);
    expect(raw?.outbox).toHaveLength(1);
    // Lists and look-ups leave the content out.
    const [listed] = await documents.listByMove('m3');
    expect(listed !== undefined && 'content' in listed).toBe(false);
    expect((await documents.listByPerson('P0000001')).map((d) => d.documentId)).toEqual([record.documentId]);
    expect((await documents.findByVerificationCode('ABCD-EFGH-JKMN-PQRS')).map((d) => d.documentId)).toEqual([
      record.documentId,
    ]);
    expect(await documents.findByVerificationCode('ZZZZ-ZZZZ-ZZZZ-ZZZZ')).toEqual([]);
    expect(await documents.statusesOfMove('m3')).toEqual([{ documentId: record.documentId, status: 'valid' }]);
  });

  it('takes each change number once (compare-and-set by insert), with its events, and reads the furthest status', async () => {
    const documents = new MongoDocumentRepository(models.documents, models.transitions, encodeDocumentEvent);
    const revoked = revokeDocument(issued.state, 'move-revoked', new Date('2026-03-03T00:00:00Z'), cause);
    const racing = await Promise.all([
      documents.transition(revoked.state, 0, revoked.events),
      documents.transition(revoked.state, 0, revoked.events),
      documents.transition(revoked.state, 0, revoked.events),
    ]);
    expect([...racing].sort()).toEqual(['applied', 'stale', 'stale']);
    const got = await documents.get(record.documentId);
    expect(got).toMatchObject({
      revision: 1,
      status: 'revoked',
      revocationReason: 'move-revoked',
      revokedAt: new Date('2026-03-03T00:00:00Z'),
    });
    expect(await documents.statusesOfMove('m3')).toEqual([{ documentId: record.documentId, status: 'revoked' }]);
    expect((await documents.listByPerson('P0000001'))[0]?.status).toBe('revoked');
    const transitions = await models.transitions.find({ documentId: record.documentId }).lean();
    expect(transitions).toHaveLength(1);
    expect(transitions[0]?.outbox).toHaveLength(1);
  });
});
