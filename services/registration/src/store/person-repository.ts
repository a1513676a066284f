import type { MoveSlot, MoveSlots, PersonRepository, StreetDirectory } from '../app/ports.js';
import type { DirectoryStreet } from '../domain/address.js';
import type { Person } from '../domain/person.js';
import { isDuplicateKeyError } from '@buergerservice/event-bus';
import { personFromDoc } from './mapping.js';
import type { RegistrationModels } from './models.js';

export class MongoPersonRepository implements PersonRepository {
  constructor(private readonly models: RegistrationModels) {}

  async find(personId: string): Promise<Person | undefined> {
    const doc = await this.models.Person.findById(personId).lean();
    return doc ? personFromDoc(doc) : undefined;
  }

  async findMany(personIds: readonly string[]): Promise<Person[]> {
    const docs = await this.models.Person.find({ _id: { $in: [...personIds] } }).lean();
    return docs.map(personFromDoc);
  }
}

function slotId(personId: string, seq: number): string {
  return `${personId}#${String(seq).padStart(6, '0')}`;
}

/** Move slots (see MoveSlots): inserted with a unique id, deleted only by the attempt that took them. */
export class MongoMoveSlots implements MoveSlots {
  constructor(private readonly models: RegistrationModels) {}

  async latest(personId: string): Promise<MoveSlot | undefined> {
    const [doc] = await this.models.MoveSlot.find({ personId }).sort({ seq: -1 }).limit(1).lean();
    return doc ? { personId: doc.personId, seq: doc.seq, moveId: doc.moveId, takenAt: doc.takenAt } : undefined;
  }

  async take(slot: MoveSlot): Promise<boolean> {
    try {
      await this.models.MoveSlot.collection.insertOne({ _id: slotId(slot.personId, slot.seq) as never, ...slot });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async giveBack(slots: readonly MoveSlot[]): Promise<void> {
    if (slots.length === 0) return;
    // By exact id: nobody else can hold a slot id while it exists.
    await this.models.MoveSlot.deleteMany({
      _id: { $in: slots.map((s) => slotId(s.personId, s.seq)) },
      moveId: { $in: [...new Set(slots.map((s) => s.moveId))] },
    });
  }
}

export class MongoStreetDirectory implements StreetDirectory {
  constructor(private readonly models: RegistrationModels) {}

  async sectionsNamed(normalizedName: string): Promise<DirectoryStreet[]> {
    const docs = await this.models.Street.find({ normalizedName }).lean();
    return docs.map((doc) => ({
      streetKey: doc._id,
      name: doc.name,
      postalCode: doc.postalCode,
      district: doc.district,
      houseNumbers: { from: doc.houseNumberFrom, to: doc.houseNumberTo },
    }));
  }
}
