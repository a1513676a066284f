import { createPublicKey, randomInt, verify } from 'node:crypto';
import {
  AppointmentEvents,
  DocumentEvents,
  document,
  RegistrationEvents,
  registration,
  Topics,
  VehicleEvents,
  vehicle,
} from '@buergerservice/contracts';
import { EventBus } from '@buergerservice/event-bus';
import { call, createClient, readFieldViolations } from '@buergerservice/service-kit';
import { createLogger } from '@buergerservice/telemetry';
import { databaseUrl, kafkaBrokers, TopicRecorder, testKafka, uniqueName, waitUntil } from '@buergerservice/testing';
import { type ServiceError, status } from '@grpc/grpc-js';
import mongoose, { type Connection } from 'mongoose';
import { loadServiceConfig } from '../../src/config.js';
import { KeyRing, SigningKey } from '../../src/domain/signing.js';
import { buildService, type DocumentService } from '../../src/server.js';
import { addressChanged, appointmentBooked, holderAddressUpdated, publish } from '../support/events.js';
import { pdfToText } from '../support/pdf-text.js';

/**
 * The document service in-process against the real infrastructure: FerretDB
 * (or MongoDB), a Kafka broker and real gRPC on 127.0.0.1. Events go in
 * through Kafka exactly as the other services publish them; results are read
 * back through the gRPC API, the document topic and an independent PDF tool.
 * Person and move ids are fresh per run, so other test files on the same
 * topics do not interfere.
 */

const run = randomInt(1_000_000, 9_999_999);
const personId = (n: number) => `P${run}${n}`;
const moveId = (name: string) => `move-${run}-${name}`;
const SEED = Buffer.alloc(32, 11);
const { DocumentKind, DocumentStatus, VerificationResult } = document;

let connection: Connection;
let bus: EventBus;
let producer: EventBus;
let service: DocumentService;
let recorder: TopicRecorder;
let gateway: document.DocumentServiceClient;
let jobcenter: document.DocumentServiceClient;

beforeAll(async () => {
  const url = databaseUrl(uniqueName('document'));
  const config = loadServiceConfig({
    MONGO_URL: url,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    GRPC_INSECURE: 'true',
    SIGNING_KEY_SEED: SEED.toString('base64'),
    PORT: '0',
    OUTBOX_POLL_INTERVAL_MS: '100',
  });
  connection = await mongoose.createConnection(url).asPromise();
  bus = new EventBus({ brokers: config.KAFKA_BROKERS, clientId: 'document', source: '/buergerservice/document' });
  producer = new EventBus({ brokers: config.KAFKA_BROKERS, clientId: 'test-producer', source: '/buergerservice/test' });
  service = buildService({
    config,
    connection,
    bus,
    keys: new KeyRing(SigningKey.fromSeed(SEED)),
    logger: createLogger('document-test'),
  });
  const port = await service.start();
  recorder = await TopicRecorder.start([Topics.document, 'document.dlq']);
  const address = `127.0.0.1:${port}`;
  gateway = createClient(document.DocumentServiceClient, address, {
    security: { insecure: true, clientId: 'portal-gateway' },
  });
  jobcenter = createClient(document.DocumentServiceClient, address, {
    security: { insecure: true, clientId: 'jobcenter' },
  });
});

afterAll(async () => {
  gateway?.close();
  jobcenter?.close();
  await recorder?.stop();
  await service?.stop();
  await bus?.disconnect();
  await producer?.disconnect();
  await connection?.close();
});

async function documentsOfMove(id: string): Promise<document.Document[]> {
  return (await call(gateway, 'listDocuments', { moveId: id })).documents;
}

async function waitForDocuments(id: string, count: number, predicate: (d: document.Document) => boolean = () => true) {
  return waitUntil(
    async () => {
      const docs = (await documentsOfMove(id)).filter(predicate);
      return docs.length >= count ? docs : undefined;
    },
    { timeoutMs: 60_000, message: `${count} documents of ${id}` },
  );
}

function issuedFor(id: string): document.DocumentIssued[] {
  return recorder
    .ofType(DocumentEvents.DocumentIssued.typeName)
    .map((m) => document.DocumentIssued.decode(m.value ?? Buffer.alloc(0)))
    .filter((e) => e.moveId === id);
}

async function grpcError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

/** What a verifier outside does: canonical JSON (sorted keys) + Ed25519 with the published PEM. */
function verifiesIndependently(fields: Record<string, string>, signature: string, publicKeyPem: string): boolean {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
  return verify(null, Buffer.from(canonical), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
}

const household = () => [
  { personId: personId(1), familyName: 'Yılmaz', givenNames: 'Mehmet' },
  { personId: personId(2), familyName: 'Yılmaz', givenNames: 'Ayşe' },
];

describe('AddressChanged for a household of two', () => {
  const move = moveId('household');
  let acEventId = '';

  beforeAll(async () => {
    acEventId = await publish(
      producer,
      RegistrationEvents.AddressChanged,
      addressChanged({ moveId: move, applicant: personId(1), persons: household() }),
      { subject: personId(1), correlationId: `bundle-${move}` },
    );
  });

  it('issues two registration confirmations, one per person', async () => {
    const docs = await waitForDocuments(move, 2);
    expect(docs).toHaveLength(2);
    expect(docs.map((d) => d.personId).sort()).toEqual([personId(1), personId(2)]);
    for (const d of docs) {
      expect(d).toMatchObject({
        kind: DocumentKind.DOCUMENT_KIND_REGISTRATION_CONFIRMATION,
        status: DocumentStatus.DOCUMENT_STATUS_VALID,
        moveId: move,
        contentType: 'application/pdf',
      });
      expect(d.documentNumber).toMatch(/^MB-\d{4}-\d{7}-\d$/);
      expect(d.verificationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      // Lists carry metadata only.
      expect(d.content).toHaveLength(0);
    }
  });

  it('serves PDFs whose text (read by pdftotext) has the name, the new address and the code', async () => {
    const [mehmet] = await waitForDocuments(move, 1, (d) => d.personId === personId(1));
    const { document: got } = await call(gateway, 'getDocument', { documentId: mehmet?.documentId ?? '' });
    expect(got?.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfToText(got?.content ?? Buffer.alloc(0)).replace(/[ \t]+/g, ' ');
    expect(text).toContain('Meldebestätigung');
    expect(text).toContain('Yılmaz');
    expect(text).toContain('Mehmet');
    expect(text).toContain('Eisenbahnstraße 101b');
    expect(text).toContain('04315 Leipzig');
    expect(text).toContain('01.03.2026');
    expect(text).toContain(mehmet?.documentNumber);
    expect(text).toContain(mehmet?.verificationCode);
    const [ayse] = await waitForDocuments(move, 1, (d) => d.personId === personId(2));
    const { document: hers } = await call(gateway, 'getDocument', { documentId: ayse?.documentId ?? '' });
    expect(pdfToText(hers?.content ?? Buffer.alloc(0))).toContain('Ayşe');
  });

  it('publishes DocumentIssued keyed by the applicant, in the bundle, caused by the AddressChanged', async () => {
    await recorder.waitFor(
      (m) => m.headers.ce_type === DocumentEvents.DocumentIssued.typeName && m.headers.ce_causationid === acEventId,
      { count: 2, timeoutMs: 30_000 },
    );
    const messages = recorder.messages.filter((m) => m.headers.ce_causationid === acEventId);
    for (const m of messages) {
      expect(m.key).toBe(personId(1));
      expect(m.headers.ce_subject).toBe(personId(1));
      expect(m.headers.ce_correlationid).toBe(`bundle-${move}`);
      expect(m.headers.ce_source).toBe('/buergerservice/document');
    }
    expect(
      issuedFor(move)
        .map((e) => e.personId)
        .sort(),
    ).toEqual([personId(1), personId(2)]);
  });

  it('verifies a real code as valid with the signed fields only, and a tampered code as unknown', async () => {
    const [doc] = await waitForDocuments(move, 1, (d) => d.personId === personId(2));
    const code = doc?.verificationCode ?? '';
    const answer = await call(jobcenter, 'verifyDocument', { verificationCode: code.toLowerCase() });
    expect(answer.result).toBe(VerificationResult.VERIFICATION_RESULT_VALID);
    expect(Object.keys(answer.signedFields).sort()).toEqual([
      'document_number',
      'family_name',
      'given_names',
      'issued_at',
      'kind',
      'move_in_date',
      'municipality',
      'postal_code',
    ]);
    expect(answer.signedFields).toMatchObject({
      document_number: doc?.documentNumber,
      family_name: 'Yılmaz',
      given_names: 'Ayşe',
      postal_code: '04315',
      municipality: 'Leipzig',
      move_in_date: '2026-03-01',
    });
    const key = await call(jobcenter, 'getSigningKey', {});
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: answer.keyId });
    expect(verifiesIndependently(answer.signedFields, answer.signature, key.publicKeyPem)).toBe(true);
    expect(
      verifiesIndependently({ ...answer.signedFields, family_name: 'Müller' }, answer.signature, key.publicKeyPem),
    ).toBe(false);

    const swapped = code.at(-1) === '7' ? '8' : '7';
    const tampered = await call(jobcenter, 'verifyDocument', { verificationCode: `${code.slice(0, -1)}${swapped}` });
    expect(tampered).toEqual({
      result: VerificationResult.VERIFICATION_RESULT_UNKNOWN,
      signedFields: {},
      signature: '',
      keyId: '',
    });
  });

  it('issues no second document on redelivery, neither of the same event nor of the same fact', async () => {
    const payload = addressChanged({ moveId: move, applicant: personId(1), persons: household() });
    await publish(producer, RegistrationEvents.AddressChanged, payload, {
      subject: personId(1),
      correlationId: `bundle-${move}`,
      id: acEventId,
    });
    await publish(producer, RegistrationEvents.AddressChanged, payload, {
      subject: personId(1),
      correlationId: `bundle-${move}`,
    });
    // A marker on the same partition (same key), handled after both duplicates.
    const marker = moveId('marker');
    await publish(
      producer,
      RegistrationEvents.AddressChanged,
      addressChanged({
        moveId: marker,
        applicant: personId(1),
        persons: [household()[0] ?? { personId: '', familyName: '', givenNames: '' }],
      }),
      { subject: personId(1), correlationId: `bundle-${marker}` },
    );
    await waitForDocuments(marker, 1);
    await recorder.waitFor((m) => m.headers.ce_correlationid === `bundle-${marker}`, { timeoutMs: 30_000 });
    expect(await documentsOfMove(move)).toHaveLength(2);
    expect(issuedFor(move)).toHaveLength(2);
  });

  it('revokes every document of the move on AddressChangeRevoked; verification then answers revoked', async () => {
    const [doc] = await waitForDocuments(move, 1, (d) => d.personId === personId(1));
    const revokedId = await publish(
      producer,
      RegistrationEvents.AddressChangeRevoked,
      registration.AddressChangeRevoked.fromPartial({
        moveId: move,
        personId: personId(1),
        personIds: [personId(1), personId(2)],
      }),
      { subject: personId(1), correlationId: `bundle-${move}` },
    );
    const revoked = await waitForDocuments(move, 2, (d) => d.status === DocumentStatus.DOCUMENT_STATUS_REVOKED);
    expect(revoked.every((d) => d.revokedAt instanceof Date)).toBe(true);
    const answer = await call(gateway, 'verifyDocument', { verificationCode: doc?.verificationCode ?? '' });
    expect(answer.result).toBe(VerificationResult.VERIFICATION_RESULT_REVOKED);
    expect(answer.signedFields.family_name).toBe('Yılmaz');
    const events = await recorder.waitFor(
      (m) => m.headers.ce_type === DocumentEvents.DocumentRevoked.typeName && m.headers.ce_causationid === revokedId,
      { count: 2, timeoutMs: 30_000 },
    );
    expect(events.map((m) => document.DocumentRevoked.decode(m.value ?? Buffer.alloc(0)).reason)).toEqual([
      'move-revoked',
      'move-revoked',
    ]);
  });
});

describe('vehicle records', () => {
  const move = moveId('vehicle');
  const plate = `L-T ${run % 10000}`;

  it('issues the record when the holder update arrives before the move, and revokes it when the address is restored', async () => {
    const correlationId = `bundle-${move}`;
    await publish(producer, VehicleEvents.VehicleHolderAddressUpdated, holderAddressUpdated(move, plate, personId(3)), {
      subject: personId(3),
      correlationId,
    });
    await publish(
      producer,
      RegistrationEvents.AddressChanged,
      addressChanged({
        moveId: move,
        applicant: personId(3),
        persons: [{ personId: personId(3), familyName: 'Müller', givenNames: 'Anna' }],
        documents: [registration.RequestedDocument.REQUESTED_DOCUMENT_VEHICLE_REGISTRATION_RECORD],
      }),
      { subject: personId(3), correlationId },
    );
    const [record] = await waitForDocuments(move, 1);
    expect(record).toMatchObject({
      kind: DocumentKind.DOCUMENT_KIND_VEHICLE_REGISTRATION_RECORD,
      status: DocumentStatus.DOCUMENT_STATUS_VALID,
      plate,
      personId: personId(3),
    });
    const { document: pdf } = await call(gateway, 'getDocument', { documentId: record?.documentId ?? '' });
    const text = pdfToText(pdf?.content ?? Buffer.alloc(0)).replace(/[ \t]+/g, ' ');
    expect(text).toContain(plate);
    expect(text).toContain('Eisenbahnstraße 101b');

    await publish(
      producer,
      VehicleEvents.VehicleHolderAddressRestored,
      vehicle.VehicleHolderAddressRestored.fromPartial({ moveId: move, plate, holderPersonId: personId(3) }),
      { subject: personId(3), correlationId },
    );
    await waitForDocuments(move, 1, (d) => d.status === DocumentStatus.DOCUMENT_STATUS_REVOKED);
    const revoked = await recorder.waitFor(
      (m) =>
        m.headers.ce_type === DocumentEvents.DocumentRevoked.typeName && m.headers.ce_correlationid === correlationId,
    );
    expect(document.DocumentRevoked.decode(revoked[0]?.value ?? Buffer.alloc(0)).reason).toBe(
      'holder-address-restored',
    );
  });
});

describe('ID-card sticker order', () => {
  it('is pending until the appointment is booked, then valid', async () => {
    const move = moveId('sticker');
    const applicant = personId(4);
    await publish(
      producer,
      RegistrationEvents.AddressChanged,
      addressChanged({
        moveId: move,
        applicant,
        persons: [{ personId: applicant, familyName: 'Müller', givenNames: 'Jonas' }],
        documents: [],
        appointmentWanted: true,
      }),
      { subject: applicant, correlationId: `bundle-${move}` },
    );
    const [order] = await waitForDocuments(move, 1);
    expect(order).toMatchObject({
      kind: DocumentKind.DOCUMENT_KIND_ID_CARD_ADDRESS_STICKER_ORDER,
      status: DocumentStatus.DOCUMENT_STATUS_PENDING,
      personId: applicant,
      verificationCode: '',
      contentType: '',
    });
    await publish(producer, AppointmentEvents.AppointmentBooked, appointmentBooked(move, applicant), {
      subject: applicant,
      correlationId: `bundle-${move}`,
    });
    await waitForDocuments(move, 1, (d) => d.status === DocumentStatus.DOCUMENT_STATUS_VALID);
    await waitUntil(() => issuedFor(move).length === 2 || undefined, { timeoutMs: 30_000 });
    expect(issuedFor(move).map((e) => e.status)).toEqual([
      DocumentStatus.DOCUMENT_STATUS_PENDING,
      DocumentStatus.DOCUMENT_STATUS_VALID,
    ]);
  });
});

describe('bad input', () => {
  it('dead-letters an unusable event at once and keeps working', async () => {
    const applicant = personId(5);
    const badId = await publish(
      producer,
      RegistrationEvents.AddressChanged,
      registration.AddressChanged.fromPartial({ personId: applicant }),
      { subject: applicant, correlationId: 'bundle-bad' },
    );
    // Bytes that are no protobuf message at all, with valid headers.
    const kafka = testKafka('bad-bytes');
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: Topics.registration,
      messages: [
        {
          key: applicant,
          value: Buffer.from([0xff, 0xff, 0xff, 0xff]),
          headers: {
            ce_specversion: '1.0',
            ce_id: `garbage-${run}`,
            ce_type: RegistrationEvents.AddressChanged.typeName,
            ce_source: '/test',
            ce_time: new Date().toISOString(),
            ce_subject: applicant,
            ce_correlationid: 'bundle-bad',
            ce_causationid: 'x',
            'content-type': 'application/protobuf',
          },
        },
      ],
    });
    await raw.disconnect();
    const dead = await recorder.waitFor((m) => m.topic === 'document.dlq' && m.headers.ce_subject === applicant, {
      count: 2,
      timeoutMs: 30_000,
    });
    const first = dead.find((m) => m.headers.ce_id === badId);
    expect(first?.headers).toMatchObject({
      dlq_reason: 'malformed',
      dlq_consumer_group: 'document',
      dlq_attempts: '0',
    });
    expect(first?.headers.dlq_error).toContain('move_id is required');
    expect(dead.find((m) => m.headers.ce_id === `garbage-${run}`)?.headers.dlq_reason).toBe('malformed');

    // The partition goes on: a good event behind the bad ones is handled.
    const move = moveId('after-bad');
    await publish(
      producer,
      RegistrationEvents.AddressChanged,
      addressChanged({
        moveId: move,
        applicant,
        persons: [{ personId: applicant, familyName: 'Weber', givenNames: 'Jan' }],
      }),
      { subject: applicant, correlationId: `bundle-${move}` },
    );
    await waitForDocuments(move, 1);
  });

  it('answers INVALID_ARGUMENT with the offending fields, NOT_FOUND, and PERMISSION_DENIED per client', async () => {
    const noFilter = await grpcError(call(gateway, 'listDocuments', {}));
    expect(noFilter.code).toBe(status.INVALID_ARGUMENT);
    expect(readFieldViolations(noFilter)).toEqual([{ field: 'filter', description: 'set person_id or move_id' }]);
    const blank = await grpcError(call(gateway, 'listDocuments', { personId: ' ' }));
    expect(readFieldViolations(blank)).toEqual([{ field: 'person_id', description: 'is required' }]);
    const noId = await grpcError(call(gateway, 'getDocument', { documentId: '' }));
    expect(readFieldViolations(noId)).toEqual([{ field: 'document_id', description: 'is required' }]);
    const noCode = await grpcError(call(gateway, 'verifyDocument', { verificationCode: '' }));
    expect(readFieldViolations(noCode)).toEqual([{ field: 'verification_code', description: 'is required' }]);
    const tooLong = await grpcError(call(gateway, 'verifyDocument', { verificationCode: 'A'.repeat(65) }));
    expect(readFieldViolations(tooLong)).toEqual([
      { field: 'verification_code', description: 'must be at most 64 characters' },
    ]);

    const missing = await grpcError(call(gateway, 'getDocument', { documentId: 'no-such-document' }));
    expect(missing.code).toBe(status.NOT_FOUND);

    // Other bodies verify; they do not list or download anyone's documents.
    expect((await grpcError(call(jobcenter, 'listDocuments', { personId: personId(1) }))).code).toBe(
      status.PERMISSION_DENIED,
    );
    expect((await grpcError(call(jobcenter, 'getDocument', { documentId: 'x' }))).code).toBe(status.PERMISSION_DENIED);
    const garbage = await call(jobcenter, 'verifyDocument', { verificationCode: 'hello' });
    expect(garbage.result).toBe(VerificationResult.VERIFICATION_RESULT_UNKNOWN);
  });

  it('lists the documents about a person', async () => {
    const docs = await call(gateway, 'listDocuments', { personId: personId(2) });
    expect(docs.documents.length).toBeGreaterThanOrEqual(1);
    expect(docs.documents.every((d) => d.personId === personId(2))).toBe(true);
  });
});
