import { outboxPlugin } from '@buergerservice/event-bus';
import { type Connection, type mongo, Schema } from 'mongoose';

/**
 * The service's collections (its own database only).
 *
 * Aggregates (appointments, moves, invitations) are stored as revisions: each
 * state is a new document `_id: "<id>#<version>"`, inserted — never updated —
 * so claiming the next version is atomic on every MongoDB-compatible server
 * (FerretDB 1.24 applies updates as read-modify-write and loses concurrent
 * ones; inserts against a unique key it does atomically). The revision also
 * carries the events of its transition (event-bus outbox plugin): the state
 * change and its events are one document write.
 */

/** The fields every revision document has besides the aggregate's own. */
const revisionFields = {
  _id: String,
  aggregateId: String,
  version: Number,
  /** Set once a later revision exists (a hint for the sweeper's query; the truth is the highest version). */
  superseded: { type: Boolean, default: false },
} as const;

const noId = { _id: false, id: false } as const;

const slotSchema = new Schema(
  {
    locationId: String,
    groupId: String,
    date: String,
    startMinute: Number,
    slotKeys: [String],
    start: Date,
    end: Date,
  },
  noId,
);

const holdSchema = new Schema({ dayId: String, key: String, slotKeys: [String] }, noId);
const originSchema = new Schema({ correlationId: String, causationId: String }, noId);

export const appointmentSchema = new Schema(
  {
    ...revisionFields,
    bookingCode: String,
    personId: String,
    subjectId: String,
    serviceId: String,
    moveId: String,
    interpreterLanguage: String,
    invitationCode: String,
    state: { type: String, enum: ['reserving', 'booked', 'cancelled', 'failed'] },
    rev: Number,
    slot: slotSchema,
    pending: { type: new Schema({ rev: Number, slot: slotSchema }, noId), default: null },
    releases: { type: [holdSchema], default: [] },
    cancelReason: { type: String, default: null },
    failure: { type: String, default: null },
    origin: originSchema,
    request: {
      type: new Schema({ clientId: String, idempotencyKey: String, fingerprint: String }, noId),
      default: null,
    },
    createdAt: Date,
    updatedAt: Date,
    /** Reserving, rescheduling or releases due: the sweeper finishes it if nobody else does. */
    unfinished: Boolean,
  },
  { collection: 'appointments', versionKey: false, minimize: false },
);
appointmentSchema.plugin(outboxPlugin);
appointmentSchema.index({ aggregateId: 1, version: -1 });
appointmentSchema.index({ unfinished: 1, updatedAt: 1 });

export const moveSchema = new Schema(
  {
    ...revisionFields,
    applicantId: String,
    personIds: [String],
    district: String,
    serviceId: String,
    preference: {
      type: new Schema(
        { locationId: String, autoBook: Boolean, earliestDate: String, interpreterLanguage: String },
        noId,
      ),
      default: null,
    },
    known: Boolean,
    status: { type: String, enum: ['received', 'offered', 'booked', 'revoked'] },
    // Person id -> { appointmentId, at }: keys are data, so a Mixed map.
    claims: { type: Schema.Types.Mixed, default: {} },
    offered: {
      type: [new Schema({ locationId: String, serviceId: String, start: Date, end: Date, freeCapacity: Number }, noId)],
      default: [],
    },
    origin: { type: originSchema, default: null },
    createdAt: Date,
    updatedAt: Date,
  },
  { collection: 'moves', versionKey: false, minimize: false },
);
moveSchema.plugin(outboxPlugin);
moveSchema.index({ aggregateId: 1, version: -1 });

export const invitationSchema = new Schema(
  {
    ...revisionFields,
    personId: String,
    serviceId: String,
    validUntil: String,
    authorityId: String,
    clientId: String,
    usedBy: { type: new Schema({ appointmentId: String, at: Date }, noId), default: null },
    createdAt: Date,
  },
  { collection: 'invitations', versionKey: false },
);
invitationSchema.index({ aggregateId: 1, version: -1 });

/**
 * Capacity as seats: a slot with n counters has seats 0..n-1; taking one is
 * inserting `_id: "<location>/<group>/<date>|<slot>|<seat>"`. The unique `_id`
 * gives a seat to one hold only; the unique (hold, slotKey) gives a hold one
 * seat per slot, even when the same hold is attempted twice at once.
 */
export const seatSchema = new Schema(
  {
    _id: String,
    dayId: String,
    slotKey: String,
    seat: Number,
    hold: String,
    createdAt: Date,
  },
  { collection: 'seats', versionKey: false },
);
seatSchema.index({ hold: 1, slotKey: 1 }, { unique: true });
seatSchema.index({ dayId: 1, slotKey: 1 });

const ruleSchema = new Schema(
  {
    weekdays: [Number],
    from: String,
    to: String,
    counters: Number,
    everyWeeks: Number,
    anchorDate: String,
    validFrom: String,
    validUntil: String,
  },
  noId,
);
const closureSchema = new Schema({ from: String, to: String, reason: String }, noId);

export const locationSchema = new Schema(
  {
    _id: String,
    name: String,
    kind: { type: String, enum: ['citizen-office', 'mobile-stop', 'specialist-office'] },
    address: new Schema(
      {
        street: String,
        houseNumber: String,
        houseNumberSuffix: String,
        postalCode: String,
        municipality: String,
        municipalityKey: String,
        district: String,
      },
      noId,
    ),
    position: new Schema({ lat: Number, lon: Number }, noId),
    pools: [new Schema({ groupId: String, slotMinutes: Number, rules: [ruleSchema] }, noId)],
    closures: [closureSchema],
  },
  { collection: 'locations', versionKey: false },
);

export const serviceSchema = new Schema(
  {
    _id: String,
    name: String,
    durationMinutes: Number,
    groupId: String,
    locationIds: [String],
    invitationOnly: Boolean,
    interpreterAvailable: Boolean,
    invitingAuthorities: [String],
  },
  { collection: 'services', versionKey: false },
);

/** City-wide settings of the catalogue: closures of every office, inviting authorities. One document, `_id: 'city'`. */
export const citySchema = new Schema(
  {
    _id: String,
    cityClosures: [closureSchema],
    authorities: [new Schema({ id: String, name: String, clientIds: [String] }, noId)],
  },
  { collection: 'city', versionKey: false },
);

function createModels(connection: Connection) {
  return {
    appointments: connection.model('Appointment', appointmentSchema),
    moves: connection.model('Move', moveSchema),
    invitations: connection.model('Invitation', invitationSchema),
    seats: connection.model('Seat', seatSchema),
    locations: connection.model('Location', locationSchema),
    services: connection.model('Service', serviceSchema),
    city: connection.model('City', citySchema),
  };
}

export type AppointmentModels = ReturnType<typeof createModels>;

const models = new WeakMap<Connection, AppointmentModels>();

/** The service's models on a connection (created once per connection). */
export function appointmentModels(connection: Connection): AppointmentModels {
  let existing = models.get(connection);
  if (!existing) {
    existing = createModels(connection);
    models.set(connection, existing);
  }
  return existing;
}

/**
 * The native collection behind a model, typed with string ids: the service's
 * documents use meaningful string ids (appointment ids, move ids, codes,
 * "location/group/date"), never ObjectIds.
 */
export type StringIdCollection<T extends object = Record<string, unknown>> = mongo.Collection<{ _id: string } & T>;

export function stringIdCollection<T extends object = Record<string, unknown>>(model: {
  collection: unknown;
}): StringIdCollection<T> {
  return model.collection as StringIdCollection<T>;
}
