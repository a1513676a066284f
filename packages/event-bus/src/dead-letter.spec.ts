import {
  type DeadLetterInfo,
  deadLetterMessage,
  deadLetterTopic,
  decodeDeadLetterHeaders,
  describeError,
  encodeDeadLetterHeaders,
  replayMessage,
} from './dead-letter.js';

const info: DeadLetterInfo = {
  originalTopic: 'registration.events.v1',
  originalPartition: 2,
  originalOffset: '41',
  consumerGroup: 'vehicle',
  reason: 'handler-failed',
  error: 'VehicleStoreUnavailable: timed out',
  attempts: 5,
  failedAt: new Date('2025-03-01T10:00:00.000Z'),
};

describe('dead letters', () => {
  it('names the topic after the consumer group', () => {
    expect(deadLetterTopic('vehicle')).toBe('vehicle.dlq');
  });

  it('writes the dlq_* headers and reads them back', () => {
    const headers = encodeDeadLetterHeaders(info);
    expect(headers).toEqual({
      dlq_original_topic: 'registration.events.v1',
      dlq_original_partition: '2',
      dlq_original_offset: '41',
      dlq_consumer_group: 'vehicle',
      dlq_reason: 'handler-failed',
      dlq_error: 'VehicleStoreUnavailable: timed out',
      dlq_attempts: '5',
      dlq_failed_at: '2025-03-01T10:00:00.000Z',
    });
    const asBuffers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeDeadLetterHeaders(asBuffers)).toEqual(info);
  });

  it('refuses to read a record that is not a dead letter', () => {
    expect(() => decodeDeadLetterHeaders({ ce_id: 'x' })).toThrow(/dlq_reason is missing/);
  });

  it('keeps the original key, value and headers and adds its own', () => {
    const original = {
      key: Buffer.from('person-1'),
      value: Buffer.from([1, 2, 3]),
      headers: { ce_id: Buffer.from('e-1'), traceparent: Buffer.from('00-abc') },
    };
    const message = deadLetterMessage(original, info);
    expect(message.key).toBe(original.key);
    expect(message.value).toBe(original.value);
    expect(message.headers).toMatchObject({ ce_id: original.headers.ce_id, traceparent: original.headers.traceparent });
    expect(message.headers?.dlq_reason).toBe('handler-failed');
  });

  it('replays to the original topic without the dlq_* headers but with where it came from', () => {
    const dead = deadLetterMessage(
      { key: Buffer.from('person-1'), value: Buffer.from([9]), headers: { ce_id: Buffer.from('e-1') } },
      info,
    );
    const { topic, message } = replayMessage(
      { key: dead.key as Buffer, value: dead.value as Buffer, headers: dead.headers ?? {} },
      { topic: 'vehicle.dlq', partition: 0, offset: '7' },
    );
    expect(topic).toBe('registration.events.v1');
    expect(Object.keys(message.headers ?? {}).sort()).toEqual(['ce_id', 'dlq_replayed_from']);
    expect(message.headers?.dlq_replayed_from).toBe('vehicle.dlq:0:7');
    expect(message.value).toEqual(Buffer.from([9]));
  });

  it('describes errors by name and message, bounded, without the stack', () => {
    const error = new TypeError('boom');
    expect(describeError(error)).toBe('TypeError: boom');
    expect(describeError('a string')).toBe('non-error thrown: string');
    expect(describeError(new Error('x'.repeat(2_000))).length).toBe(500);
  });
});
