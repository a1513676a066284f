import type { common, registration } from '@buergerservice/contracts';
import { Violations } from '@buergerservice/service-kit';
import type { MoveCursor, AuditFilter, AuditQuery } from '../app/ports.js';
import {
  addressFromContract,
  appointmentFromContract,
  documentFromContract,
  moveKindFromContract,
  residenceTypeFromContract,
} from '../contract.js';
import type { Address } from '../domain/address.js';
import type { AccessContext } from '../domain/audit.js';
import { isCalendarDate } from '../domain/calendar.js';
import type { MoveRequest, RequestedDocument } from '../domain/move.js';
import { decodePageToken } from './page-token.js';

/**
 * Validation of requests at the edge: the form of every field, with every
 * violation named by its proto path. The register's rules (directory,
 * deadlines, household) are checked by the domain.
 */

const MAX_ID = 200;
const MAX_TEXT = 500;
const PLATE = /^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$/;
const COUNTRY = /^[A-Z]{2}$/;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface SubmitCommandParts {
  readonly idempotencyKey: string;
  readonly correlationId: string;
  readonly request: MoveRequest;
}

export function submitRequest(req: registration.SubmitChangeOfAddressRequest): SubmitCommandParts {
  const v = new Violations();
  if (v.required('idempotency_key', req.idempotencyKey)) {
    v.check(req.idempotencyKey.length <= MAX_ID, 'idempotency_key', `must be at most ${MAX_ID} characters`);
  }
  v.check(req.correlationId.length <= MAX_ID, 'correlation_id', `must be at most ${MAX_ID} characters`);
  const kind = moveKindFromContract(req.kind);
  v.check(kind !== undefined, 'kind', 'must be specified');
  id(v, 'person_id', req.personId);
  for (const [i, personId] of req.coMovingPersonIds.entries()) id(v, `co_moving_person_ids[${i}]`, personId);
  const newAddress = v.required('new_address', req.newAddress)
    ? address(v.at('new_address'), req.newAddress, kind === 'abroad' ? 'abroad' : 'city')
    : undefined;
  const previousAddress = req.previousAddress
    ? address(v.at('previous_address'), req.previousAddress, 'elsewhere')
    : undefined;
  if (v.required('move_in_date', req.moveInDate)) {
    v.check(isCalendarDate(req.moveInDate), 'move_in_date', 'must be a date YYYY-MM-DD');
  }
  const residenceType = residenceTypeFromContract(req.residenceType);
  v.check(residenceType !== undefined, 'residence_type', 'must be specified');
  v.check(
    req.landlordConfirmationReference.length <= MAX_ID,
    'landlord_confirmation_reference',
    `must be at most ${MAX_ID} characters`,
  );

  const followUps = req.followUps;
  const documents: RequestedDocument[] = [];
  followUps?.vehiclePlates.forEach((plate, i) => {
    v.check(
      PLATE.test(plate.trim().toUpperCase()),
      `follow_ups.vehicle_plates[${i}]`,
      'must be a licence plate like "L-AB 1234"',
    );
  });
  for (const [i, document] of (followUps?.documents ?? []).entries()) {
    const known = documentFromContract(document);
    if (known === undefined) v.add(`follow_ups.documents[${i}]`, 'must be specified');
    else documents.push(known);
  }
  const appointment = followUps?.appointment;
  if (appointment) {
    const a = v.at('follow_ups.appointment');
    if (appointment.earliestDate !== '') {
      a.check(isCalendarDate(appointment.earliestDate), 'earliest_date', 'must be a date YYYY-MM-DD');
    }
    if (appointment.interpreterLanguage !== '') {
      a.check(/^[a-z]{2}$/.test(appointment.interpreterLanguage), 'interpreter_language', 'must be an ISO 639-1 code');
    }
    a.check(appointment.locationId.length <= MAX_ID, 'location_id', `must be at most ${MAX_ID} characters`);
  }
  v.throwIfAny();
  if (kind === undefined || newAddress === undefined || residenceType === undefined) {
    throw new Error('a request that passed validation lacks kind, new address or residence type');
  }

  return {
    idempotencyKey: req.idempotencyKey,
    correlationId: req.correlationId.trim(),
    request: {
      kind,
      personId: req.personId.trim(),
      coMovingPersonIds: req.coMovingPersonIds.map((p) => p.trim()),
      newAddress,
      previousAddress,
      moveInDate: req.moveInDate,
      residenceType,
      landlordConfirmationReference: req.landlordConfirmationReference,
      followUps: {
        vehiclePlates: followUps?.vehiclePlates ?? [],
        documents,
        ...(appointment ? { appointment: appointmentFromContract(appointment) } : {}),
      },
    },
  };
}

/**
 * The form of an address: in the city German rules (five-digit postal code,
 * numeric house number); abroad only what every address has.
 */
function address(v: Violations, input: common.Address, where: 'city' | 'abroad' | 'elsewhere'): Address {
  v.required('street', input.street);
  for (const [field, value] of Object.entries({
    street: input.street,
    house_number_suffix: input.houseNumberSuffix,
    address_addition: input.addressAddition,
    municipality: input.municipality,
  })) {
    v.check(value.length <= MAX_TEXT / 2, field, `must be at most ${MAX_TEXT / 2} characters`);
  }
  const country = input.countryCode.trim().toUpperCase();
  if (country !== '') v.check(COUNTRY.test(country), 'country_code', 'must be an ISO 3166-1 alpha-2 code');
  const german = where === 'city' || (where === 'elsewhere' && (country === '' || country === 'DE'));
  if (german) {
    if (v.required('house_number', input.houseNumber)) {
      v.check(/^\d{1,5}$/.test(input.houseNumber.trim()), 'house_number', 'must be digits only');
    }
    if (v.required('postal_code', input.postalCode)) {
      v.check(/^\d{5}$/.test(input.postalCode.trim()), 'postal_code', 'must be five digits');
    }
    if (input.municipalityKey !== '') {
      v.check(/^\d{8}$/.test(input.municipalityKey.trim()), 'municipality_key', 'must be eight digits');
    }
    v.check(input.houseNumberSuffix.trim().length <= 3, 'house_number_suffix', 'must be at most 3 characters');
  } else {
    v.required('municipality', input.municipality);
    v.required('country_code', input.countryCode);
  }
  return addressFromContract(input);
}

function id(v: Violations, field: string, value: string): void {
  if (v.required(field, value)) v.check(value.length <= MAX_ID, field, `must be at most ${MAX_ID} characters`);
}

/** BMG §40: every read states its purpose; file reference and user are logged when given. */
export function accessContext(v: Violations, access: registration.AccessContext | undefined): AccessContext {
  if (v.required('access', access, 'is required: state the purpose of the request (BMG §40)')) {
    const a = v.at('access');
    if (a.required('purpose', access.purpose)) a.check(access.purpose.length <= MAX_TEXT, 'purpose', 'is too long');
    a.check(access.fileReference.length <= MAX_ID, 'file_reference', 'is too long');
    a.check(access.actingUserId.length <= MAX_ID, 'acting_user_id', 'is too long');
    return { fileReference: access.fileReference, purpose: access.purpose, actingUserId: access.actingUserId };
  }
  return { fileReference: '', purpose: '', actingUserId: '' };
}

export function pageSize(v: Violations, size: number): number {
  v.check(
    size >= 0 && size <= MAX_PAGE_SIZE,
    'page_size',
    `must be between 1 and ${MAX_PAGE_SIZE} (0 = ${DEFAULT_PAGE_SIZE})`,
  );
  return size === 0 ? DEFAULT_PAGE_SIZE : size;
}

export function moveCursor(v: Violations, token: string): MoveCursor | undefined {
  if (token === '') return undefined;
  const cursor = decodePageToken(token);
  v.check(cursor !== undefined, 'page_token', 'is not a token of this list');
  return cursor ? { recordedAt: cursor.time, moveId: cursor.id } : undefined;
}

export function auditQuery(req: registration.ListAuditEntriesRequest): AuditQuery {
  const v = new Violations();
  let filter: AuditFilter | undefined;
  if (req.personId !== undefined) {
    if (v.required('person_id', req.personId)) filter = { personId: req.personId };
  } else if (req.recipient !== undefined) {
    if (v.required('recipient', req.recipient)) filter = { recipient: req.recipient };
  } else {
    v.add('filter', 'person_id or recipient is required');
  }
  if (req.from && req.to) v.check(req.from.getTime() <= req.to.getTime(), 'to', 'must not be before from');
  const size = pageSize(v, req.pageSize);
  let after: AuditQuery['after'];
  if (req.pageToken !== '') {
    const cursor = decodePageToken(req.pageToken);
    v.check(cursor !== undefined, 'page_token', 'is not a token of this list');
    after = cursor ? { time: cursor.time, entryId: cursor.id } : undefined;
  }
  v.throwIfAny();
  if (!filter) throw new Error('a request that passed validation lacks its filter');
  return { filter, from: req.from, to: req.to, size, after };
}
