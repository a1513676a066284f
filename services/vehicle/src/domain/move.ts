import type { Address } from './address.js';
import { type Destination, destinationOf, type Jurisdiction } from './jurisdiction.js';

/**
 * A move as the registration office announced it (AddressChanged), reduced
 * to what the vehicle register needs. Names of the persons are not kept.
 */
export interface MoveNotice {
  readonly moveId: string;
  /** The applicant: the key of every reaction, so a household's events stay in order. */
  readonly applicantId: string;
  /** Everyone the move covers; a vehicle's holder must be one of them. */
  readonly personIds: readonly string[];
  readonly newAddress: Address;
  readonly abroad: boolean;
  /** Plates the citizen asked to re-register, as typed. */
  readonly plates: readonly string[];
  /**
   * When the registration office recorded the move (the event's time). Orders
   * the moves of one vehicle, so a late redelivery of an older move never
   * overrides a newer one.
   */
  readonly recordedAt: Date;
}

export function moveDestination(move: MoveNotice, jurisdiction: Jurisdiction): Destination {
  return move.abroad ? { kind: 'abroad' } : destinationOf(move.newAddress, jurisdiction);
}

export function coversPerson(move: MoveNotice, personId: string): boolean {
  return move.personIds.includes(personId) || move.applicantId === personId;
}
