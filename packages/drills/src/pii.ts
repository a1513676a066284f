import type { DemoPerson } from '@buergerservice/demo-data';

/**
 * The personal-data scan: no name, birth date or street of a seeded citizen
 * may appear in a log line or an exported span (CONVENTIONS: log ids). The
 * needles are the citizens the drill actually moved, so every one of them
 * went through every service.
 */

export interface PersonalDataHit {
  /** e.g. "vehicle log line 120" or "span registration/SubmitChangeOfAddress". */
  readonly source: string;
  readonly kind: 'name' | 'birth date' | 'street';
  readonly needle: string;
  readonly excerpt: string;
}

export interface Needle {
  readonly kind: PersonalDataHit['kind'];
  readonly text: string;
}

export function personalDataNeedles(persons: readonly DemoPerson[], streets: readonly string[]): Needle[] {
  const needles = new Map<string, Needle>();
  const add = (kind: Needle['kind'], text: string) => {
    // Very short strings would match unrelated text; no seeded name or street is that short.
    if (text.trim().length >= 4) needles.set(`${kind}|${text}`, { kind, text });
  };
  for (const p of persons) {
    add('name', `${p.givenNames} ${p.familyName}`);
    add('name', p.familyName);
    add('birth date', p.dateOfBirth);
    add('street', p.address.street);
  }
  for (const street of streets) add('street', street);
  return [...needles.values()];
}

/** Needles by their first four characters (every needle has at least four): a scan looks at each position once. */
interface NeedleIndex {
  readonly byPrefix: ReadonlyMap<string, readonly { readonly needle: Needle; readonly order: number }[]>;
}

const PREFIX = 4;
const indexes = new WeakMap<readonly Needle[], NeedleIndex>();

function indexOf(needles: readonly Needle[]): NeedleIndex {
  let index = indexes.get(needles);
  if (!index) {
    const byPrefix = new Map<string, { needle: Needle; order: number }[]>();
    needles.forEach((needle, order) => {
      const key = needle.text.slice(0, PREFIX);
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), { needle, order }]);
    });
    index = { byPrefix };
    indexes.set(needles, index);
  }
  return index;
}

/**
 * Every needle found in a text, once each at its first occurrence, in the order of the needles. Looks up each
 * position's first four characters instead of searching the text once per needle: a full drill scans some
 * 100,000 spans for some 5,000 needles, which took the runner minutes per drill (and blocked its event loop).
 */
export function scanText(source: string, text: string, needles: readonly Needle[]): PersonalDataHit[] {
  const { byPrefix } = indexOf(needles);
  const found = new Map<number, PersonalDataHit>();
  for (let at = 0; at + PREFIX <= text.length; at++) {
    const candidates = byPrefix.get(text.slice(at, at + PREFIX));
    if (!candidates) continue;
    for (const { needle, order } of candidates) {
      if (found.has(order) || !text.startsWith(needle.text, at)) continue;
      found.set(order, {
        source,
        kind: needle.kind,
        needle: needle.text,
        excerpt: text.slice(Math.max(0, at - 80), at + needle.text.length + 80),
      });
    }
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([, hit]) => hit);
}

/** Every line of a service's output; returns the hits (empty = clean). */
export function scanLog(service: string, content: string, needles: readonly Needle[]): PersonalDataHit[] {
  return content
    .split('\n')
    .flatMap((line, i) => (line ? scanText(`${service} log line ${i + 1}`, line, needles) : []));
}
