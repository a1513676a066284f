import { insertOnce } from '@buergerservice/event-bus';
import type { Model } from 'mongoose';
import type { AggregateRepository, Versioned } from '../app/ports.js';
import type { RaisedEvent } from '../domain/events.js';
import { toOutboxEntry } from '../events/codec.js';
import { numeric, type Raw, text } from './read.js';
import { type StringIdCollection, stringIdCollection } from './schemas.js';

export interface AggregateMapping<T> {
  idOf(data: T): string;
  fromDoc(doc: Raw): T;
  /** The aggregate's fields (without the revision fields and the outbox). */
  toDoc(data: T): Raw;
}

export function revisionId(aggregateId: string, version: number): string {
  return `${aggregateId}#${version}`;
}

/**
 * Aggregates as revision documents with optimistic concurrency: the state
 * after a transition is inserted as `<id>#<version+1>`; a concurrent
 * transition from the same version collides on that `_id` and loses, so it
 * re-reads and decides again. The revision carries the transition's events
 * (the outbox), so state and events are written together or not at all.
 * Nothing is ever updated in place, which keeps this correct on FerretDB 1.24
 * (non-atomic updates) as on MongoDB.
 */
export class MongoAggregates<T> implements AggregateRepository<T> {
  constructor(
    // Documents are read raw and mapped, so the model's own document type does not matter.
    protected readonly model: Model<never>,
    protected readonly mapping: AggregateMapping<T>,
    private readonly topic: string,
    /** Called after events were written (wakes the outbox relay). */
    private readonly onEvents: () => void,
    /** Extra, derived fields of a revision for queries. */
    private readonly queryFields: (data: T) => Raw = () => ({}),
  ) {}

  protected get collection(): StringIdCollection {
    return stringIdCollection(this.model);
  }

  async get(id: string): Promise<Versioned<T> | undefined> {
    return this.latest(id);
  }

  protected async latest(id: string): Promise<Versioned<T> | undefined> {
    const [doc] = await this.collection
      .find({ aggregateId: id }, { projection: { outbox: 0 } })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    if (!doc) return undefined;
    return {
      data: this.mapping.fromDoc({ ...doc, _id: text(doc.aggregateId, 'aggregateId') }),
      version: numeric(doc.version, 'version'),
    };
  }

  async insert(data: T, events: readonly RaisedEvent[]): Promise<'inserted' | 'duplicate'> {
    return this.insertRevision(data, 0, events);
  }

  async update(data: T, expectedVersion: number, events: readonly RaisedEvent[]): Promise<boolean> {
    const outcome = await this.insertRevision(data, expectedVersion + 1, events);
    if (outcome === 'duplicate') return false;
    const id = this.mapping.idOf(data);
    await this.collection.updateOne({ _id: revisionId(id, expectedVersion) }, { $set: { superseded: true } });
    return true;
  }

  private async insertRevision(data: T, version: number, events: readonly RaisedEvent[]) {
    const id = this.mapping.idOf(data);
    const outcome = await insertOnce(this.model, {
      ...this.mapping.toDoc(data),
      ...this.queryFields(data),
      _id: revisionId(id, version),
      aggregateId: id,
      version,
      superseded: false,
      outbox: events.map((e) => toOutboxEntry(e, this.topic)),
    } as never);
    if (outcome === 'inserted' && events.length > 0) this.onEvents();
    return outcome;
  }
}
