/**
 * German licence plates (Kennzeichen, FZV §8 with Anlage 4): a district code
 * (Unterscheidungszeichen) of one to three letters, then the identification
 * number (Erkennungsnummer) of one or two letters and a number from 1 to
 * 9999, optionally followed by "E" (electric vehicle, EmoG §4) or "H"
 * (historic vehicle, Oldtimerkennzeichen). Together the district code, the letters and the
 * digits have at most eight characters; the suffix does not count.
 *
 * Written form, as on the registration certificate and in the contracts:
 * `L-AB 1234`, `L-XY 12E`.
 */
export interface Plate {
  /** District code, e.g. "L"; may hold the umlauts of codes such as "LÖ". */
  readonly district: string;
  /** One or two letters, no umlauts. */
  readonly letters: string;
  /** 1 to 9999 without leading zeros, as written. */
  readonly number: string;
  readonly suffix: '' | 'E' | 'H';
  /** The canonical written form, e.g. "L-AB 1234"; the register's key. */
  readonly text: string;
}

/** Why an input is not a plate; worded for the caller, never quoting the input. */
export type PlateProblem = 'empty' | 'format' | 'too-long';

export type PlateParse =
  | { readonly ok: true; readonly plate: Plate }
  | { readonly ok: false; readonly problem: PlateProblem };

const MAX_CHARACTERS = 8;

// After normalisation: district, a hyphen, letters, an optional space, the number and the suffix.
const WRITTEN = /^([A-ZÄÖÜ]{1,3})-([A-Z]{1,2}) ?([1-9][0-9]{0,3})([EH]?)$/;

/**
 * Reads a plate as citizens and clerks type it: case, surrounding blanks,
 * repeated blanks, blanks around the hyphen, a blank instead of the hyphen
 * and a missing blank before the number are tolerated; everything else must
 * be the written form.
 */
export function parsePlate(input: string): PlateParse {
  const normalised = input.trim().toLocaleUpperCase('de-DE').replace(/\s+/g, ' ').replace(/ ?- ?/, '-');
  if (normalised === '') return { ok: false, problem: 'empty' };
  // A blank instead of the hyphen: "L AB 1234".
  const withHyphen = normalised.includes('-') ? normalised : normalised.replace(' ', '-');
  const match = WRITTEN.exec(withHyphen);
  if (!match) return { ok: false, problem: 'format' };
  const [, district = '', letters = '', number = '', suffix = ''] = match;
  if (district.length + letters.length + number.length > MAX_CHARACTERS) return { ok: false, problem: 'too-long' };
  return {
    ok: true,
    plate: {
      district,
      letters,
      number,
      suffix: suffix === 'E' || suffix === 'H' ? suffix : '',
      text: `${district}-${letters} ${number}${suffix}`,
    },
  };
}

export const plateProblemText: Record<PlateProblem, string> = {
  empty: 'is required',
  format:
    'must be a German licence plate such as "L-AB 1234" (district code, hyphen, 1-2 letters, 1-4 digits, optional E or H)',
  'too-long': 'must not have more than eight letters and digits besides the E or H suffix',
};

/** The canonical written form of a plate, or undefined when the input is not one. */
export function normalisePlate(input: string): string | undefined {
  const parsed = parsePlate(input);
  return parsed.ok ? parsed.plate.text : undefined;
}
