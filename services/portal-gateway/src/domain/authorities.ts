/**
 * The authorities' objects as the gateway uses them (the contracts' types stay
 * in src/authorities/, which maps them). Instants are Dates, calendar days
 * "YYYY-MM-DD" strings.
 */

export interface PostalAddress {
  readonly street: string;
  readonly houseNumber: string;
  readonly houseNumberSuffix: string;
  readonly addressAddition: string;
  readonly postalCode: string;
  readonly municipality: string;
  readonly municipalityKey: string;
  readonly countryCode: string;
}

export interface MoveCommand {
  /** Derived from the citizen's Idempotency-Key and person id. */
  readonly idempotencyKey: string;
  /** The bundle id. */
  readonly correlationId: string;
  readonly kind: 'within-city' | 'into-city';
  readonly personId: string;
  readonly coMovingPersonIds: readonly string[];
  readonly newAddress: PostalAddress;
  readonly previousAddress?: PostalAddress;
  readonly moveInDate: string;
  readonly residenceType: 'main' | 'secondary';
  readonly landlordConfirmationReference: string;
  readonly followUps: {
    readonly vehiclePlates: readonly string[];
    readonly documents: readonly ('registration-confirmation' | 'vehicle-registration-record')[];
    readonly appointment: {
      readonly wanted: boolean;
      readonly autoBook: boolean;
      readonly locationId: string;
      readonly earliestDate: string;
      readonly interpreterLanguage: string;
    };
  };
}

export interface RecordedMove {
  readonly moveId: string;
  readonly correlationId: string;
  readonly personId: string;
  readonly status: 'recorded' | 'revoked' | 'unspecified';
  readonly recordedAt?: Date;
  readonly revocableUntil?: Date;
}

export interface VehicleSummary {
  readonly plate: string;
  readonly make: string;
  readonly model: string;
  readonly status: 'registered' | 'deregistered' | 'unspecified';
}

export interface Location {
  readonly locationId: string;
  readonly name: string;
  readonly kind: 'citizen-office' | 'mobile-stop' | 'specialist-office' | 'unspecified';
  readonly address?: PostalAddress;
  readonly district: string;
  readonly nextDates: readonly string[];
  readonly openingHours: string;
}

export interface OfferedService {
  readonly serviceId: string;
  readonly name: string;
  readonly durationMinutes: number;
  readonly locationIds: readonly string[];
  readonly invitationOnly: boolean;
  readonly interpreterAvailable: boolean;
}

export interface Slot {
  readonly locationId: string;
  readonly serviceId: string;
  readonly start?: Date;
  readonly end?: Date;
  readonly freeCapacity: number;
}

export interface Appointment {
  readonly appointmentId: string;
  readonly bookingCode: string;
  readonly personId: string;
  readonly serviceId: string;
  readonly locationId: string;
  readonly start?: Date;
  readonly end?: Date;
  readonly status: 'booked' | 'cancelled' | 'unspecified';
  readonly interpreterLanguage: string;
  readonly moveId: string;
}

export type DocumentKindName =
  | 'registration-confirmation'
  | 'vehicle-registration-record'
  | 'id-card-sticker-order'
  | 'unspecified';

export interface IssuedDocument {
  readonly documentId: string;
  readonly kind: DocumentKindName;
  readonly status: 'valid' | 'revoked' | 'pending' | 'unspecified';
  readonly personId: string;
  readonly moveId: string;
  readonly plate: string;
  readonly documentNumber: string;
  readonly issuedAt?: Date;
  readonly revokedAt?: Date;
  readonly contentType: string;
}

export interface DocumentContent {
  readonly document: IssuedDocument;
  readonly content: Uint8Array;
}

export interface Verification {
  readonly result: 'valid' | 'revoked' | 'unknown';
  readonly signedFields: Readonly<Record<string, string>>;
  readonly signature: string;
  readonly keyId: string;
}
