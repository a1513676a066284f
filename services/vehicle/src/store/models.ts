import { idempotencyPlugin, outboxPlugin, type WithOutbox, type WithProcessedEvents } from '@buergerservice/event-bus';
import { type Connection, type Model, Schema } from 'mongoose';
import type { Address } from '../domain/address.js';
import type { RejectionReason } from '../domain/rejection.js';
import type { MoveEffect } from '../domain/vehicle.js';

/**
 * The service's own database, written only with single-document writes
 * (FerretDB has no multi-document transactions), each document with one kind
 * of writer, because FerretDB 1.24 does not apply concurrent updates of one
 * document atomically:
 *
 * - vehicles: inserted by RegisterVehicle (with VehicleRegistered), updated
 *   only by the event reactions (holder address + handled event id + events in
 *   one write);
 * - deregistrations: one insert per plate by DeregisterVehicle (with
 *   VehicleDeregistered) — a unique-key insert, atomic everywhere;
 * - move_reactions: written only by the event reactions (rejections with their
 *   events, the revocation tombstone).
 *
 * The event reactions handle one person's events at a time per process (the
 * bus's key lock) and one vehicle at a time (the use cases' plate lock).
 */

const text = { type: String, default: '' };

const addressSchema = new Schema<Address>(
  {
    street: text,
    houseNumber: text,
    houseNumberSuffix: text,
    addressAddition: text,
    postalCode: text,
    municipality: text,
    municipalityKey: text,
    streetKey: text,
    district: text,
    countryCode: text,
  },
  { _id: false, id: false },
);

const moveEffectSchema = new Schema<MoveEffect>(
  {
    moveId: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    appliedAt: { type: Date, required: true },
    previousAddress: { type: addressSchema, required: true },
    previousDistrict: { type: String, required: true },
    newAddress: { type: addressSchema, required: true },
    newDistrict: { type: String, required: true },
    revokedAt: { type: Date },
  },
  { _id: false, id: false },
);

/** A vehicle in the register; `_id` is the plate in its written form (the register's natural key). */
export interface VehicleDocument extends WithOutbox, WithProcessedEvents {
  _id: string;
  vin: string;
  make: string;
  model: string;
  certificateNumber: string;
  holderPersonId: string;
  holderAddress: Address;
  district: string;
  registeredAt: Date;
  updatedAt: Date;
  registeredAddress: Address;
  registeredDistrict: string;
  moves: MoveEffect[];
  /** The RegisterVehicle request that created it (absent for imported/seeded vehicles). */
  registrationRequest?: { idempotencyKey: string; fingerprint: string } | undefined;
  /** Optimistic concurrency: every write checks and increments it. */
  version: number;
}

const vehicleSchema = new Schema<VehicleDocument>(
  {
    _id: { type: String, required: true },
    vin: { type: String, required: true },
    make: { type: String, required: true },
    model: { type: String, required: true },
    certificateNumber: { type: String, required: true },
    holderPersonId: { type: String, required: true },
    holderAddress: { type: addressSchema, required: true },
    district: { type: String, required: true },
    registeredAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    registeredAddress: { type: addressSchema, required: true },
    registeredDistrict: { type: String, required: true },
    moves: { type: [moveEffectSchema], default: [] },
    registrationRequest: {
      type: new Schema(
        { idempotencyKey: { type: String, required: true }, fingerprint: { type: String, required: true } },
        { _id: false, id: false },
      ),
    },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'vehicles', versionKey: false, timestamps: false },
);
vehicleSchema.plugin(outboxPlugin);
vehicleSchema.plugin(idempotencyPlugin);
vehicleSchema.index({ vin: 1 }, { unique: true });
vehicleSchema.index({ holderPersonId: 1 });
vehicleSchema.index({ 'moves.moveId': 1 });
vehicleSchema.index({ 'registrationRequest.idempotencyKey': 1 });

/** A vehicle's deregistration (Außerbetriebsetzung), keyed by the plate; its existence is the vehicle's status. */
export interface DeregistrationDocument extends WithOutbox {
  _id: string;
  holderPersonId: string;
  reason: string;
  deregisteredAt: Date;
}

const deregistrationSchema = new Schema<DeregistrationDocument>(
  {
    _id: { type: String, required: true },
    holderPersonId: { type: String, required: true },
    reason: { type: String, required: true },
    deregisteredAt: { type: Date, required: true },
  },
  { collection: 'deregistrations', versionKey: false },
);
deregistrationSchema.plugin(outboxPlugin);

/**
 * What the register did about one move besides changing vehicles, keyed by
 * the move id: the plates it rejected (a rejection for a plate not in the
 * register has no vehicle document to live on) with their pending events, and
 * the revocation tombstone that makes a late AddressChanged of a revoked move
 * a no-op.
 */
export interface MoveDocument extends WithOutbox, WithProcessedEvents {
  _id: string;
  applicantId: string;
  rejections: { plate: string; reason: RejectionReason; at: Date }[];
  revocation: { eventId: string; correlationId: string; applicantId: string; revokedAt: Date } | null;
  createdAt: Date;
}

const moveSchema = new Schema<MoveDocument>(
  {
    _id: { type: String, required: true },
    applicantId: { type: String, required: true },
    rejections: {
      type: [
        new Schema(
          {
            plate: { type: String, required: true },
            reason: { type: String, required: true },
            at: { type: Date, required: true },
          },
          { _id: false, id: false },
        ),
      ],
      default: [],
    },
    revocation: {
      type: new Schema(
        {
          eventId: { type: String, required: true },
          correlationId: { type: String, required: true },
          applicantId: { type: String, required: true },
          revokedAt: { type: Date, required: true },
        },
        { _id: false, id: false },
      ),
      default: null,
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'move_reactions', versionKey: false },
);
moveSchema.plugin(outboxPlugin);
moveSchema.plugin(idempotencyPlugin);

export interface VehicleModels {
  readonly Vehicles: Model<VehicleDocument>;
  readonly Deregistrations: Model<DeregistrationDocument>;
  readonly Moves: Model<MoveDocument>;
}

/** Registers the models on a connection (each service and test has its own). */
export function vehicleModels(connection: Connection): VehicleModels {
  const existing = connection.models as Partial<Record<string, Model<unknown>>>;
  return {
    Vehicles:
      (existing.Vehicle as Model<VehicleDocument> | undefined) ??
      connection.model<VehicleDocument>('Vehicle', vehicleSchema),
    Deregistrations:
      (existing.Deregistration as Model<DeregistrationDocument> | undefined) ??
      connection.model<DeregistrationDocument>('Deregistration', deregistrationSchema),
    Moves:
      (existing.MoveReaction as Model<MoveDocument> | undefined) ??
      connection.model<MoveDocument>('MoveReaction', moveSchema),
  };
}

/** Creates the indexes (idempotent); call once at start-up. */
export async function ensureIndexes(models: VehicleModels): Promise<void> {
  await Promise.all([models.Vehicles.init(), models.Deregistrations.init(), models.Moves.init()]);
}
