import { outboxPlugin, type WithOutbox } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The registration office's own database. The service only ever INSERTS
 * (besides the seed's upserts and the retention purge): a move with its
 * events is one document (outbox), its revocation another, a person's turn
 * for a move a slot with a unique id. Inserts are atomic on every
 * MongoDB-wire server; conditional updates are not on FerretDB 1.24, which
 * applies concurrent updates of one document read-modify-write and loses
 * some of them (see README, "Concurrency").
 */

export interface AddressDoc {
  street: string;
  houseNumber: string;
  houseNumberSuffix: string;
  addressAddition: string;
  postalCode: string;
  municipality: string;
  municipalityKey: string;
  streetKey: string;
  district: string;
  countryCode: string;
}

export interface NameDoc {
  familyName: string;
  givenNames: string;
  doctoralDegree: string;
}

export interface ResidenceDoc {
  address: AddressDoc;
  type: 'main' | 'secondary';
  validFrom: string;
  validUntil?: string | null;
  moveId?: string | null;
}

export interface PersonDoc {
  _id: string;
  name: NameDoc;
  dateOfBirth: string;
  nationalities: string[];
  religiousAffiliation: string;
  householdId: string;
  minorInCarePersonIds: string[];
  /** The residences imported into the register; later changes are moves (see domain/person.ts). */
  residences: ResidenceDoc[];
}

export interface MoveSlotDoc {
  /** `${personId}#${seq}`: unique, which is what serialises moves of one person. */
  _id: string;
  personId: string;
  seq: number;
  moveId: string;
  takenAt: Date;
}

export interface StreetDoc {
  /** Street key. */
  _id: string;
  name: string;
  normalizedName: string;
  postalCode: string;
  district: string;
  houseNumberFrom: number;
  houseNumberTo: number;
}

export interface MoveDoc extends WithOutbox {
  _id: string;
  idempotencyKey: string;
  requestFingerprint: string;
  submittedBy: string;
  correlationId: string;
  kind: 'within-city' | 'into-city' | 'abroad';
  personId: string;
  /** Everyone the move covers, for the index that finds a person's moves. */
  personIds: string[];
  persons: { personId: string; name: NameDoc }[];
  previousAddress?: AddressDoc | null;
  newAddress: AddressDoc;
  moveInDate: string;
  residenceType: 'main' | 'secondary';
  landlordConfirmationReference: string;
  followUps: {
    vehiclePlates: string[];
    documents: ('registration-confirmation' | 'vehicle-registration-record')[];
    appointment?: {
      wanted: boolean;
      locationId: string;
      autoBook: boolean;
      earliestDate: string;
      interpreterLanguage: string;
    } | null;
  };
  lateRegistration: boolean;
  recordedAt: Date;
  revocableUntil: Date;
  pendingUntil: Date;
  notificationDueBy?: string | null;
}

/** The revocation of a move, next to it (the move document is never changed), with AddressChangeRevoked. */
export interface RevocationDoc extends WithOutbox {
  /** The move id: a move is revoked at most once. */
  _id: string;
  personId: string;
  revokedAt: Date;
  reason: string;
  revokedBy: string;
}

export interface AuditEntryDoc {
  _id: string;
  time: Date;
  recipient: string;
  channel: 'grpc' | 'event';
  operation: string;
  fields: string[];
  personIds: string[];
  fileReference: string;
  purpose: string;
  actingUserId: string;
  hits: number;
}

const opts = { _id: false, id: false } as const;

const addressSchema = new Schema<AddressDoc>(
  {
    street: { type: String, default: '' },
    houseNumber: { type: String, default: '' },
    houseNumberSuffix: { type: String, default: '' },
    addressAddition: { type: String, default: '' },
    postalCode: { type: String, default: '' },
    municipality: { type: String, default: '' },
    municipalityKey: { type: String, default: '' },
    streetKey: { type: String, default: '' },
    district: { type: String, default: '' },
    countryCode: { type: String, default: '' },
  },
  opts,
);

const nameSchema = new Schema<NameDoc>(
  {
    familyName: { type: String, default: '' },
    givenNames: { type: String, default: '' },
    doctoralDegree: { type: String, default: '' },
  },
  opts,
);

const residenceSchema = new Schema<ResidenceDoc>(
  {
    address: { type: addressSchema, required: true },
    type: { type: String, enum: ['main', 'secondary'], required: true },
    validFrom: { type: String, required: true },
    validUntil: { type: String },
    moveId: { type: String },
  },
  opts,
);

const personSchema = new Schema<PersonDoc>(
  {
    _id: { type: String, required: true },
    name: { type: nameSchema, required: true },
    dateOfBirth: { type: String, required: true },
    nationalities: { type: [String], default: [] },
    religiousAffiliation: { type: String, default: '' },
    householdId: { type: String, default: '' },
    minorInCarePersonIds: { type: [String], default: [] },
    residences: { type: [residenceSchema], default: [] },
  },
  { collection: 'persons', versionKey: false, id: false },
);

const moveSlotSchema = new Schema<MoveSlotDoc>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    seq: { type: Number, required: true },
    moveId: { type: String, required: true },
    takenAt: { type: Date, required: true },
  },
  { collection: 'move_slots', versionKey: false, id: false },
);
moveSlotSchema.index({ personId: 1, seq: -1 });

const streetSchema = new Schema<StreetDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    normalizedName: { type: String, required: true },
    postalCode: { type: String, required: true },
    district: { type: String, required: true },
    houseNumberFrom: { type: Number, required: true },
    houseNumberTo: { type: Number, required: true },
  },
  { collection: 'streets', versionKey: false, id: false },
);
streetSchema.index({ normalizedName: 1 });

const moveSchema = new Schema<MoveDoc>(
  {
    _id: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    requestFingerprint: { type: String, required: true },
    submittedBy: { type: String, required: true },
    correlationId: { type: String, required: true },
    kind: { type: String, enum: ['within-city', 'into-city', 'abroad'], required: true },
    personId: { type: String, required: true },
    personIds: { type: [String], required: true },
    persons: {
      type: [
        new Schema({ personId: { type: String, required: true }, name: { type: nameSchema, required: true } }, opts),
      ],
      required: true,
    },
    previousAddress: { type: addressSchema },
    newAddress: { type: addressSchema, required: true },
    moveInDate: { type: String, required: true },
    residenceType: { type: String, enum: ['main', 'secondary'], required: true },
    landlordConfirmationReference: { type: String, default: '' },
    followUps: {
      type: new Schema(
        {
          vehiclePlates: { type: [String], default: [] },
          documents: { type: [String], default: [] },
          appointment: {
            type: new Schema(
              {
                wanted: Boolean,
                locationId: String,
                autoBook: Boolean,
                earliestDate: String,
                interpreterLanguage: String,
              },
              opts,
            ),
          },
        },
        opts,
      ),
      required: true,
    },
    lateRegistration: { type: Boolean, required: true },
    recordedAt: { type: Date, required: true },
    revocableUntil: { type: Date, required: true },
    pendingUntil: { type: Date, required: true },
    notificationDueBy: { type: String },
  },
  { collection: 'moves', versionKey: false, id: false },
);
moveSchema.plugin(outboxPlugin);
moveSchema.index({ personIds: 1, recordedAt: -1 });

const revocationSchema = new Schema<RevocationDoc>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    revokedAt: { type: Date, required: true },
    reason: { type: String, default: '' },
    revokedBy: { type: String, required: true },
  },
  { collection: 'revocations', versionKey: false, id: false },
);
revocationSchema.plugin(outboxPlugin);

/** Append-only: the code has no update of an entry; only the retention purge deletes. */
const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    _id: { type: String, required: true },
    time: { type: Date, required: true },
    recipient: { type: String, required: true },
    channel: { type: String, enum: ['grpc', 'event'], required: true },
    operation: { type: String, required: true },
    fields: { type: [String], default: [] },
    personIds: { type: [String], default: [] },
    fileReference: { type: String, default: '' },
    purpose: { type: String, default: '' },
    actingUserId: { type: String, default: '' },
    hits: { type: Number, required: true },
  },
  { collection: 'audit_log', versionKey: false, id: false },
);
auditEntrySchema.index({ personIds: 1, time: -1 });
auditEntrySchema.index({ recipient: 1, time: -1 });
auditEntrySchema.index({ time: 1 });

export interface RegistrationModels {
  readonly Person: Model<PersonDoc>;
  readonly MoveSlot: Model<MoveSlotDoc>;
  readonly Street: Model<StreetDoc>;
  readonly Move: Model<MoveDoc>;
  readonly Revocation: Model<RevocationDoc>;
  readonly AuditEntry: Model<AuditEntryDoc>;
}

/** The model of this name on the connection, registered once (tests and the seed open models repeatedly). */
function model<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  // connection.models is untyped; the entry under `name` was registered from `schema` below.
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}

/** The models on a connection (one connection = one database, the service's own). */
export function registrationModels(connection: Connection): RegistrationModels {
  return {
    Person: model(connection, 'Person', personSchema),
    MoveSlot: model(connection, 'MoveSlot', moveSlotSchema),
    Street: model(connection, 'Street', streetSchema),
    Move: model(connection, 'Move', moveSchema),
    Revocation: model(connection, 'Revocation', revocationSchema),
    AuditEntry: model(connection, 'AuditEntry', auditEntrySchema),
  };
}

/** Creates the indexes (idempotent). Called at start-up and by the seed. */
export async function ensureIndexes(models: RegistrationModels): Promise<void> {
  await Promise.all(Object.values(models).map((model: Model<unknown>) => model.createIndexes()));
}
