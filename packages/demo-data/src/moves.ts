import type { Household } from './households.js';
import type { DemoAddress } from './population.js';
import { LEIPZIG, LEIPZIG_STREETS } from './streets.js';

/** An address of the street directory as the portal's bundle form takes it. */
export interface BundleAddress {
  street: string;
  houseNumber: string;
  postalCode: string;
  municipality: string;
}

/** The request body of POST /api/bundles (the gateway's BundleRequest schema) for a move within the city. */
export interface BundleRequestBody {
  move: {
    kind: 'within-city';
    moveInDate: string;
    residenceType: 'main';
    newAddress: BundleAddress;
    landlordConfirmationReference: string;
  };
  householdMemberIds: string[];
  vehiclePlates: string[];
  documents: ('registration-confirmation' | 'vehicle-registration-record')[];
  appointment: { wanted: boolean; autoBook: boolean };
}

/**
 * A random address of the street directory that is not `current` (a move to
 * the same address would be refused). Draws two numbers of `random` per
 * attempt, at most 20 attempts; throws if all of them hit `current`.
 */
export function randomNewAddress(current: DemoAddress, random: () => number): BundleAddress {
  for (let attempt = 0; attempt < 20; attempt++) {
    const street = LEIPZIG_STREETS[Math.floor(random() * LEIPZIG_STREETS.length)];
    if (!street) continue;
    const houseNumber = String(
      street.houseNumbers.from + Math.floor(random() * (street.houseNumbers.to - street.houseNumbers.from + 1)),
    );
    if (street.name === current.street && houseNumber === current.houseNumber) continue;
    return { street: street.name, houseNumber, postalCode: street.postalCode, municipality: LEIPZIG };
  }
  throw new Error('no new address found in the street directory');
}

export interface MoveChoice {
  readonly moveInDate: string;
  /** Numbers the landlord confirmation reference (`WGB-000042`), unique per run. */
  readonly serial: number;
  readonly newAddress: BundleAddress;
  /** Plates of the household's vehicles that move along. */
  readonly vehiclePlates: readonly string[];
  readonly appointmentWanted: boolean;
}

/**
 * The bundle of a whole household moving within the city: every member moves
 * along, the registration confirmation always and the vehicle record when
 * vehicles move, the ID-card sticker appointment booked automatically when wanted.
 */
export function moveBundleBody(household: Household, choice: MoveChoice): BundleRequestBody {
  return {
    move: {
      kind: 'within-city',
      moveInDate: choice.moveInDate,
      residenceType: 'main',
      newAddress: choice.newAddress,
      landlordConfirmationReference: `WGB-${String(choice.serial).padStart(6, '0')}`,
    },
    householdMemberIds: household.members.map((m) => m.personId),
    vehiclePlates: [...choice.vehiclePlates],
    documents:
      choice.vehiclePlates.length > 0
        ? ['registration-confirmation', 'vehicle-registration-record']
        : ['registration-confirmation'],
    appointment: { wanted: choice.appointmentWanted, autoBook: true },
  };
}
