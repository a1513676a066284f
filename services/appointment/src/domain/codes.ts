/**
 * Short codes people read aloud and type: booking codes ("K7P-4QX") and
 * invitation codes ("7K3P-9QXT"). The alphabet leaves out 0/O and 1/I, and
 * has 32 letters, so a random byte modulo 32 is unbiased.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Source of random bytes (crypto in production, seeded in tests). */
export type RandomBytes = (count: number) => Uint8Array;

export function randomCode(random: RandomBytes, groups: readonly number[]): string {
  const total = groups.reduce((sum, n) => sum + n, 0);
  const bytes = random(total);
  let offset = 0;
  return groups
    .map((length) => {
      let group = '';
      for (let i = 0; i < length; i++) group += CODE_ALPHABET[(bytes[offset++] ?? 0) % 32];
      return group;
    })
    .join('-');
}

export function bookingCode(random: RandomBytes): string {
  return randomCode(random, [3, 3]);
}

export function invitationCode(random: RandomBytes): string {
  return randomCode(random, [4, 4]);
}
