import type { MoveSlot, MoveSlots, PersonRepository, StreetDirectory } from '../app/ports.js';
import type { DirectoryStreet } from '../domain/address.js';
import type { Person } from '../domain/person.js';
import { insertOnce } from '@buergerservice/event-bus';
import { personFromDoc } from './mapping.js';
import type { RegistrationModels } from './models.js';

export class MongoPersonRepository implements PersonRepository {
  constructor(private readonly models: RegistrationModels) {}

  async find(personId: string): Promise<Person | undefined> {
    const doc = await this.models.Person.findById(personId).lean();
    return doc ? personFromDoc(doc) : undefined;
  }

  /** One lookup by id per person: on FerretDB 1.24 an `$in` query scans the whole collection. */
  async findMany(personIds: readonly string[]): Promise<Person[]> {
    const found = await Promise.all(personIds.map((id) => this.find(id)));
    return found.flatMap((p) => p ?? []);
  }
}

function slotId(personId: string, seq: number): string {
  return `${personId}#${String(seq).padStart(6, '0')}`;
}

/** The release record of a slot: its own id, so it never collides with a slot. */
function releaseId(slot: MoveSlot): string {
  return `${slotId(slot.personId, slot.seq)}:released:${slot.moveId}`;
}

/** More slots than this for one person would be a bug (or an attack); reading stops there. */
const MAX_SLOTS = 10_000;

/**
 * Move slots (see MoveSlots): inserted with a unique id and never deleted,
 * so a person's slots are numbered 1…n without gaps and are read by id, one
 * after the other. A given-back slot gets a release record next to it.
 */
export class MongoMoveSlots implements MoveSlots {
  constructor(private readonly models: RegistrationModels) {}

  async of(personId: string): Promise<MoveSlot[]> {
    const slots: MoveSlot[] = [];
    for (let seq = 1; seq <= MAX_SLOTS; seq++) {
      const doc = await this.models.MoveSlot.findById(slotId(personId, seq)).lean();
      if (!doc) break;
      slots.push({ personId: doc.personId, seq: doc.seq, moveId: doc.moveId, takenAt: doc.takenAt });
    }
    return slots;
  }

  async take(slot: MoveSlot): Promise<boolean> {
    return (await insertOnce(this.models.MoveSlot, { _id: slotId(slot.personId, slot.seq), ...slot })) === 'inserted';
  }

  async giveBack(slots: readonly MoveSlot[]): Promise<void> {
    // A release record that exists already (a repeated give-back) is fine.
    for (const slot of slots) await insertOnce(this.models.MoveSlot, { _id: releaseId(slot), ...slot });
  }

  async isReleased(slot: MoveSlot): Promise<boolean> {
    return (await this.models.MoveSlot.exists({ _id: releaseId(slot) })) !== null;
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
