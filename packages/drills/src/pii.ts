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

export function scanText(source: string, text: string, needles: readonly Needle[]): PersonalDataHit[] {
  const hits: PersonalDataHit[] = [];
  for (const needle of needles) {
    const at = text.indexOf(needle.text);
    if (at < 0) continue;
    hits.push({
      source,
      kind: needle.kind,
      needle: needle.text,
      excerpt: text.slice(Math.max(0, at - 80), at + needle.text.length + 80),
    });
  }
  return hits;
}

/** Every line of a service's output; returns the hits (empty = clean). */
export function scanLog(service: string, content: string, needles: readonly Needle[]): PersonalDataHit[] {
  return content
    .split('\n')
    .flatMap((line, i) => (line ? scanText(`${service} log line ${i + 1}`, line, needles) : []));
}
