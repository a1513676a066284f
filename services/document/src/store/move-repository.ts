import { isDuplicateKeyError } from '@buergerservice/event-bus';
import type { Model } from 'mongoose';
import type { MoveRepository, RecordOutcome } from '../app/ports.js';
import type { Cause } from '../domain/document.js';
import { normalizePlate } from '../domain/document.js';
import {
  type AddressChangeFact,
  type BookingFact,
  emptyMove,
  type MoveFacts,
  type RestorationFact,
  type VehicleUpdateFact,
} from '../domain/move.js';
import type { FactDocument } from './models.js';

/** A move's facts, one insert-only document each (see models.ts for why). */
export class MongoMoveRepository implements MoveRepository {
  constructor(
    private readonly model: Model<FactDocument>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(moveId: string): Promise<MoveFacts | undefined> {
    const facts = await this.model.find({ moveId }).sort({ _id: 1 }).lean<FactDocument[]>().exec();
    if (facts.length === 0) return undefined;
    const move = emptyMove(moveId);
    move.version = facts.length;
    for (const { key, fact } of facts) {
      if (key === 'address-changed') move.addressChange = fact as unknown as AddressChangeFact;
      else if (key === 'revoked') move.revocation = fact as unknown as Cause;
      else if (key.startsWith('vehicle:')) move.vehicleUpdates.push(fact as unknown as VehicleUpdateFact);
      else if (key.startsWith('restored:')) move.restorations.push(fact as unknown as RestorationFact);
      else if (key.startsWith('booking:')) move.bookings.push(fact as unknown as BookingFact);
      else throw new Error(`unknown fact ${key} of move ${moveId}`);
    }
    return move;
  }

  async version(moveId: string): Promise<number | undefined> {
    const count = await this.model.countDocuments({ moveId }).exec();
    return count === 0 ? undefined : count;
  }

  recordAddressChange(moveId: string, fact: AddressChangeFact): Promise<RecordOutcome> {
    return this.insert(moveId, 'address-changed', fact);
  }

  recordRevocation(moveId: string, cause: Cause): Promise<RecordOutcome> {
    return this.insert(moveId, 'revoked', cause);
  }

  recordVehicleUpdate(moveId: string, fact: VehicleUpdateFact): Promise<RecordOutcome> {
    const plate = normalizePlate(fact.plate);
    return this.insert(moveId, `vehicle:${plate}`, { ...fact, plate });
  }

  recordRestoration(moveId: string, fact: RestorationFact): Promise<RecordOutcome> {
    const plate = normalizePlate(fact.plate);
    return this.insert(moveId, `restored:${plate}`, { ...fact, plate });
  }

  recordBooking(moveId: string, fact: BookingFact): Promise<RecordOutcome> {
    return this.insert(moveId, `booking:${fact.appointmentId}`, fact);
  }

  private async insert(moveId: string, key: string, fact: object): Promise<RecordOutcome> {
    try {
      await this.model.create({ _id: `${moveId}|${key}`, moveId, key, fact, recordedAt: this.now() });
      return 'recorded';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'known';
      throw error;
    }
  }
}
