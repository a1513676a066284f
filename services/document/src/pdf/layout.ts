import { germanDate } from '../domain/calendar.js';
import type { MoveKind, PostalAddress, ResidenceType } from '../domain/move.js';

/** How an address is written on a German document, line by line. */
export function addressLines(address: PostalAddress): string[] {
  const number = `${address.houseNumber}${address.houseNumberSuffix}`;
  const lines = [`${address.street} ${number}`.trim()];
  if (address.addressAddition) lines.push(address.addressAddition);
  lines.push(`${address.postalCode} ${address.municipality}`.trim());
  if (address.countryCode && address.countryCode !== 'DE') lines.push(address.countryCode);
  return lines;
}

export function residenceTypeText(type: ResidenceType): string {
  switch (type) {
    case 'main':
      return 'Hauptwohnung';
    case 'secondary':
      return 'Nebenwohnung';
    case 'unspecified':
      return 'nicht angegeben';
  }
}

/** What the registration office did, as the confirmation names it. */
export function moveKindText(kind: MoveKind): { act: string; dateLabel: string } {
  switch (kind) {
    case 'into-city':
      return { act: 'Anmeldung', dateLabel: 'Tag des Einzugs' };
    case 'within-city':
      return { act: 'Ummeldung', dateLabel: 'Tag des Einzugs' };
    case 'abroad':
      return { act: 'Abmeldung (Wegzug ins Ausland)', dateLabel: 'Tag des Auszugs' };
    case 'unspecified':
      return { act: 'Meldung', dateLabel: 'Tag des Einzugs' };
  }
}

export { germanDate };
