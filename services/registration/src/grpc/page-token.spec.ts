import { decodePageToken, encodePageToken } from './page-token.js';

describe('page tokens', () => {
  it('round-trip the cursor', () => {
    const cursor = { time: new Date('2025-11-17T09:00:00.123Z'), id: 'abc' };
    expect(decodePageToken(encodePageToken(cursor))).toEqual(cursor);
    expect(encodePageToken(undefined)).toBe('');
  });

  it.each([
    'garbage',
    Buffer.from('{"t":"x","i":"a"}').toString('base64url'),
    Buffer.from('[1]').toString('base64url'),
  ])('refuse %s', (token) => {
    expect(decodePageToken(token)).toBeUndefined();
  });
});
