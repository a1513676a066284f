import { minuteOf, type OutboxEntry, withOutbox, withOutboxMinute } from './entry.js';

/** An entry with only what the minute bucket looks at. */
const at = (iso: string) => ({ id: iso, recordedAt: new Date(iso) }) as OutboxEntry;

describe('minuteOf', () => {
  it('names the UTC minute of a time, so that the names sort like the times', () => {
    expect(minuteOf(new Date('2026-11-22T23:59:59.999+01:00'))).toBe('2026-11-22T22:59');
    expect(minuteOf(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01T00:00');
    expect(minuteOf(new Date('2026-11-22T09:59:00Z')) < minuteOf(new Date('2026-11-22T10:00:00Z'))).toBe(true);
  });
});

describe('withOutboxMinute', () => {
  it('adds $max of the latest minute among the entries an update appends', () => {
    const update = withOutbox(
      { $set: { street: 'Augustusplatz' } },
      at('2026-11-22T10:00:59.000Z'),
      at('2026-11-22T10:01:00.000Z'),
    );
    expect(withOutboxMinute(update)).toEqual({ ...update, $max: { outboxMinute: '2026-11-22T10:01' } });
  });

  it('covers a single pushed entry, entries set as a whole, and a replacement', () => {
    expect(withOutboxMinute({ $push: { outbox: at('2026-11-22T10:02:00Z') } }).$max).toEqual({
      outboxMinute: '2026-11-22T10:02',
    });
    expect(withOutboxMinute({ $set: { outbox: [at('2026-11-22T10:03:00Z')] } }).$max).toEqual({
      outboxMinute: '2026-11-22T10:03',
    });
    expect(withOutboxMinute({ street: 'x', outbox: [at('2026-11-22T10:04:00Z')] }).$max).toEqual({
      outboxMinute: '2026-11-22T10:04',
    });
  });

  it('keeps the other $max fields and a later minute that is already there', () => {
    const entries = { $push: { outbox: { $each: [at('2026-11-22T10:00:00Z')] } } };
    expect(withOutboxMinute({ ...entries, $max: { version: 3 } }).$max).toEqual({
      version: 3,
      outboxMinute: '2026-11-22T10:00',
    });
    const later = { ...entries, $max: { outboxMinute: '2026-11-22T11:00' } };
    expect(withOutboxMinute(later)).toBe(later);
  });

  it('leaves alone updates that write no entries', () => {
    const updates = [
      { $set: { street: 'x' } },
      { $push: { seen: 'a' } },
      { $push: { outbox: { $each: [] } } },
      { $set: { outbox: [] } },
    ];
    for (const update of updates) expect(withOutboxMinute(update)).toBe(update);
  });
});
