import { auditDeleteBy, auditPurgeCutoff } from './audit.js';

describe('audit log retention', () => {
  it('keeps entries exactly twelve months', () => {
    expect(auditPurgeCutoff(new Date('2026-11-17T10:00:00Z')).toISOString()).toBe('2025-11-17T10:00:00.000Z');
    // 29 February: the cutoff falls on 1 March, which keeps entries a little longer, never shorter.
    expect(auditPurgeCutoff(new Date('2028-02-29T10:00:00Z')).toISOString()).toBe('2027-03-01T10:00:00.000Z');
  });

  it('must delete an entry by the end of the following calendar year in Berlin', () => {
    expect(auditDeleteBy(new Date('2025-03-01T10:00:00Z')).toISOString()).toBe('2026-12-31T22:59:59.999Z');
    // 31 December 23:30 Berlin is still 2025 there, although 22:30 UTC.
    expect(auditDeleteBy(new Date('2025-12-31T22:30:00Z')).toISOString()).toBe('2026-12-31T22:59:59.999Z');
    // 1 January 00:30 Berlin belongs to 2026.
    expect(auditDeleteBy(new Date('2025-12-31T23:30:00Z')).toISOString()).toBe('2027-12-31T22:59:59.999Z');
  });

  it('purges every entry within the legal window when the job runs at least every five minutes', () => {
    const fiveMinutes = 5 * 60_000;
    for (const written of ['2025-01-01T00:00:00Z', '2025-06-15T12:00:00Z', '2025-12-31T22:50:00Z']) {
      const time = new Date(written);
      // The first run at which the entry is older than the cutoff, at the latest one interval later.
      const oneYearLater = new Date(time.getTime());
      oneYearLater.setUTCFullYear(oneYearLater.getUTCFullYear() + 1);
      const purgedAt = new Date(oneYearLater.getTime() + fiveMinutes);
      expect(auditPurgeCutoff(purgedAt).getTime()).toBeGreaterThan(time.getTime());
      expect(purgedAt.getTime()).toBeLessThanOrEqual(auditDeleteBy(time).getTime());
      // …and never before twelve months have passed.
      const early = new Date(time.getTime() + 364 * 86_400_000);
      expect(auditPurgeCutoff(early).getTime()).toBeLessThanOrEqual(time.getTime());
    }
  });
});
