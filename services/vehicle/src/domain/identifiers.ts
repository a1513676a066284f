/**
 * Formats of the register's other identifiers. Checked where data enters
 * the register (the gRPC edge and the seed), so the rules hold for every
 * stored vehicle.
 */

/** Person ids come from the registration office's register (e.g. "P0000001"); opaque here, but bounded. */
const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isPersonId(value: string): boolean {
  return PERSON_ID.test(value);
}

/** District codes (Unterscheidungszeichen) as in a plate: 1-3 capital letters, umlauts allowed. */
const DISTRICT_CODE = /^[A-ZÄÖÜ]{1,3}$/;

export function isDistrictCode(value: string): boolean {
  return DISTRICT_CODE.test(value);
}

/**
 * Number of the registration certificate part I (Zulassungsbescheinigung
 * Teil I, FZV §11): printed on the security form as a letter prefix and a
 * serial number, e.g. "AB1234567". Checked loosely (letters, then digits):
 * the form's issuer, not this register, owns the exact numbering.
 */
const CERTIFICATE_NUMBER = /^[A-Z]{1,3}[0-9]{6,8}$/;

export function isCertificateNumber(value: string): boolean {
  return CERTIFICATE_NUMBER.test(value);
}

/** Make and model as written in the certificate (fields D.1 and D.3); free text, bounded. */
export function isMakeOrModel(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 60 && !/\p{Cc}/u.test(trimmed);
}
