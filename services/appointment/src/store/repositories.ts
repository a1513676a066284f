import type { Model } from 'mongoose';
import type { AppointmentRepository, InvitationRepository, MoveRepository } from '../app/ports.js';
import type { AppointmentData } from '../domain/appointment.js';
import type { InvitationData } from '../domain/invitation.js';
import type { MoveData } from '../domain/move.js';
import { MongoAggregates } from './aggregates.js';
import {
  appointmentFromDoc,
  appointmentToDoc,
  invitationFromDoc,
  invitationToDoc,
  moveFromDoc,
  moveToDoc,
} from './mappers.js';
import { numeric, text } from './read.js';
import type { AppointmentModels } from './schemas.js';

function unfinished(data: AppointmentData): boolean {
  return data.state === 'reserving' || data.pending !== null || data.releases.length > 0;
}

export class MongoAppointments extends MongoAggregates<AppointmentData> implements AppointmentRepository {
  constructor(models: AppointmentModels, topic: string, onEvents: () => void) {
    super(
      models.appointments as unknown as Model<never>,
      { idOf: (a) => a.id, fromDoc: appointmentFromDoc, toDoc: appointmentToDoc },
      topic,
      onEvents,
      (data) => ({ unfinished: unfinished(data) }),
    );
  }

  async findUnfinished(before: Date, limit: number): Promise<string[]> {
    const candidates = await this.collection
      .find(
        { unfinished: true, superseded: { $ne: true }, updatedAt: { $lt: before } },
        { projection: { aggregateId: 1, version: 1 } },
      )
      .sort({ updatedAt: 1 })
      .limit(limit)
      .toArray();
    const ids: string[] = [];
    for (const candidate of candidates) {
      const id = text(candidate.aggregateId, 'aggregateId');
      const latest = await this.latest(id);
      if (latest && latest.version > numeric(candidate.version, 'version')) {
        // A later revision exists, but marking this one superseded was interrupted: catch up.
        await this.collection.updateOne({ _id: candidate._id }, { $set: { superseded: true } });
        continue;
      }
      if (latest && unfinished(latest.data) && !ids.includes(id)) ids.push(id);
    }
    return ids;
  }
}

export class MongoMoves extends MongoAggregates<MoveData> implements MoveRepository {
  constructor(models: AppointmentModels, topic: string, onEvents: () => void) {
    super(
      models.moves as unknown as Model<never>,
      { idOf: (m) => m.id, fromDoc: moveFromDoc, toDoc: moveToDoc },
      topic,
      onEvents,
    );
  }
}

export class MongoInvitations extends MongoAggregates<InvitationData> implements InvitationRepository {
  constructor(models: AppointmentModels) {
    super(
      models.invitations as unknown as Model<never>,
      { idOf: (i) => i.code, fromDoc: invitationFromDoc, toDoc: invitationToDoc },
      // Invitations raise no events.
      'none',
      () => undefined,
    );
  }
}
