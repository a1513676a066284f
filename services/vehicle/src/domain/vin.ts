/**
 * Vehicle identification numbers (Fahrzeug-Identifizierungsnummer, ISO 3779):
 * 17 characters, digits and capital letters except I, O and Q (easily
 * mistaken for 1 and 0). The check digit at position 9 is mandatory only in
 * North America, so it is not verified here.
 */
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

export type VinProblem = 'empty' | 'length' | 'characters';

export type VinParse =
  | { readonly ok: true; readonly vin: string }
  | { readonly ok: false; readonly problem: VinProblem };

/** Reads a VIN; case and surrounding blanks are tolerated, the result is upper case. */
export function parseVin(input: string): VinParse {
  const vin = input.trim().toUpperCase();
  if (vin === '') return { ok: false, problem: 'empty' };
  if (vin.length !== 17) return { ok: false, problem: 'length' };
  if (!VIN.test(vin)) return { ok: false, problem: 'characters' };
  return { ok: true, vin };
}

export const vinProblemText: Record<VinProblem, string> = {
  empty: 'is required',
  length: 'must have exactly 17 characters',
  characters: 'may contain only digits and the letters A-Z without I, O and Q',
};
