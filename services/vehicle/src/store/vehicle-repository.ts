import { applyOnce, isDuplicateKeyError, withOutbox } from '@buergerservice/event-bus';
import type { UpdateQuery } from 'mongoose';
import type {
  EventContext,
  InsertOutcome,
  RegistrationRequest,
  SaveOutcome,
  StoredVehicle,
  VehicleRepository,
} from '../app/ports.js';
import type { Address } from '../domain/address.js';
import type { VehicleDomainEvent } from '../domain/events.js';
import { type MoveEffect, Vehicle, type VehicleState } from '../domain/vehicle.js';
import { toOutboxEntry } from '../events/codec.js';
import type { DeregistrationDocument, VehicleDocument, VehicleModels } from './models.js';

/** The register's fields of a vehicle document (without outbox, processed ids and version). */
type VehicleFields = Omit<VehicleDocument, '_id' | 'outbox' | 'processedEventIds' | 'registrationRequest' | 'version'>;

function fieldsOf(state: VehicleState): VehicleFields {
  return {
    vin: state.vin,
    make: state.make,
    model: state.model,
    certificateNumber: state.certificateNumber,
    holderPersonId: state.holderPersonId,
    holderAddress: state.holderAddress,
    district: state.district,
    registeredAt: state.registeredAt,
    updatedAt: state.updatedAt,
    registeredAddress: state.registeredAddress,
    registeredDistrict: state.registeredDistrict,
    moves: [...state.moves],
  };
}

/** Lean documents keep what was stored; empty strings are stored too, so every address field is there. */
function address(stored: Address): Address {
  return {
    street: stored.street ?? '',
    houseNumber: stored.houseNumber ?? '',
    houseNumberSuffix: stored.houseNumberSuffix ?? '',
    addressAddition: stored.addressAddition ?? '',
    postalCode: stored.postalCode ?? '',
    municipality: stored.municipality ?? '',
    municipalityKey: stored.municipalityKey ?? '',
    streetKey: stored.streetKey ?? '',
    district: stored.district ?? '',
    countryCode: stored.countryCode ?? '',
  };
}

function effect(stored: MoveEffect): MoveEffect {
  return {
    moveId: stored.moveId,
    recordedAt: stored.recordedAt,
    appliedAt: stored.appliedAt,
    previousAddress: address(stored.previousAddress),
    previousDistrict: stored.previousDistrict,
    newAddress: address(stored.newAddress),
    newDistrict: stored.newDistrict,
    ...(stored.revokedAt ? { revokedAt: stored.revokedAt } : {}),
  };
}

function latest(a: Date, b: Date | undefined): Date {
  return b && b.getTime() > a.getTime() ? b : a;
}

export function stateOf(doc: VehicleDocument, deregistration: DeregistrationDocument | null | undefined): VehicleState {
  return {
    plate: doc._id,
    vin: doc.vin,
    make: doc.make,
    model: doc.model,
    certificateNumber: doc.certificateNumber,
    holderPersonId: doc.holderPersonId,
    holderAddress: address(doc.holderAddress),
    district: doc.district,
    status: deregistration ? 'deregistered' : 'registered',
    registeredAt: doc.registeredAt,
    updatedAt: latest(doc.updatedAt, deregistration?.deregisteredAt),
    ...(deregistration
      ? { deregisteredAt: deregistration.deregisteredAt, deregistrationReason: deregistration.reason }
      : {}),
    registeredAddress: address(doc.registeredAddress),
    registeredDistrict: doc.registeredDistrict,
    moves: (doc.moves ?? []).map(effect),
  };
}

function loaded(doc: VehicleDocument, deregistration: DeregistrationDocument | null | undefined): StoredVehicle {
  return { vehicle: Vehicle.fromState(stateOf(doc, deregistration)), version: doc.version ?? 0 };
}

const REGISTER_FIELDS = '-outbox';

/** The vehicle register on MongoDB / FerretDB. */
export class MongoVehicleRepository implements VehicleRepository {
  constructor(
    private readonly models: VehicleModels,
    /** Topic of the events written to the outbox. */
    private readonly topic: string,
  ) {}

  /** A vehicle document with its deregistration, if any. */
  private async withStatus(doc: VehicleDocument | null): Promise<StoredVehicle | undefined> {
    if (!doc) return undefined;
    return loaded(
      doc,
      await this.models.Deregistrations.findById(doc._id).select(REGISTER_FIELDS).lean<DeregistrationDocument>(),
    );
  }

  private async allWithStatus(docs: VehicleDocument[]): Promise<StoredVehicle[]> {
    if (docs.length === 0) return [];
    const deregistrations = await this.models.Deregistrations.find({ _id: { $in: docs.map((d) => d._id) } })
      .select(REGISTER_FIELDS)
      .lean<DeregistrationDocument[]>();
    const byPlate = new Map(deregistrations.map((d) => [d._id, d]));
    return docs.map((doc) => loaded(doc, byPlate.get(doc._id)));
  }

  async findByPlate(plate: string) {
    return this.withStatus(await this.models.Vehicles.findById(plate).select(REGISTER_FIELDS).lean<VehicleDocument>());
  }

  async findByVin(vin: string) {
    return this.withStatus(await this.models.Vehicles.findOne({ vin }).select(REGISTER_FIELDS).lean<VehicleDocument>());
  }

  async findByRegistrationRequest(idempotencyKey: string) {
    const doc = await this.models.Vehicles.findOne({ 'registrationRequest.idempotencyKey': idempotencyKey })
      .select(REGISTER_FIELDS)
      .lean<VehicleDocument>();
    const stored = await this.withStatus(doc);
    return stored && doc?.registrationRequest
      ? { ...stored, fingerprint: doc.registrationRequest.fingerprint }
      : undefined;
  }

  async listByHolder(personId: string) {
    return this.allWithStatus(
      await this.models.Vehicles.find({ holderPersonId: personId }).select(REGISTER_FIELDS).lean<VehicleDocument[]>(),
    );
  }

  async listWithMoveInForce(moveId: string) {
    // The index on moves.moveId narrows the candidates; whether the effect is
    // still in force is decided by the aggregate ($elemMatch matches nothing
    // on FerretDB 1.24, so the query stays simple).
    const docs = await this.models.Vehicles.find({ 'moves.moveId': moveId })
      .select(REGISTER_FIELDS)
      .lean<VehicleDocument[]>();
    return (await this.allWithStatus(docs)).filter((stored) => stored.vehicle.hasMoveInForce(moveId));
  }

  async insert(
    vehicle: Vehicle,
    request: RegistrationRequest,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<InsertOutcome> {
    try {
      await this.models.Vehicles.create({
        _id: vehicle.plate,
        ...fieldsOf(vehicle.state),
        registrationRequest: request,
        version: 0,
        outbox: events.map((e) => toOutboxEntry(e, context, this.topic)),
      });
      return 'inserted';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Which unique key? Not every MongoDB-compatible server reports keyPattern.
      return (await this.models.Vehicles.exists({ _id: vehicle.plate })) ? 'plate-taken' : 'vin-taken';
    }
  }

  async save(
    vehicle: Vehicle,
    expectedVersion: number,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
    handledEventId?: string,
  ): Promise<SaveOutcome> {
    const entries = events.map((e) => toOutboxEntry(e, context, this.topic));
    const set: UpdateQuery<VehicleDocument> = { $set: { ...fieldsOf(vehicle.state), version: expectedVersion + 1 } };
    const update = entries.length > 0 ? withOutbox(set, ...entries) : set;
    const current = { _id: vehicle.plate, version: expectedVersion };
    if (handledEventId === undefined) {
      const result = await this.models.Vehicles.updateOne(current, update);
      return result.matchedCount === 1 ? 'saved' : 'conflict';
    }
    // applyOnce reads a failed version condition as "not-found": someone wrote meanwhile.
    const outcome = await applyOnce(this.models.Vehicles, current, handledEventId, update);
    return outcome === 'applied' ? 'saved' : outcome === 'duplicate' ? 'duplicate' : 'conflict';
  }

  async recordDeregistration(
    vehicle: Vehicle,
    events: readonly VehicleDomainEvent[],
    context: EventContext,
  ): Promise<'saved' | 'duplicate'> {
    const { plate, holderPersonId, deregisteredAt, deregistrationReason, updatedAt } = vehicle.state;
    try {
      await this.models.Deregistrations.create({
        _id: plate,
        holderPersonId,
        reason: deregistrationReason ?? '',
        deregisteredAt: deregisteredAt ?? updatedAt,
        outbox: events.map((e) => toOutboxEntry(e, context, this.topic)),
      });
      return 'saved';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
  }
}
