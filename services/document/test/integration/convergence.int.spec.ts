import { randomInt } from 'node:crypto';
import { databaseUrl, uniqueName } from '@buergerservice/testing';
import fc from 'fast-check';
import mongoose, { type Connection } from 'mongoose';
import type { DocumentAppDeps, DocumentRecord } from '../../src/app/ports.js';
import { KeyRing } from '../../src/domain/signing.js';
import { encodeDocumentEvent } from '../../src/events/codec.js';
import { MongoDocumentRepository } from '../../src/store/document-repository.js';
import { type DocumentModels, documentModels, ensureIndexes } from '../../src/store/models.js';
import { MongoMoveRepository } from '../../src/store/move-repository.js';
import { MongoNumberSequence } from '../../src/store/number-sequence.js';
import { FakeRenderer, inMemoryApp, RecordingLogger, TEST_KEY } from '../support/in-memory.js';
import { causalEvents, deliver, deliverInterleaved, moveArb, partitions, withDuplicates } from '../support/scenario.js';

/**
 * The convergence property once more, with the real repositories on the real
 * database (FerretDB 1.24, whose concurrent updates of one document can lose
 * one — the store is insert-only because of that): duplicated, interleaved
 * and concurrent deliveries end with the documents of in-order delivery.
 */

let connection: Connection;
let models: DocumentModels;

beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl(uniqueName('document-convergence'))).asPromise();
  models = documentModels(connection);
  await ensureIndexes(models);
});

afterAll(async () => {
  await connection?.close();
});

function storeApp(): DocumentAppDeps {
  return {
    moves: new MongoMoveRepository(models.facts),
    documents: new MongoDocumentRepository(models.documents, models.transitions, encodeDocumentEvent),
    sequence: new MongoNumberSequence(models.numberClaims),
    renderer: new FakeRenderer(),
    keys: new KeyRing(TEST_KEY),
    clock: { now: () => new Date('2026-03-02T09:15:00Z') },
    logger: new RecordingLogger(),
  };
}

const summary = (records: readonly DocumentRecord[], prefix: string) =>
  records
    .map((r) => `${r.documentId}|${r.kind}|${r.status}|${r.personId}|${r.plate}`)
    .map((line) => (prefix ? line.replaceAll(prefix, '') : line))
    .sort();

const run = randomInt(1_000_000, 9_999_999);
let scenario = 0;

it('duplicated, interleaved and concurrent deliveries yield the in-order documents on the real store', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(moveArb, { minLength: 1, maxLength: 2 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 40 }),
      async (moves, dupes, schedule) => {
        const prefix = `r${run}-${scenario++}-`;
        const inOrder = inMemoryApp();
        for (const d of moves.flatMap((spec, i) => causalEvents(i, spec))) await deliver(inOrder, d);
        const expected = summary(
          [...inOrder.documents.documents.values()].map((d) => d.record),
          '',
        );

        const app = storeApp();
        const causal = moves.flatMap((spec, i) => causalEvents(i, spec, prefix));
        await deliverInterleaved(app, withDuplicates(partitions(causal), dupes), schedule);
        const moveIds = [...new Set(causal.map((d) => d.moveId))];
        const stored = (await Promise.all(moveIds.map((id) => app.documents.listByMove(id)))).flat();
        expect(summary(stored, prefix)).toEqual(expected);
        // Every status change has exactly one log entry per number, and every document one number.
        const numbers = stored.map((r) => r.documentNumber);
        expect(new Set(numbers).size).toBe(numbers.length);
      },
    ),
    { numRuns: 25 },
  );
});
