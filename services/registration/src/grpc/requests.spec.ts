import { registration } from '@buergerservice/contracts';
import { ValidationError } from '@buergerservice/service-kit';
import { auditQuery, submitRequest } from './requests.js';
import { encodePageToken } from './page-token.js';

const { MoveKind, ResidenceType, RequestedDocument } = registration;

const mozart = {
  street: 'Mozartstraße',
  houseNumber: '7',
  postalCode: '04107',
  municipality: 'Leipzig',
  countryCode: 'de',
};

function valid(overrides: Partial<registration.SubmitChangeOfAddressRequest> = {}) {
  return registration.SubmitChangeOfAddressRequest.fromPartial({
    idempotencyKey: 'k-1',
    correlationId: 'bundle-1',
    kind: MoveKind.MOVE_KIND_WITHIN_CITY,
    personId: 'P0000001',
    coMovingPersonIds: ['P0000002'],
    newAddress: {
      street: 'Mozartstraße',
      houseNumber: '7',
      postalCode: '04107',
      municipality: 'Leipzig',
      countryCode: 'de',
    },
    moveInDate: '2025-11-15',
    residenceType: ResidenceType.RESIDENCE_TYPE_MAIN,
    landlordConfirmationReference: 'WGB-1',
    followUps: {
      vehiclePlates: ['L-AM 2026'],
      documents: [RequestedDocument.REQUESTED_DOCUMENT_REGISTRATION_CONFIRMATION],
      appointment: {
        wanted: true,
        locationId: 'BB-1',
        autoBook: false,
        earliestDate: '2025-11-20',
        interpreterLanguage: 'tr',
      },
    },
    ...overrides,
  });
}

function violations(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => v.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('SubmitChangeOfAddress request validation', () => {
  it('maps a valid request to the domain', () => {
    const { idempotencyKey, correlationId, request } = submitRequest(valid());
    expect(idempotencyKey).toBe('k-1');
    expect(correlationId).toBe('bundle-1');
    expect(request).toMatchObject({
      kind: 'within-city',
      personId: 'P0000001',
      coMovingPersonIds: ['P0000002'],
      newAddress: { street: 'Mozartstraße', houseNumber: '7', postalCode: '04107', countryCode: 'DE' },
      moveInDate: '2025-11-15',
      residenceType: 'main',
      followUps: {
        vehiclePlates: ['L-AM 2026'],
        documents: ['registration-confirmation'],
        appointment: { locationId: 'BB-1' },
      },
    });
    expect(request.previousAddress).toBeUndefined();
  });

  it('reports every malformed field at once, by proto path', () => {
    const empty = registration.SubmitChangeOfAddressRequest.fromPartial({ coMovingPersonIds: [''] });
    expect(violations(() => submitRequest(empty))).toEqual([
      'idempotency_key',
      'kind',
      'person_id',
      'co_moving_person_ids[0]',
      'new_address',
      'move_in_date',
      'residence_type',
    ]);
  });

  it('checks the form of the address, dates, plates and documents', () => {
    const bad = valid({
      newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({
        newAddress: { ...mozart, houseNumber: '7a', postalCode: '4107', municipalityKey: '147', countryCode: 'DEU' },
      }).newAddress,
      moveInDate: '15.11.2025',
      followUps: {
        vehiclePlates: ['LAM2026'],
        documents: [RequestedDocument.REQUESTED_DOCUMENT_UNSPECIFIED],
        appointment: {
          wanted: true,
          locationId: '',
          autoBook: false,
          earliestDate: 'soon',
          interpreterLanguage: 'tur',
        },
      },
    });
    expect(violations(() => submitRequest(bad))).toEqual([
      'new_address.country_code',
      'new_address.house_number',
      'new_address.postal_code',
      'new_address.municipality_key',
      'move_in_date',
      'follow_ups.vehicle_plates[0]',
      'follow_ups.documents[0]',
      'follow_ups.appointment.earliest_date',
      'follow_ups.appointment.interpreter_language',
    ]);
  });

  it('accepts addresses abroad in their own form but requires municipality and country', () => {
    const abroad = valid({
      kind: MoveKind.MOVE_KIND_ABROAD,
      newAddress: {
        street: 'Mariahilfer Straße',
        houseNumber: '1/3',
        postalCode: '1060',
        municipality: 'Wien',
        countryCode: 'AT',
      } as never,
    });
    expect(submitRequest(abroad).request.newAddress).toMatchObject({ houseNumber: '1/3', countryCode: 'AT' });
    const incomplete = valid({
      kind: MoveKind.MOVE_KIND_ABROAD,
      newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({ newAddress: { street: 'X' } }).newAddress,
    });
    expect(violations(() => submitRequest(incomplete))).toEqual([
      'new_address.municipality',
      'new_address.country_code',
    ]);
  });
});

describe('ListAuditEntries request validation', () => {
  it('needs exactly one filter and a sane page', () => {
    expect(violations(() => auditQuery(registration.ListAuditEntriesRequest.fromPartial({})))).toEqual(['filter']);
    expect(
      violations(() =>
        auditQuery(
          registration.ListAuditEntriesRequest.fromPartial({
            personId: 'P1',
            from: new Date('2025-02-01'),
            to: new Date('2025-01-01'),
            pageSize: 101,
            pageToken: 'garbage',
          }),
        ),
      ),
    ).toEqual(['to', 'page_size', 'page_token']);
  });

  it('reads the filter, range and cursor', () => {
    const token = encodePageToken({ time: new Date('2025-01-01T00:00:00Z'), id: 'e1' });
    expect(
      auditQuery(registration.ListAuditEntriesRequest.fromPartial({ recipient: 'vehicle', pageToken: token })),
    ).toEqual({
      filter: { recipient: 'vehicle' },
      from: undefined,
      to: undefined,
      size: 20,
      after: { time: new Date('2025-01-01T00:00:00Z'), entryId: 'e1' },
    });
  });
});
