import { createHash } from 'node:crypto';
import { DomainError } from './errors.js';
import type { SignedFields } from './signing.js';

export type DocumentKind =
  | 'registration-confirmation'
  | 'vehicle-registration-record'
  | 'id-card-address-sticker-order';

/**
 * pending -> valid -> revoked, never backwards: statuses only grow, which is
 * what makes the service converge whatever order its events arrive in.
 */
export type DocumentStatus = 'pending' | 'valid' | 'revoked';

export const STATUS_RANK: Readonly<Record<DocumentStatus, number>> = { pending: 0, valid: 1, revoked: 2 };

export type RevocationReason = 'move-revoked' | 'holder-address-restored';

/** The event that caused a change: its id becomes the causation id, its correlation id is kept. */
export interface Cause {
  eventId: string;
  correlationId: string;
}

/** Plates are compared as written on the plate: upper case, single blanks ("l-am  2026" = "L-AM 2026"). */
export function normalizePlate(plate: string): string {
  return plate.trim().toUpperCase().replace(/\s+/g, ' ');
}

/**
 * Document ids are derived from what the document is about, so every
 * delivery of the same event aims at the same document and an insert-once
 * makes "one document per person per move" hold whatever the redeliveries.
 * Ids end up in logs, where plates must not (they identify a person), so a
 * vehicle record's id carries a hash of the plate instead of the plate.
 */
export const documentIds = {
  registrationConfirmation: (moveId: string, personId: string) => `${moveId}:${personId}:registration-confirmation`,
  vehicleRecord: (moveId: string, plate: string) =>
    `${moveId}:plate-${createHash('sha256').update(normalizePlate(plate)).digest('hex').slice(0, 16)}:vehicle-registration-record`,
  stickerOrder: (moveId: string, personId: string) => `${moveId}:${personId}:id-card-address-sticker-order`,
} as const;

/** Whether a kind is a printed document (PDF, signed, verifiable) or a record (the sticker order). */
export function isPrinted(kind: DocumentKind): boolean {
  return kind !== 'id-card-address-sticker-order';
}

/** The state of one document, without its content. */
export interface DocumentState {
  documentId: string;
  kind: DocumentKind;
  status: DocumentStatus;
  /** The person the document is about. */
  personId: string;
  /** The applicant of the move: the record key of every event about the document. */
  applicantPersonId: string;
  moveId: string;
  /** Vehicle records only; "" otherwise. */
  plate: string;
  documentNumber: string;
  /** Printed documents only; "" for orders. */
  verificationCode: string;
  issuedAt: Date;
  completedAt?: Date | undefined;
  revokedAt?: Date | undefined;
  revocationReason?: RevocationReason | undefined;
}

/** What the document service tells the others (mapped to DocumentIssued / DocumentRevoked). */
export type DocumentEvent =
  | {
      type: 'issued';
      /** valid for PDFs and completed orders, pending for an order waiting for its appointment. */
      status: 'valid' | 'pending';
      document: DocumentState;
      cause: Cause;
    }
  | { type: 'revoked'; reason: RevocationReason; document: DocumentState; cause: Cause };

export interface Transition {
  state: DocumentState;
  events: DocumentEvent[];
}

export interface IssueInput {
  documentId: string;
  kind: DocumentKind;
  personId: string;
  applicantPersonId: string;
  moveId: string;
  plate: string;
  documentNumber: string;
  verificationCode: string;
}

/** Issues a document: printed documents are valid at once, an order waits for its appointment. */
export function issueDocument(input: IssueInput, now: Date, cause: Cause): Transition {
  const status: 'valid' | 'pending' = isPrinted(input.kind) ? 'valid' : 'pending';
  const state: DocumentState = {
    ...input,
    plate: input.plate ? normalizePlate(input.plate) : '',
    status,
    issuedAt: now,
  };
  return { state, events: [{ type: 'issued', status, document: state, cause }] };
}

/**
 * Completes a pending order (its appointment was booked). Published as a
 * second DocumentIssued with status VALID: the contract has no separate
 * "completed" event, and consumers key documents by document_id.
 */
export function completeOrder(state: DocumentState, now: Date, cause: Cause): Transition {
  if (state.kind !== 'id-card-address-sticker-order') {
    throw new DomainError('not-an-order', `${state.documentId} is not an order`);
  }
  if (state.status !== 'pending') throw new DomainError('not-pending', `${state.documentId} is ${state.status}`);
  const next: DocumentState = { ...state, status: 'valid', completedAt: now };
  return { state: next, events: [{ type: 'issued', status: 'valid', document: next, cause }] };
}

/** Revokes a document: verification answers "revoked" from then on. Final. */
export function revokeDocument(state: DocumentState, reason: RevocationReason, now: Date, cause: Cause): Transition {
  if (state.status === 'revoked') throw new DomainError('already-revoked', `${state.documentId} is already revoked`);
  const next: DocumentState = { ...state, status: 'revoked', revokedAt: now, revocationReason: reason };
  return { state: next, events: [{ type: 'revoked', reason, document: next, cause }] };
}

/** The name as a document shows it. */
export interface PersonName {
  familyName: string;
  givenNames: string;
  /** "" when none. */
  doctoralDegree: string;
}

/**
 * The signed fields: only what a landlord, bank or authority needs to match
 * the paper in front of them, nothing else (no street, no birth date).
 */
export function signedFieldsOf(input: {
  kind: DocumentKind;
  documentNumber: string;
  name: PersonName;
  postalCode: string;
  municipality: string;
  moveInDate: string;
  issuedAt: Date;
}): SignedFields {
  return {
    document_number: input.documentNumber,
    kind: input.kind,
    family_name: input.name.familyName,
    given_names: input.name.givenNames,
    postal_code: input.postalCode,
    municipality: input.municipality,
    move_in_date: input.moveInDate,
    // Whole seconds: what the PDF can show and a verifier can compare.
    issued_at: `${input.issuedAt.toISOString().slice(0, 19)}Z`,
  };
}
