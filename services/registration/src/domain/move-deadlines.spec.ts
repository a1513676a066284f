import {
  earliestMoveInDate,
  isLateRegistration,
  latestMoveInDate,
  moveInDateProblem,
  previousOfficeNotificationDue,
  registrationDeadline,
  revocationDeadline,
} from './move-deadlines.js';

describe('registration deadline (BMG §17(1), BGB §§187, 188, 193)', () => {
  it.each([
    ['2025-11-03', '2025-11-17'], // Monday + 2 weeks = Monday
    ['2025-11-01', '2025-11-17'], // ends Saturday 15th -> Monday
    ['2025-11-02', '2025-11-17'], // ends Sunday 16th -> Monday
    ['2025-11-05', '2025-11-20'], // ends on Buß- und Bettag -> Thursday
    ['2025-10-17', '2025-11-03'], // ends on Reformationstag (Friday) -> Monday
  ])('moving in on %s: register by %s', (moveIn, deadline) => {
    expect(registrationDeadline(moveIn)).toBe(deadline);
  });

  it('flags registrations after the deadline as late, not on the deadline itself', () => {
    expect(isLateRegistration('2025-11-03', '2025-11-17')).toBe(false);
    expect(isLateRegistration('2025-11-03', '2025-11-18')).toBe(true);
    expect(isLateRegistration('2025-11-01', '2025-11-17')).toBe(false);
    expect(isLateRegistration('2025-11-20', '2025-11-17')).toBe(false); // registered before moving in
  });
});

describe('accepted move-in dates', () => {
  const today = '2025-11-17';

  it('reach from six months back to one week ahead', () => {
    expect(earliestMoveInDate(today)).toBe('2025-05-17');
    expect(latestMoveInDate(today)).toBe('2025-11-24');
  });

  it.each([
    ['2025-11-24', undefined],
    ['2025-11-17', undefined],
    ['2025-05-17', undefined],
  ])('accepts %s', (date, problem) => {
    expect(moveInDateProblem(date, today)).toBe(problem);
  });

  it('refuses a date more than a week ahead', () => {
    expect(moveInDateProblem('2025-11-25', today)).toMatch(/at most 7 days in the future/);
  });

  it('refuses a date more than six months back', () => {
    expect(moveInDateProblem('2025-05-16', today)).toMatch(/more than 6 months in the past/);
  });
});

describe('revocation window: until the end of the next working day, Berlin time', () => {
  it.each([
    ['Monday morning', '2025-11-17T09:00:00Z', '2025-11-18T22:59:59.999Z'],
    ['Tuesday before Buß- und Bettag', '2025-11-18T09:00:00Z', '2025-11-20T22:59:59.999Z'],
    ['Friday', '2025-11-21T15:00:00Z', '2025-11-24T22:59:59.999Z'],
    ['Saturday', '2025-11-22T10:00:00Z', '2025-11-24T22:59:59.999Z'],
    ['Sunday 23:30 UTC = Monday 00:30 in Berlin', '2025-11-16T23:30:00Z', '2025-11-18T22:59:59.999Z'],
    ['Sunday 22:30 UTC = Sunday 23:30 in Berlin', '2025-11-16T22:30:00Z', '2025-11-17T22:59:59.999Z'],
    ['Thursday before Reformationstag', '2025-10-30T12:00:00Z', '2025-11-03T22:59:59.999Z'],
    ['Maundy Thursday', '2026-04-02T08:00:00Z', '2026-04-07T21:59:59.999Z'],
    ['Friday before the clocks go forward', '2026-03-27T08:00:00Z', '2026-03-30T21:59:59.999Z'],
    ['Christmas Eve', '2025-12-24T08:00:00Z', '2025-12-29T22:59:59.999Z'],
  ])('recorded %s (%s): revocable until %s', (_label, recorded, until) => {
    expect(revocationDeadline(new Date(recorded)).toISOString()).toBe(until);
  });
});

describe('notification of the previous office (BMG §33: three Werktage)', () => {
  it('is due three Werktage after the day of registration in Berlin', () => {
    expect(previousOfficeNotificationDue(new Date('2025-11-17T09:00:00Z'))).toBe('2025-11-21');
    expect(previousOfficeNotificationDue(new Date('2025-11-20T09:00:00Z'))).toBe('2025-11-24');
    expect(previousOfficeNotificationDue(new Date('2025-12-23T23:30:00Z'))).toBe('2025-12-30');
  });
});
