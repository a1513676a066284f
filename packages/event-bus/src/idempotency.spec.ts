import { alsoRequire } from './idempotency.js';

describe('alsoRequire', () => {
  it('adds the condition beside the filter, so the filter stays flat', () => {
    expect(alsoRequire({ _id: 'L-AM 2026', version: 3 }, 'processedEventIds', { $ne: 'e-1' })).toEqual({
      _id: 'L-AM 2026',
      version: 3,
      processedEventIds: { $ne: 'e-1' },
    });
  });

  it('keeps both conditions when the filter already names the path', () => {
    const filter = { _id: 'x', processedEventIds: 'e-0' };
    expect(alsoRequire(filter, 'processedEventIds', { $ne: 'e-1' })).toEqual({
      $and: [filter, { processedEventIds: { $ne: 'e-1' } }],
    });
  });

  it('keeps top-level operators of the filter', () => {
    expect(alsoRequire({ $or: [{ a: 1 }, { b: 2 }] }, 'processedEventIds.500', { $exists: true })).toEqual({
      $or: [{ a: 1 }, { b: 2 }],
      'processedEventIds.500': { $exists: true },
    });
  });
});
