import { randomUUID } from 'node:crypto';
import {
  AppointmentEvents,
  appointment,
  DocumentEvents,
  document,
  type EventType,
  RegistrationEvents,
  registration,
  VehicleEvents,
  type vehicle,
  vehicle as vehicleContract,
} from '@buergerservice/contracts';
import { encodeEvent, EventBus } from '@buergerservice/event-bus';
import {
  createGrpcServer,
  type GrpcServer,
  NotFoundError,
  parseAuthorizationPolicy,
  PreconditionError,
  UnavailableError,
  ValidationError,
} from '@buergerservice/service-kit';
import { buildLogger, type Logger } from '@buergerservice/telemetry';
import { databaseUrl, kafkaBrokers, uniqueName } from '@buergerservice/testing';
import { logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { loadServiceConfig, type ServiceConfig } from '../../src/config.js';
import { TRACKED_TOPICS } from '../../src/events/subscriptions.js';
import { buildService, type GatewayService } from '../../src/server.js';

/** Logs of the code under test, kept in memory (quiet), so tests can look at them. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = buildLogger(
    { service: 'portal-gateway-test', level },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

export function testBus(clientId: string, logger?: Logger): EventBus {
  return new EventBus({
    brokers: kafkaBrokers(),
    clientId,
    source: '/buergerservice/test',
    kafkaLogLevel: logLevel.NOTHING,
    ...(logger ? { logger } : {}),
  });
}

/** Publishes one event as an authority would (CloudEvents headers, correlation id, key = person id). */
export async function publish<T>(
  bus: EventBus,
  type: EventType<T>,
  payload: T,
  meta: { correlationId: string; subject: string; id?: string; time?: Date },
): Promise<string> {
  const event = encodeEvent(type, payload, { causationId: 'test', ...meta });
  await bus.publishAll([event]);
  return event.id;
}

// --- Stand-in authorities: real gRPC servers with just enough behaviour ------------

export interface RecordedMove {
  request: registration.SubmitChangeOfAddressRequest;
  move: registration.Move;
}

/**
 * The four authorities as real gRPC servers (service-kit, plaintext, client
 * identity from metadata) with in-memory behaviour, so the gateway's HTTP API
 * can be tested over real gRPC before (and besides) the real services.
 * Registration publishes AddressChanged to the real topic, like the real one.
 */
export class StandInAuthorities {
  readonly moves = new Map<string, RecordedMove>();
  readonly submitCalls: registration.SubmitChangeOfAddressRequest[] = [];
  readonly revokeCalls: registration.RevokeChangeOfAddressRequest[] = [];
  readonly bookCalls: appointment.BookAppointmentRequest[] = [];
  readonly clientIds = new Set<string>();
  readonly appointments = new Map<string, appointment.Appointment>();
  readonly documents = new Map<string, document.Document>();
  /** Fails the next N SubmitChangeOfAddress calls with UNAVAILABLE (after recording the move, like a lost answer). */
  failNextSubmits = 0;
  private servers: GrpcServer[] = [];
  addresses = { registration: '', vehicle: '', appointment: '', document: '' };

  constructor(private readonly bus: EventBus) {}

  async start(): Promise<this> {
    const policy = parseAuthorizationPolicy({ 'portal-gateway': { rpcs: '*' } });
    const { logger } = memoryLogger('fatal');
    const make = () =>
      createGrpcServer({ host: '127.0.0.1', security: { insecure: true }, authorization: policy, logger });
    const track = <T>(ctx: { clientId: string }, value: T): T => {
      this.clientIds.add(ctx.clientId);
      return value;
    };

    const registrationServer = make().addService(registration.RegistrationServiceService, {
      submitChangeOfAddress: async (req, ctx) => {
        track(ctx, null);
        this.submitCalls.push(req);
        const existing = this.moves.get(req.idempotencyKey);
        if (existing) {
          if (this.failNextSubmits > 0) {
            this.failNextSubmits -= 1;
            throw new UnavailableError('registration database is restarting');
          }
          return { move: existing.move };
        }
        const violations: { field: string; description: string }[] = [];
        if (req.newAddress?.postalCode === '04000') {
          violations.push({ field: 'new_address.postal_code', description: 'postal code does not match the street' });
        }
        req.coMovingPersonIds.forEach((id, i) => {
          if (id === 'P0000009')
            violations.push({
              field: `co_moving_person_ids[${i}]`,
              description: 'is not in the applicant’s household',
            });
        });
        if (violations.length > 0) throw new ValidationError(violations);
        const move = registration.Move.fromPartial({
          moveId: randomUUID(),
          correlationId: req.correlationId,
          kind: req.kind,
          personId: req.personId,
          persons: [req.personId, ...req.coMovingPersonIds].map((personId) => ({
            personId,
            name: { givenNames: personId === 'P0000001' ? 'Anna' : 'Jonas', familyName: 'Müller', doctoralDegree: '' },
          })),
          newAddress: req.newAddress,
          moveInDate: req.moveInDate,
          residenceType: req.residenceType,
          followUps: req.followUps,
          status: registration.MoveStatus.MOVE_STATUS_RECORDED,
          recordedAt: new Date(),
          revocableUntil: new Date(Date.now() + 86_400_000),
        });
        this.moves.set(req.idempotencyKey, { request: req, move });
        await publish(
          this.bus,
          RegistrationEvents.AddressChanged,
          registration.AddressChanged.fromPartial({
            moveId: move.moveId,
            kind: move.kind,
            personId: move.personId,
            persons: move.persons,
            newAddress: move.newAddress,
            moveInDate: move.moveInDate,
            residenceType: move.residenceType,
            followUps: move.followUps,
          }),
          { correlationId: req.correlationId, subject: req.personId },
        );
        if (this.failNextSubmits > 0) {
          this.failNextSubmits -= 1;
          throw new UnavailableError('registration database is restarting');
        }
        return { move };
      },
      revokeChangeOfAddress: async (req, ctx) => {
        track(ctx, null);
        this.revokeCalls.push(req);
        const recorded = [...this.moves.values()].find((m) => m.move.moveId === req.moveId);
        if (!recorded || recorded.move.personId !== req.personId) throw new NotFoundError('move not found');
        if (recorded.move.status === registration.MoveStatus.MOVE_STATUS_REVOKED) {
          throw new PreconditionError('the move is already revoked');
        }
        recorded.move = {
          ...recorded.move,
          status: registration.MoveStatus.MOVE_STATUS_REVOKED,
          revokedAt: new Date(),
        };
        await publish(
          this.bus,
          RegistrationEvents.AddressChangeRevoked,
          registration.AddressChangeRevoked.fromPartial({
            moveId: req.moveId,
            personId: req.personId,
            personIds: recorded.move.persons.map((p) => p.personId),
          }),
          { correlationId: recorded.move.correlationId, subject: req.personId },
        );
        return { move: recorded.move };
      },
      getPerson: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      getResidence: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      listMoves: async () => ({ moves: [], nextPageToken: '' }),
      getMove: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      listAuditEntries: async () => ({ entries: [], nextPageToken: '' }),
    });

    const vehicleServer = make().addService(vehicleContract.VehicleServiceService, {
      listVehiclesByHolder: async (req, ctx) =>
        track(ctx, {
          vehicles:
            req.holderPersonId === 'P0000001'
              ? [
                  vehicleContract.Vehicle.fromPartial({
                    plate: 'L-AM 2026',
                    make: 'Volkswagen',
                    model: 'Golf',
                    holderPersonId: 'P0000001',
                    status: vehicleContract.VehicleStatus.VEHICLE_STATUS_REGISTERED,
                  }),
                ]
              : [],
        }),
      registerVehicle: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      getVehicle: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      deregisterVehicle: async () => {
        throw new NotFoundError('not in this stand-in');
      },
    });

    const appointmentServer = make().addService(appointment.AppointmentServiceService, {
      listLocations: async () => ({
        locations: [
          appointment.Location.fromPartial({
            locationId: 'bb-gohlis',
            name: 'Bürgerbüro Gohlis',
            kind: appointment.LocationKind.LOCATION_KIND_CITIZEN_OFFICE,
            district: 'Gohlis-Süd',
          }),
        ],
      }),
      listServices: async () => ({
        services: [
          appointment.OfferedService.fromPartial({
            serviceId: 'id-card-sticker',
            name: 'Adressaufkleber',
            durationMinutes: 15,
          }),
        ],
      }),
      listFreeSlots: async (req) => {
        if (req.fromDate && req.toDate && req.fromDate > req.toDate) {
          throw new ValidationError([{ field: 'to_date', description: 'must not be before from_date' }]);
        }
        return {
          slots: [
            appointment.Slot.fromPartial({
              locationId: 'bb-gohlis',
              serviceId: req.serviceId,
              start: new Date('2026-06-01T08:00:00Z'),
              end: new Date('2026-06-01T08:15:00Z'),
              freeCapacity: 2,
            }),
          ],
        };
      },
      bookAppointment: async (req) => {
        this.bookCalls.push(req);
        const existing = [...this.appointments.values()].find((a) => a.bookingCode === req.idempotencyKey.slice(-8));
        if (existing) return { appointment: existing };
        const booked = appointment.Appointment.fromPartial({
          appointmentId: randomUUID(),
          bookingCode: req.idempotencyKey.slice(-8),
          personId: req.personId,
          serviceId: req.serviceId,
          locationId: req.locationId,
          start: req.start,
          end: req.start ? new Date(req.start.getTime() + 15 * 60_000) : undefined,
          status: appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
          moveId: req.moveId,
        });
        this.appointments.set(booked.appointmentId, booked);
        return { appointment: booked };
      },
      cancelAppointment: async (req) => {
        const found = this.appointments.get(req.appointmentId);
        if (!found || found.personId !== req.personId) throw new NotFoundError('appointment not found');
        const cancelled = { ...found, status: appointment.AppointmentStatus.APPOINTMENT_STATUS_CANCELLED };
        this.appointments.set(found.appointmentId, cancelled);
        return { appointment: cancelled };
      },
      rescheduleAppointment: async (req) => {
        const found = this.appointments.get(req.appointmentId);
        if (!found || found.personId !== req.personId) throw new NotFoundError('appointment not found');
        const moved = { ...found, start: req.newStart, locationId: req.newLocationId || found.locationId };
        this.appointments.set(found.appointmentId, moved);
        return { appointment: moved };
      },
      getAppointment: async (req) => {
        const found = this.appointments.get(req.appointmentId);
        if (!found) throw new NotFoundError('appointment not found');
        return { appointment: found };
      },
      createInvitation: async () => {
        throw new NotFoundError('not in this stand-in');
      },
      getAppointmentCalendar: async (req) => {
        const found = this.appointments.get(req.appointmentId);
        if (!found) throw new NotFoundError('appointment not found');
        return {
          ics: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:${found.appointmentId}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
        };
      },
    });

    const documentServer = make().addService(document.DocumentServiceService, {
      listDocuments: async (req) => ({
        documents: [...this.documents.values()]
          .filter((d) => (req.personId ? d.personId === req.personId : d.moveId === req.moveId))
          .map((d) => ({ ...d, content: Buffer.alloc(0) })),
      }),
      getDocument: async (req) => {
        const found = this.documents.get(req.documentId);
        if (!found) throw new NotFoundError('document not found');
        return { document: found };
      },
      verifyDocument: async (req): Promise<document.VerifyDocumentResponse> => {
        if (req.verificationCode === 'BOOM-0000') throw new Error('boom: the signing key store is corrupt');
        const found = [...this.documents.values()].find((d) => d.verificationCode === req.verificationCode);
        return found
          ? {
              result: document.VerificationResult.VERIFICATION_RESULT_VALID,
              signedFields: { document_number: found.documentNumber },
              signature: 'c2ln',
              keyId: 'k1',
            }
          : {
              result: document.VerificationResult.VERIFICATION_RESULT_UNKNOWN,
              signedFields: {},
              signature: '',
              keyId: '',
            };
      },
      getSigningKey: async () => ({ keyId: 'k1', algorithm: 'Ed25519', publicKeyPem: '' }),
    });

    this.servers = [registrationServer, vehicleServer, appointmentServer, documentServer];
    const ports = await Promise.all(this.servers.map((s) => s.start(0)));
    this.addresses = {
      registration: `127.0.0.1:${ports[0]}`,
      vehicle: `127.0.0.1:${ports[1]}`,
      appointment: `127.0.0.1:${ports[2]}`,
      document: `127.0.0.1:${ports[3]}`,
    };
    return this;
  }

  /** Issues a document as the document service would, with a PDF, and publishes DocumentIssued. */
  async issueDocument(
    correlationId: string,
    fields: { personId: string; moveId: string; kind: document.DocumentKind; plate?: string },
  ): Promise<document.Document> {
    const doc = document.Document.fromPartial({
      documentId: randomUUID(),
      kind: fields.kind,
      status: document.DocumentStatus.DOCUMENT_STATUS_VALID,
      personId: fields.personId,
      moveId: fields.moveId,
      plate: fields.plate ?? '',
      documentNumber: `MB-${Math.floor(Math.random() * 1e6)}`,
      verificationCode: `V-${randomUUID().slice(0, 8)}`,
      issuedAt: new Date(),
      contentType: 'application/pdf',
      content: Buffer.from('%PDF-1.7\n% stand-in\n%%EOF\n'),
    });
    this.documents.set(doc.documentId, doc);
    await publish(
      this.bus,
      DocumentEvents.DocumentIssued,
      document.DocumentIssued.fromPartial({
        documentId: doc.documentId,
        kind: doc.kind,
        personId: doc.personId,
        moveId: doc.moveId,
        plate: doc.plate,
        documentNumber: doc.documentNumber,
        status: doc.status,
      }),
      { correlationId, subject: fields.personId },
    );
    return doc;
  }

  /** What vehicle and appointment would publish for a recorded move. */
  async vehicleUpdated(correlationId: string, moveId: string, plate: string, personId: string): Promise<void> {
    await publish(
      this.bus,
      VehicleEvents.VehicleHolderAddressUpdated,
      {
        moveId,
        plate,
        holderPersonId: personId,
        previousRegistrationDistrict: 'L',
        newRegistrationDistrict: 'L',
      } as vehicle.VehicleHolderAddressUpdated,
      { correlationId, subject: personId },
    );
  }

  async appointmentBooked(correlationId: string, moveId: string, personId: string): Promise<appointment.Appointment> {
    const booked = appointment.Appointment.fromPartial({
      appointmentId: randomUUID(),
      bookingCode: 'K7P-4QX',
      personId,
      serviceId: 'id-card-sticker',
      locationId: 'bb-gohlis',
      start: new Date('2026-06-01T08:00:00Z'),
      end: new Date('2026-06-01T08:15:00Z'),
      status: appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
      moveId,
    });
    this.appointments.set(booked.appointmentId, booked);
    await publish(
      this.bus,
      AppointmentEvents.AppointmentBooked,
      appointment.AppointmentBooked.fromPartial({
        appointmentId: booked.appointmentId,
        personId,
        serviceId: booked.serviceId,
        locationId: booked.locationId,
        start: booked.start,
        end: booked.end,
        moveId,
      }),
      { correlationId, subject: personId },
    );
    return booked;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop({ graceMs: 1_000 })));
  }
}

// --- The gateway under test --------------------------------------------------------

export interface RunningGateway {
  readonly url: string;
  readonly service: GatewayService;
  readonly config: ServiceConfig;
  readonly connection: Connection;
  readonly logs: Record<string, unknown>[];
  /** A bearer token of the development issuer for a demo citizen. */
  signIn(personId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Commits the current end of every tracked topic as the offsets of a new
 * consumer group, so a gateway started with it skips the history that other
 * tests left on the shared broker (a fresh group would replay all of it).
 */
export async function startGroupAtEnd(bus: EventBus, groupId: string): Promise<void> {
  await bus.withAdmin(async (admin) => {
    for (const topic of TRACKED_TOPICS) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
  });
}

/** Starts the gateway in this process against the shared Kafka and a fresh database. */
export async function startGateway(
  authorities: { addresses: StandInAuthorities['addresses'] },
  env: Record<string, string> = {},
  options: { database?: string; replayHistory?: boolean } = {},
): Promise<RunningGateway> {
  const database = options.database ?? uniqueName('portal-gateway');
  const groupId = env.KAFKA_CONSUMER_GROUP ?? uniqueName('portal-gateway');
  const config = loadServiceConfig({
    PORT: '0',
    MONGO_URL: databaseUrl(database),
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_CONSUMER_GROUP: groupId,
    GRPC_INSECURE: 'true',
    REGISTRATION_GRPC_ADDRESS: authorities.addresses.registration,
    VEHICLE_GRPC_ADDRESS: authorities.addresses.vehicle,
    APPOINTMENT_GRPC_ADDRESS: authorities.addresses.appointment,
    DOCUMENT_GRPC_ADDRESS: authorities.addresses.document,
    DEV_ISSUER_ENABLED: 'true',
    STREAM_POLL_MS: '200',
    STREAM_MAX_POLL_MS: '1600',
    STREAM_TICKET_SECRET: 'integration-test-secret-of-sufficient-length',
    RATE_LIMIT_PER_IP_PER_MINUTE: '10000',
    RATE_LIMIT_PER_CITIZEN_PER_MINUTE: '10000',
    RATE_LIMIT_BUNDLES_PER_HOUR: '10000',
    ...env,
  });
  const { logger, lines } = memoryLogger(env.LOG_LEVEL ?? 'info');
  const connection = await mongoose
    .createConnection(config.MONGO_URL, { serverSelectionTimeoutMS: 60_000 })
    .asPromise();
  const bus = new EventBus({
    brokers: config.KAFKA_BROKERS,
    clientId: 'portal-gateway',
    source: '/buergerservice/portal-gateway',
    kafkaLogLevel: logLevel.NOTHING,
    logger,
  });
  if (!options.replayHistory && !env.KAFKA_CONSUMER_GROUP) {
    await bus.ensureTopics([...TRACKED_TOPICS]);
    await startGroupAtEnd(bus, groupId);
  }
  const service = await buildService({ config, connection, bus, logger });
  let port: number;
  try {
    port = await service.start();
  } catch (error) {
    await service.stop().catch(() => undefined);
    await connection.close();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    service,
    config,
    connection,
    logs: lines,
    async signIn(personId) {
      const response = await fetch(`${url}/dev-issuer/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personId }),
      });
      if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async stop() {
      await service.stop();
      await connection.close();
    },
  };
}

/** A valid bundle for the Müller household moving within Leipzig with the car. */
export function householdBundle(overrides: { postalCode?: string; members?: string[]; autoBook?: boolean } = {}) {
  return {
    move: {
      kind: 'within-city',
      moveInDate: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
      residenceType: 'main',
      newAddress: {
        street: 'Karl-Heine-Straße',
        houseNumber: '40',
        postalCode: overrides.postalCode ?? '04229',
        municipality: 'Leipzig',
      },
      landlordConfirmationReference: 'WGB-2026-0001',
    },
    householdMemberIds: overrides.members ?? ['P0000002'],
    vehiclePlates: ['L-AM 2026'],
    documents: ['registration-confirmation', 'vehicle-registration-record'],
    appointment: { wanted: true, autoBook: overrides.autoBook ?? true },
  };
}

/** A small HTTP client for the API, with JSON in and out. */
export function api(base: string, token?: string) {
  const headers = (extra: Record<string, string> = {}) => ({
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  });
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers: headers() }),
    /** `idempotencyKey`: null sends none. */
    post: (path: string, body: unknown, idempotencyKey: string | null = randomUUID()) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: headers({
          'content-type': 'application/json',
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        }),
        body: JSON.stringify(body),
      }),
    delete: (path: string) => fetch(`${base}${path}`, { method: 'DELETE', headers: headers() }),
  };
}
