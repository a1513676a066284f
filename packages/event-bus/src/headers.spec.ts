import {
  CloudEventHeaders,
  decodeEventHeaders,
  type EventMetadata,
  encodeEventHeaders,
  headersAsStrings,
  InvalidEventHeadersError,
  parseRfc3339,
} from './headers.js';

const meta: EventMetadata = {
  id: '7b0e6f1e-3c9a-4a57-9a43-1d0f3c2b9e11',
  type: 'buergerservice.registration.v1.AddressChanged',
  source: '/buergerservice/registration',
  time: new Date('2025-03-01T09:30:00.123Z'),
  subject: 'person-4711',
  correlationId: 'bundle-1',
  causationId: 'request-9',
};

function problemsOf(headers: Record<string, string | Buffer | (string | Buffer)[]>): readonly string[] {
  try {
    decodeEventHeaders(headers);
  } catch (error) {
    if (error instanceof InvalidEventHeadersError) return error.problems;
    throw error;
  }
  throw new Error('expected the headers to be rejected');
}

describe('CloudEvents headers', () => {
  it('encodes the binary-mode headers of the wire contract', () => {
    expect(encodeEventHeaders(meta)).toEqual({
      ce_specversion: '1.0',
      ce_id: meta.id,
      ce_type: 'buergerservice.registration.v1.AddressChanged',
      ce_source: '/buergerservice/registration',
      ce_time: '2025-03-01T09:30:00.123Z',
      ce_subject: 'person-4711',
      ce_correlationid: 'bundle-1',
      ce_causationid: 'request-9',
      'content-type': 'application/protobuf',
    });
  });

  it('decodes what it encodes, also from Buffer values as kafkajs delivers them', () => {
    const asBuffers = Object.fromEntries(Object.entries(encodeEventHeaders(meta)).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeEventHeaders(asBuffers)).toEqual(meta);
  });

  it('ignores unrelated headers such as traceparent', () => {
    const headers = {
      ...encodeEventHeaders(meta),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    expect(decodeEventHeaders(headers)).toEqual(meta);
  });

  it('names every missing header', () => {
    const { ce_id: _id, ce_subject: _subject, ...rest } = encodeEventHeaders(meta);
    expect(problemsOf(rest)).toEqual(['ce_id is missing', 'ce_subject is missing']);
  });

  it('rejects an empty header value like a missing one', () => {
    expect(problemsOf({ ...encodeEventHeaders(meta), ce_correlationid: '' })).toEqual(['ce_correlationid is missing']);
  });

  it('rejects a wrong spec version and content type', () => {
    const headers = { ...encodeEventHeaders(meta), ce_specversion: '0.3', 'content-type': 'application/json' };
    expect(problemsOf(headers)).toEqual(['ce_specversion must be 1.0', 'content-type must be application/protobuf']);
  });

  it('rejects a time that is not RFC 3339, without quoting the value', () => {
    const problems = problemsOf({ ...encodeEventHeaders(meta), ce_time: 'March 1st, 2025' });
    expect(problems).toEqual(['ce_time is not an RFC 3339 timestamp']);
  });

  it('rejects a header repeated with different values, accepts identical repeats', () => {
    const base = encodeEventHeaders(meta);
    expect(problemsOf({ ...base, ce_id: ['a', 'b'] })).toEqual(['ce_id is repeated with different values']);
    expect(decodeEventHeaders({ ...base, ce_id: [meta.id, Buffer.from(meta.id)] }).id).toBe(meta.id);
  });

  it('treats no headers at all as malformed', () => {
    expect(() => decodeEventHeaders(undefined)).toThrow(InvalidEventHeadersError);
  });

  it('exposes the header names as constants', () => {
    expect(Object.values(CloudEventHeaders)).toContain('ce_correlationid');
  });

  it('renders all headers as strings for display', () => {
    expect(headersAsStrings({ a: Buffer.from('x'), b: ['y', 'z'], c: undefined })).toEqual({ a: 'x', b: 'y' });
  });
});

describe('parseRfc3339', () => {
  it.each([
    ['2025-03-01T09:30:00Z', '2025-03-01T09:30:00.000Z'],
    ['2025-03-01T09:30:00.5+01:00', '2025-03-01T08:30:00.500Z'],
    ['2025-03-01t09:30:00z', '2025-03-01T09:30:00.000Z'],
  ])('accepts %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each(['2025-03-01', '2025-03-01 09:30:00Z', '2025-03-01T09:30:00', '2025-13-01T09:30:00Z', ''])(
    'rejects %p',
    (text) => {
      expect(parseRfc3339(text)).toBeUndefined();
    },
  );
});
