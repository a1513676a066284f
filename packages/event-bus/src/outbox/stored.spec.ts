import { mongo } from 'mongoose';
import { CorruptOutboxError, readOutboxEntries } from './stored.js';

const raw = {
  id: 'e-1',
  topic: 'registration.events.v1',
  typeName: 'buergerservice.registration.v1.AddressChanged',
  key: 'person-1',
  payload: new mongo.Binary(Buffer.from([1, 2, 3])),
  time: new Date('2025-03-01T10:00:00Z'),
  recordedAt: new Date('2025-03-01T10:00:01Z'),
  correlationId: 'bundle-1',
  causationId: 'request-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

describe('stored outbox entries', () => {
  it('reads driver documents into entries', () => {
    expect(readOutboxEntries([raw], 'doc 1')).toEqual([{ ...raw, payload: Buffer.from([1, 2, 3]) }]);
  });

  it('reads no entries from a document without an outbox', () => {
    expect(readOutboxEntries(undefined, 'doc 1')).toEqual([]);
  });

  it.each([
    ['a missing id', { ...raw, id: undefined }],
    ['a payload that is not binary', { ...raw, payload: 'AQID' }],
    ['a time that is not a date', { ...raw, time: '2025-03-01' }],
    ['a missing recordedAt', { ...raw, recordedAt: undefined }],
  ])('rejects %s', (_what, entry) => {
    expect(() => readOutboxEntries([entry], 'doc 1')).toThrow(CorruptOutboxError);
  });
});
