/**
 * The rules of a change-of-address bundle as the portal checks them before
 * the registration office sees it: shared by the OpenAPI document (the
 * server's validation) and the web page (its client-side validation), so the
 * two cannot drift apart. `bundle-rules.spec.ts` checks with generated
 * inputs that both report the same fields. Pure: runs in Node and the browser.
 *
 * Rules of the law (deadlines of the Bundesmeldegesetz, whether persons may
 * move along, whether an address exists) are the registration office's; its
 * answers come back as field violations on the same paths.
 */

export const PERSON_ID_PATTERN = '^P[0-9]{7}$';
/** Licence plate in written form: district (1-3 letters), hyphen, 1-2 letters, space, 1-4 digits, optional E or H. */
export const PLATE_PATTERN = '^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$';
export const POSTAL_CODE_PATTERN = '^[0-9]{5}$';
export const HOUSE_NUMBER_PATTERN = '^[1-9][0-9]{0,4}$';
export const HOUSE_NUMBER_SUFFIX_PATTERN = '^[a-zA-Z]{0,2}$';
export const MUNICIPALITY_KEY_PATTERN = '^[0-9]{8}$';
export const COUNTRY_CODE_PATTERN = '^[A-Z]{2}$';
export const LANDLORD_REFERENCE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$';
export const LANGUAGE_PATTERN = '^[a-z]{2}$';
export const LOCATION_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
export const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const TEXT_MAX = 100;
export const MAX_MEMBERS = 10;
export const MAX_PLATES = 5;

export const MOVE_KINDS = ['within-city', 'into-city'] as const;
export const RESIDENCE_TYPES = ['main', 'secondary'] as const;
export const REQUESTED_DOCUMENTS = ['registration-confirmation', 'vehicle-registration-record'] as const;

export type MoveKindInput = (typeof MOVE_KINDS)[number];
export type ResidenceTypeInput = (typeof RESIDENCE_TYPES)[number];
export type RequestedDocumentInput = (typeof REQUESTED_DOCUMENTS)[number];

export interface AddressInput {
  street: string;
  houseNumber: string;
  houseNumberSuffix?: string;
  addressAddition?: string;
  postalCode: string;
  municipality: string;
  municipalityKey?: string;
  countryCode?: string;
}

export interface BundleInput {
  move: {
    kind: MoveKindInput;
    moveInDate: string;
    residenceType: ResidenceTypeInput;
    newAddress: AddressInput;
    previousAddress?: AddressInput;
    landlordConfirmationReference: string;
  };
  householdMemberIds: string[];
  vehiclePlates: string[];
  documents: RequestedDocumentInput[];
  appointment: {
    wanted: boolean;
    autoBook: boolean;
    locationId?: string;
    earliestDate?: string;
    interpreterLanguage?: string;
  };
}

/** A rule broken: the JSON pointer of the field and a code the page translates. */
export interface RuleViolation {
  readonly field: string;
  readonly code: RuleCode;
}

export type RuleCode =
  | 'required'
  | 'type'
  | 'pattern'
  | 'format'
  | 'enum'
  | 'too-long'
  | 'too-many'
  | 'duplicate'
  | 'unknown-field';

/** A calendar date "YYYY-MM-DD" that exists (as JSON Schema's `format: date` checks it). */
export function isCalendarDate(value: string): boolean {
  if (!new RegExp(DATE_PATTERN).test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= days;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly violations: RuleViolation[] = [];
  add(field: string, code: RuleCode): void {
    if (!this.violations.some((v) => v.field === field && v.code === code)) this.violations.push({ field, code });
  }

  /** Object with required and optional keys; reports missing and unknown ones; returns the object or undefined. */
  object(
    value: Json,
    path: string,
    required: readonly string[],
    optional: readonly string[],
  ): Record<string, Json> | undefined {
    if (!isObject(value)) {
      this.add(path, 'type');
      return undefined;
    }
    for (const key of required) if (!(key in value)) this.add(`${path}/${key}`, 'required');
    for (const key of Object.keys(value)) {
      if (!required.includes(key) && !optional.includes(key)) this.add(`${path}/${escapeToken(key)}`, 'unknown-field');
    }
    return value;
  }

  string(
    value: Json,
    path: string,
    rules: { pattern?: string; maxLength?: number; minLength?: number; date?: boolean; enum?: readonly string[] },
  ): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.add(path, 'type');
      return;
    }
    const length = [...value].length;
    // An empty field is reported as missing rather than as malformed (same field as the API names).
    const emptyRefused =
      (rules.pattern !== undefined && !new RegExp(rules.pattern, 'u').test('')) ||
      rules.date === true ||
      (rules.minLength ?? 0) > 0;
    if (length === 0 && emptyRefused) {
      this.add(path, 'required');
      return;
    }
    if (rules.minLength !== undefined && length < rules.minLength) this.add(path, 'required');
    if (rules.maxLength !== undefined && length > rules.maxLength) this.add(path, 'too-long');
    if (rules.pattern !== undefined && !new RegExp(rules.pattern, 'u').test(value)) this.add(path, 'pattern');
    if (rules.date && !isCalendarDate(value)) this.add(path, 'format');
    if (rules.enum && !rules.enum.includes(value)) this.add(path, 'enum');
  }

  boolean(value: Json, path: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.add(path, 'type');
  }

  /** An array; `strings`: duplicates are looked for among its strings only (entries of another type are wrong anyway). */
  array(value: Json, path: string, maxItems: number, item: (value: Json, path: string) => void, strings = true): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.add(path, 'type');
      return;
    }
    if (value.length > maxItems) this.add(path, 'too-many');
    const seen: string[] = [];
    let duplicate = false;
    value.forEach((entry, i) => {
      item(entry, `${path}/${i}`);
      if (strings && typeof entry !== 'string') return;
      const key = JSON.stringify(entry);
      if (seen.includes(key)) duplicate = true;
      seen.push(key);
    });
    if (duplicate) this.add(path, 'duplicate');
  }
}

/** JSON pointer escaping of one reference token (RFC 6901). */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function checkAddress(c: Collector, value: Json, path: string, previous: boolean): void {
  const required = previous
    ? ['street', 'houseNumber', 'postalCode', 'municipality', 'municipalityKey']
    : ['street', 'houseNumber', 'postalCode', 'municipality'];
  const optional = previous
    ? ['houseNumberSuffix', 'addressAddition', 'countryCode']
    : ['houseNumberSuffix', 'addressAddition', 'municipalityKey', 'countryCode'];
  const a = c.object(value, path, required, optional);
  if (!a) return;
  c.string(a.street, `${path}/street`, { minLength: 1, maxLength: TEXT_MAX });
  c.string(a.houseNumber, `${path}/houseNumber`, { pattern: HOUSE_NUMBER_PATTERN });
  c.string(a.houseNumberSuffix, `${path}/houseNumberSuffix`, { pattern: HOUSE_NUMBER_SUFFIX_PATTERN });
  c.string(a.addressAddition, `${path}/addressAddition`, { maxLength: TEXT_MAX });
  c.string(a.postalCode, `${path}/postalCode`, { pattern: POSTAL_CODE_PATTERN });
  c.string(a.municipality, `${path}/municipality`, { minLength: 1, maxLength: TEXT_MAX });
  c.string(a.municipalityKey, `${path}/municipalityKey`, { pattern: MUNICIPALITY_KEY_PATTERN });
  c.string(a.countryCode, `${path}/countryCode`, { pattern: COUNTRY_CODE_PATTERN });
}

/**
 * Checks a bundle as the API's JSON Schema does and returns every violation
 * (empty when valid). Field paths are JSON pointers into the request body.
 */
export function validateBundle(input: Json): RuleViolation[] {
  const c = new Collector();
  const body = c.object(input, '', ['move', 'householdMemberIds', 'vehiclePlates', 'documents', 'appointment'], []);
  if (!body) return c.violations;
  const move = c.object(
    body.move,
    '/move',
    ['kind', 'moveInDate', 'residenceType', 'newAddress', 'landlordConfirmationReference'],
    ['previousAddress'],
  );
  if (move) {
    c.string(move.kind, '/move/kind', { enum: MOVE_KINDS });
    c.string(move.moveInDate, '/move/moveInDate', { date: true });
    c.string(move.residenceType, '/move/residenceType', { enum: RESIDENCE_TYPES });
    if (move.newAddress !== undefined) checkAddress(c, move.newAddress, '/move/newAddress', false);
    if (move.previousAddress !== undefined) checkAddress(c, move.previousAddress, '/move/previousAddress', true);
    else if (move.kind === 'into-city') c.add('/move/previousAddress', 'required');
    c.string(move.landlordConfirmationReference, '/move/landlordConfirmationReference', {
      pattern: LANDLORD_REFERENCE_PATTERN,
    });
  }
  c.array(body.householdMemberIds, '/householdMemberIds', MAX_MEMBERS, (v, p) =>
    c.string(v, p, { pattern: PERSON_ID_PATTERN }),
  );
  c.array(body.vehiclePlates, '/vehiclePlates', MAX_PLATES, (v, p) => c.string(v, p, { pattern: PLATE_PATTERN }));
  c.array(
    body.documents,
    '/documents',
    REQUESTED_DOCUMENTS.length,
    (v, p) => c.string(v, p, { enum: REQUESTED_DOCUMENTS }),
    false,
  );
  const appointment = c.object(
    body.appointment,
    '/appointment',
    ['wanted', 'autoBook'],
    ['locationId', 'earliestDate', 'interpreterLanguage'],
  );
  if (appointment) {
    c.boolean(appointment.wanted, '/appointment/wanted');
    c.boolean(appointment.autoBook, '/appointment/autoBook');
    c.string(appointment.locationId, '/appointment/locationId', { pattern: LOCATION_ID_PATTERN });
    c.string(appointment.earliestDate, '/appointment/earliestDate', { date: true });
    c.string(appointment.interpreterLanguage, '/appointment/interpreterLanguage', { pattern: LANGUAGE_PATTERN });
  }
  return c.violations;
}
