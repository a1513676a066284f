/** The source of "now" for every rule and use case; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that returns `time` until set otherwise (tests, the purge job's tests). */
export function fixedClock(time: Date): Clock & { set(time: Date): void } {
  let current = time;
  return {
    now: () => new Date(current.getTime()),
    set(next: Date) {
      current = next;
    },
  };
}
