import {
  COUNTRY_CODE_PATTERN,
  HOUSE_NUMBER_PATTERN,
  HOUSE_NUMBER_SUFFIX_PATTERN,
  LANDLORD_REFERENCE_PATTERN,
  LANGUAGE_PATTERN,
  LOCATION_ID_PATTERN,
  MAX_MEMBERS,
  MAX_PLATES,
  MOVE_KINDS,
  MUNICIPALITY_KEY_PATTERN,
  PERSON_ID_PATTERN,
  PLATE_PATTERN,
  POSTAL_CODE_PATTERN,
  REQUESTED_DOCUMENTS,
  RESIDENCE_TYPES,
  TEXT_MAX,
} from '../shared/bundle-rules.js';

/**
 * The gateway's HTTP API as an OpenAPI 3.1 document. It is served at
 * /api/openapi.json and is also what requests are validated against
 * (validation.ts compiles its JSON Schemas, which in OpenAPI 3.1 are JSON
 * Schema 2020-12), so the documentation cannot drift from the behaviour.
 */

export type JsonSchema = { readonly [key: string]: unknown };

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface OperationObject {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly (ParameterObject | { readonly $ref: string })[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: { readonly 'application/json': { readonly schema: JsonSchema } };
  };
  readonly responses: Readonly<Record<string, unknown>>;
}

export type HttpMethod = 'get' | 'post' | 'delete';

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: Readonly<Record<string, unknown>>;
  readonly servers: readonly { url: string }[];
  readonly tags: readonly { name: string; description: string }[];
  readonly paths: Readonly<Record<string, Partial<Record<HttpMethod, OperationObject>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly parameters: Readonly<Record<string, ParameterObject>>;
    readonly responses: Readonly<Record<string, unknown>>;
    readonly securitySchemes: Readonly<Record<string, unknown>>;
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const problems = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '404': { $ref: '#/components/responses/NotFound' },
  '429': { $ref: '#/components/responses/TooManyRequests' },
  '503': { $ref: '#/components/responses/Unavailable' },
};
const postProblems = {
  ...problems,
  '409': { $ref: '#/components/responses/Conflict' },
  '422': { $ref: '#/components/responses/Unprocessable' },
};
const citizen = [{ bearer: [] }] as const;
const idempotencyKey = { $ref: '#/components/parameters/IdempotencyKey' };
const idPattern = '^[A-Za-z0-9_-]{1,64}$';
/** Ids the authorities assign (e.g. "<move id>:<person id>:registration-confirmation"). */
const objectIdPattern = '^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$';

const text = (maxLength = TEXT_MAX) => ({ type: 'string', maxLength });

const schemas: Record<string, JsonSchema> = {
  Address: {
    type: 'object',
    description: 'Anschrift / postal address (Germany).',
    additionalProperties: false,
    required: ['street', 'houseNumber', 'postalCode', 'municipality'],
    properties: {
      street: { type: 'string', minLength: 1, maxLength: TEXT_MAX, examples: ['Karl-Heine-Straße'] },
      houseNumber: { type: 'string', pattern: HOUSE_NUMBER_PATTERN, examples: ['40'] },
      houseNumberSuffix: { type: 'string', pattern: HOUSE_NUMBER_SUFFIX_PATTERN },
      addressAddition: text(),
      postalCode: { type: 'string', pattern: POSTAL_CODE_PATTERN, examples: ['04229'] },
      municipality: { type: 'string', minLength: 1, maxLength: TEXT_MAX, examples: ['Leipzig'] },
      municipalityKey: {
        type: 'string',
        pattern: MUNICIPALITY_KEY_PATTERN,
        description: 'Amtlicher Gemeindeschlüssel; required for the previous address of a move into the city.',
      },
      countryCode: { type: 'string', pattern: COUNTRY_CODE_PATTERN, description: 'ISO 3166-1 alpha-2; default DE.' },
    },
  },
  PreviousAddress: {
    description: 'Bisherige Anschrift in einer anderen Gemeinde / previous address in another municipality.',
    allOf: [ref('Address'), { type: 'object', required: ['municipalityKey'] }],
  },
  BundleRequest: {
    type: 'object',
    title: 'Umzug melden / report a move',
    additionalProperties: false,
    required: ['move', 'householdMemberIds', 'vehiclePlates', 'documents', 'appointment'],
    properties: {
      move: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'moveInDate', 'residenceType', 'newAddress', 'landlordConfirmationReference'],
        properties: {
          kind: {
            enum: [...MOVE_KINDS],
            description: 'Umzug innerhalb Leipzigs oder Zuzug / within or into the city.',
          },
          moveInDate: { type: 'string', format: 'date', description: 'Einzugsdatum / day of moving in.' },
          residenceType: { enum: [...RESIDENCE_TYPES] },
          newAddress: ref('Address'),
          previousAddress: ref('PreviousAddress'),
          landlordConfirmationReference: {
            type: 'string',
            pattern: LANDLORD_REFERENCE_PATTERN,
            description: 'Wohnungsgeberbestätigung (BMG §19) reference.',
          },
        },
        if: { type: 'object', required: ['kind'], properties: { kind: { const: 'into-city' } } },
        // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a promise.
        then: { required: ['previousAddress'] },
      },
      householdMemberIds: {
        type: 'array',
        description: 'Mitziehende Personen / household members moving along (person ids).',
        maxItems: MAX_MEMBERS,
        uniqueItems: true,
        items: { type: 'string', pattern: PERSON_ID_PATTERN },
      },
      vehiclePlates: {
        type: 'array',
        description: 'Kennzeichen der umzumeldenden Fahrzeuge / plates of vehicles to update.',
        maxItems: MAX_PLATES,
        uniqueItems: true,
        items: { type: 'string', pattern: PLATE_PATTERN, examples: ['L-AM 2026'] },
      },
      documents: {
        type: 'array',
        maxItems: REQUESTED_DOCUMENTS.length,
        uniqueItems: true,
        items: { enum: [...REQUESTED_DOCUMENTS] },
      },
      appointment: {
        type: 'object',
        additionalProperties: false,
        required: ['wanted', 'autoBook'],
        description: 'Termin für den Adressaufkleber im Personalausweis / ID-card address sticker appointment.',
        properties: {
          wanted: { type: 'boolean' },
          autoBook: { type: 'boolean', description: 'true: book the earliest slot; false: offer slots to pick.' },
          locationId: { type: 'string', pattern: LOCATION_ID_PATTERN },
          earliestDate: { type: 'string', format: 'date' },
          interpreterLanguage: { type: 'string', pattern: LANGUAGE_PATTERN },
        },
      },
    },
  },
  Step: {
    type: 'object',
    required: ['key', 'kind', 'authority', 'state'],
    properties: {
      key: { type: 'string' },
      kind: {
        enum: [
          'registration',
          'vehicle-holder-address',
          'registration-confirmation',
          'vehicle-registration-record',
          'id-card-sticker-order',
          'appointment',
        ],
      },
      authority: { enum: ['registration', 'vehicle', 'document', 'appointment'] },
      state: { enum: ['pending', 'done', 'rejected', 'not-requested', 'revoked'] },
      personId: { type: 'string' },
      displayName: { type: 'string' },
      plate: { type: 'string' },
      reason: { type: 'string' },
      message: { type: 'string' },
      awaitingRevocation: { type: 'boolean' },
      doneAt: { type: 'string', format: 'date-time' },
      revokedAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      documentId: { type: 'string' },
      documentNumber: { type: 'string' },
      appointment: ref('AppointmentRef'),
      offer: {
        type: 'object',
        properties: { serviceId: { type: 'string' }, slots: { type: 'array', items: ref('Slot') } },
      },
    },
  },
  AppointmentRef: {
    type: 'object',
    properties: {
      appointmentId: { type: 'string' },
      locationId: { type: 'string' },
      serviceId: { type: 'string' },
      start: { type: 'string', format: 'date-time' },
      end: { type: 'string', format: 'date-time' },
    },
  },
  Bundle: {
    type: 'object',
    title: 'Antrag / request',
    required: ['bundleId', 'status', 'complete', 'steps', 'submittedAt'],
    properties: {
      bundleId: { type: 'string', format: 'uuid' },
      status: { enum: ['submitted', 'in-progress', 'complete', 'revoking', 'revoked'] },
      complete: { type: 'boolean' },
      moveId: { type: 'string' },
      revocableUntil: { type: 'string', format: 'date-time' },
      submittedAt: { type: 'string', format: 'date-time' },
      completedAt: { type: 'string', format: 'date-time' },
      revokedAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      steps: { type: 'array', items: ref('Step') },
    },
  },
  BundleList: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('Bundle') } } },
  RevokeRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: text(200) },
  },
  StreamTicket: {
    type: 'object',
    required: ['ticket', 'expiresAt', 'eventsUrl'],
    properties: {
      ticket: { type: 'string' },
      expiresAt: { type: 'string', format: 'date-time' },
      eventsUrl: { type: 'string' },
    },
  },
  Location: {
    type: 'object',
    properties: {
      locationId: { type: 'string' },
      name: { type: 'string' },
      kind: { enum: ['citizen-office', 'mobile-stop', 'specialist-office', 'unspecified'] },
      address: { type: 'object' },
      district: { type: 'string' },
      nextDates: { type: 'array', items: { type: 'string', format: 'date' } },
      openingHours: { type: 'string' },
    },
  },
  Service: {
    type: 'object',
    properties: {
      serviceId: { type: 'string' },
      name: { type: 'string' },
      durationMinutes: { type: 'integer' },
      locationIds: { type: 'array', items: { type: 'string' } },
      invitationOnly: { type: 'boolean' },
      interpreterAvailable: { type: 'boolean' },
    },
  },
  Slot: {
    type: 'object',
    properties: {
      locationId: { type: 'string' },
      serviceId: { type: 'string' },
      start: { type: 'string', format: 'date-time' },
      end: { type: 'string', format: 'date-time' },
      freeCapacity: { type: 'integer' },
    },
  },
  BookAppointmentRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['serviceId', 'locationId', 'start'],
    properties: {
      serviceId: { type: 'string', pattern: idPattern },
      locationId: { type: 'string', pattern: LOCATION_ID_PATTERN },
      start: { type: 'string', format: 'date-time' },
      bundleId: { type: 'string', format: 'uuid', description: 'The request (bundle) this appointment belongs to.' },
      interpreterLanguage: { type: 'string', pattern: LANGUAGE_PATTERN },
      invitationCode: { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' },
    },
  },
  CancelAppointmentRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { reason: text(200) },
  },
  RescheduleAppointmentRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['start'],
    properties: {
      start: { type: 'string', format: 'date-time' },
      locationId: { type: 'string', pattern: LOCATION_ID_PATTERN },
    },
  },
  Appointment: {
    type: 'object',
    properties: {
      appointmentId: { type: 'string' },
      bookingCode: { type: 'string' },
      serviceId: { type: 'string' },
      locationId: { type: 'string' },
      start: { type: 'string', format: 'date-time' },
      end: { type: 'string', format: 'date-time' },
      status: { enum: ['booked', 'cancelled', 'unspecified'] },
      interpreterLanguage: { type: 'string' },
      moveId: { type: 'string' },
    },
  },
  Document: {
    type: 'object',
    properties: {
      documentId: { type: 'string' },
      kind: {
        enum: ['registration-confirmation', 'vehicle-registration-record', 'id-card-sticker-order', 'unspecified'],
      },
      status: { enum: ['valid', 'revoked', 'pending', 'unspecified'] },
      personId: { type: 'string' },
      moveId: { type: 'string' },
      plate: { type: 'string' },
      documentNumber: { type: 'string' },
      issuedAt: { type: 'string', format: 'date-time' },
      revokedAt: { type: 'string', format: 'date-time' },
      downloadable: { type: 'boolean' },
    },
  },
  Verification: {
    type: 'object',
    required: ['result'],
    properties: {
      result: { enum: ['valid', 'revoked', 'unknown'] },
      signedFields: { type: 'object', additionalProperties: { type: 'string' } },
      signature: { type: 'string' },
      keyId: { type: 'string' },
    },
  },
  Vehicle: {
    type: 'object',
    properties: {
      plate: { type: 'string' },
      make: { type: 'string' },
      model: { type: 'string' },
      status: { enum: ['registered', 'deregistered', 'unspecified'] },
    },
  },
  Me: {
    type: 'object',
    required: ['personId'],
    properties: { personId: { type: 'string' }, name: { type: 'string' } },
  },
  PortalConfig: {
    type: 'object',
    required: ['devIssuer'],
    properties: { devIssuer: { type: 'boolean' }, issuer: { type: 'string' } },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: {
            field: { type: 'string', description: 'JSON pointer into the request body, or the parameter/header name.' },
            message: { type: 'string' },
            code: { type: 'string' },
          },
        },
      },
    },
  },
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const pathId = (name: string, schema: JsonSchema): ParameterObject => ({ name, in: 'path', required: true, schema });
const bundleId = pathId('bundleId', { type: 'string', format: 'uuid' });
const appointmentId = pathId('appointmentId', { type: 'string', pattern: objectIdPattern });
const documentId = pathId('documentId', { type: 'string', pattern: objectIdPattern });

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Bürgerservice Leipzig — Portal API',
    version: '1.0.0',
    description:
      'Die Tür der Bürgerinnen und Bürger: ein Umzug, alle Behörden. / The citizen’s door: one change-of-address request reaches every authority; its progress is streamed live.',
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'bundles', description: 'Anträge / change-of-address requests and their live status' },
    { name: 'appointments', description: 'Termine / appointments' },
    { name: 'documents', description: 'Dokumente / documents' },
    { name: 'public', description: 'Ohne Anmeldung / without sign-in' },
  ],
  paths: {
    '/api/config': {
      get: {
        operationId: 'getPortalConfig',
        summary: 'Portal-Einstellungen / portal settings',
        tags: ['public'],
        responses: { '200': json(ref('PortalConfig'), 'Settings the page needs.') },
      },
    },
    '/api/me': {
      get: {
        operationId: 'getMe',
        summary: 'Angemeldete Person / the signed-in citizen',
        tags: ['bundles'],
        security: citizen,
        responses: { '200': json(ref('Me'), 'The citizen.'), ...problems },
      },
    },
    '/api/vehicles': {
      get: {
        operationId: 'listMyVehicles',
        summary: 'Meine Fahrzeuge / vehicles I hold',
        tags: ['bundles'],
        security: citizen,
        responses: {
          '200': json({ type: 'object', properties: { items: { type: 'array', items: ref('Vehicle') } } }, 'Vehicles.'),
          ...problems,
        },
      },
    },
    '/api/bundles': {
      post: {
        operationId: 'submitBundle',
        summary: 'Umzug melden / submit a change-of-address request',
        description:
          'Submits the move with everything that follows from it. Answers 202: the authorities work asynchronously; follow the status at the Location or its event stream.',
        tags: ['bundles'],
        security: citizen,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: ref('BundleRequest') } } },
        responses: { '202': json(ref('Bundle'), 'Accepted; the status of each step follows.'), ...postProblems },
      },
      get: {
        operationId: 'listBundles',
        summary: 'Meine Anträge / my requests',
        tags: ['bundles'],
        security: citizen,
        responses: { '200': json(ref('BundleList'), 'Newest first.'), ...problems },
      },
    },
    '/api/bundles/{bundleId}': {
      get: {
        operationId: 'getBundle',
        summary: 'Status eines Antrags / status of a request',
        tags: ['bundles'],
        security: citizen,
        parameters: [bundleId],
        responses: { '200': json(ref('Bundle'), 'The request with each step.'), ...problems },
      },
    },
    '/api/bundles/{bundleId}/stream-tickets': {
      post: {
        operationId: 'createStreamTicket',
        summary: 'Ticket für den Live-Status / ticket for the live status stream',
        description:
          'EventSource cannot send an Authorization header; this returns a ticket valid for one minute and for this request only, to be passed as `ticket` query parameter.',
        tags: ['bundles'],
        security: citizen,
        parameters: [bundleId, idempotencyKey],
        responses: { '201': json(ref('StreamTicket'), 'The ticket.'), ...postProblems },
      },
    },
    '/api/bundles/{bundleId}/events': {
      get: {
        operationId: 'streamBundle',
        summary: 'Live-Status (Server-Sent Events) / live status stream',
        description: 'Sends the bundle as `event: status` on connect and on every change.',
        tags: ['bundles'],
        parameters: [
          bundleId,
          { name: 'ticket', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 2048 } },
        ],
        responses: {
          '200': { description: 'The stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...problems,
        },
      },
    },
    '/api/bundles/{bundleId}/revoke': {
      post: {
        operationId: 'revokeBundle',
        summary: 'Umzug widerrufen / revoke the move',
        tags: ['bundles'],
        security: citizen,
        parameters: [bundleId, idempotencyKey],
        requestBody: { required: false, content: { 'application/json': { schema: ref('RevokeRequest') } } },
        responses: { '202': json(ref('Bundle'), 'Revocation accepted; every step is undone.'), ...postProblems },
      },
    },
    '/api/services': {
      get: {
        operationId: 'listServices',
        summary: 'Dienstleistungen / bookable services',
        tags: ['appointments'],
        security: citizen,
        responses: {
          '200': json({ type: 'object', properties: { items: { type: 'array', items: ref('Service') } } }, 'Services.'),
          ...problems,
        },
      },
    },
    '/api/locations': {
      get: {
        operationId: 'listLocations',
        summary: 'Standorte / locations',
        tags: ['appointments'],
        security: citizen,
        parameters: [{ name: 'serviceId', in: 'query', schema: { type: 'string', pattern: idPattern } }],
        responses: {
          '200': json(
            { type: 'object', properties: { items: { type: 'array', items: ref('Location') } } },
            'Locations.',
          ),
          ...problems,
        },
      },
    },
    '/api/slots': {
      get: {
        operationId: 'listSlots',
        summary: 'Freie Termine / free slots',
        tags: ['appointments'],
        security: citizen,
        parameters: [
          { name: 'serviceId', in: 'query', required: true, schema: { type: 'string', pattern: idPattern } },
          { name: 'locationId', in: 'query', schema: { type: 'string', pattern: LOCATION_ID_PATTERN } },
          { name: 'district', in: 'query', schema: { type: 'string', maxLength: TEXT_MAX } },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
        ],
        responses: {
          '200': json({ type: 'object', properties: { items: { type: 'array', items: ref('Slot') } } }, 'Slots.'),
          ...problems,
        },
      },
    },
    '/api/appointments': {
      post: {
        operationId: 'bookAppointment',
        summary: 'Termin buchen / book an appointment',
        tags: ['appointments'],
        security: citizen,
        parameters: [idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: ref('BookAppointmentRequest') } } },
        responses: { '201': json(ref('Appointment'), 'Booked.'), ...postProblems },
      },
    },
    '/api/appointments/{appointmentId}': {
      get: {
        operationId: 'getAppointment',
        summary: 'Termin / appointment',
        tags: ['appointments'],
        security: citizen,
        parameters: [appointmentId],
        responses: { '200': json(ref('Appointment'), 'The appointment.'), ...problems },
      },
      delete: {
        operationId: 'deleteAppointment',
        summary: 'Termin absagen / cancel the appointment',
        tags: ['appointments'],
        security: citizen,
        parameters: [appointmentId],
        responses: {
          '200': json(ref('Appointment'), 'Cancelled.'),
          ...problems,
          '409': { $ref: '#/components/responses/Conflict' },
        },
      },
    },
    '/api/appointments/{appointmentId}.ics': {
      get: {
        operationId: 'getAppointmentCalendar',
        summary: 'Termin als iCalendar / appointment as iCalendar',
        tags: ['appointments'],
        security: citizen,
        parameters: [appointmentId],
        responses: {
          '200': { description: 'RFC 5545', content: { 'text/calendar': { schema: { type: 'string' } } } },
          ...problems,
        },
      },
    },
    '/api/appointments/{appointmentId}/cancel': {
      post: {
        operationId: 'cancelAppointment',
        summary: 'Termin absagen / cancel the appointment',
        tags: ['appointments'],
        security: citizen,
        parameters: [appointmentId, idempotencyKey],
        requestBody: { required: false, content: { 'application/json': { schema: ref('CancelAppointmentRequest') } } },
        responses: { '200': json(ref('Appointment'), 'Cancelled.'), ...postProblems },
      },
    },
    '/api/appointments/{appointmentId}/reschedule': {
      post: {
        operationId: 'rescheduleAppointment',
        summary: 'Termin verschieben / reschedule the appointment',
        tags: ['appointments'],
        security: citizen,
        parameters: [appointmentId, idempotencyKey],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('RescheduleAppointmentRequest') } },
        },
        responses: { '200': json(ref('Appointment'), 'Rescheduled.'), ...postProblems },
      },
    },
    '/api/documents': {
      get: {
        operationId: 'listDocuments',
        summary: 'Meine Dokumente / my documents',
        tags: ['documents'],
        security: citizen,
        responses: {
          '200': json(
            { type: 'object', properties: { items: { type: 'array', items: ref('Document') } } },
            'Documents.',
          ),
          ...problems,
        },
      },
    },
    '/api/documents/{documentId}/pdf': {
      get: {
        operationId: 'downloadDocument',
        summary: 'Dokument herunterladen / download the document',
        tags: ['documents'],
        security: citizen,
        parameters: [documentId],
        responses: {
          '200': { description: 'The PDF.', content: { 'application/pdf': { schema: { type: 'string' } } } },
          ...problems,
        },
      },
    },
    '/api/verify/{code}': {
      get: {
        operationId: 'verifyDocument',
        summary: 'Dokument prüfen / verify a document by its code',
        tags: ['public'],
        parameters: [pathId('code', { type: 'string', pattern: '^[A-Za-z0-9-]{4,64}$' })],
        responses: { '200': json(ref('Verification'), 'The result.'), ...problems },
      },
    },
  },
  components: {
    schemas,
    parameters: {
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description:
          'Required on every POST. The same key with the same body returns the stored response; with another body it is refused (422).',
        schema: { type: 'string', minLength: 8, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
      },
    },
    responses: {
      BadRequest: problemResponse('Ungültige Anfrage / invalid request: `errors` names each field.'),
      Unauthorized: problemResponse('Nicht angemeldet / no valid bearer token.'),
      NotFound: problemResponse('Nicht gefunden / not found (also for objects of other citizens).'),
      Conflict: problemResponse('Konflikt / conflict with the current state.'),
      Unprocessable: problemResponse(
        'Von der Behörde abgelehnt / refused by the authority, or idempotency key reused.',
      ),
      TooManyRequests: problemResponse('Zu viele Anfragen / rate limit exceeded.'),
      Unavailable: problemResponse('Vorübergehend nicht erreichbar / an authority is temporarily unavailable.'),
    },
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'OIDC access token of the state eID/BundID provider (or the development issuer).',
      },
    },
  },
};
