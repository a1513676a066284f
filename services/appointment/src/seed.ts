import { parseArgs } from 'node:util';
import { DEMO_CITIZENS } from '@buergerservice/demo-data';
import { createLogger } from '@buergerservice/telemetry';
import mongoose, { type Connection } from 'mongoose';
import { loadSeedConfig } from './config.js';
import { berlinToday } from './domain/berlin-time.js';
import type { Catalogue } from './domain/catalogue.js';
import { addDays } from './domain/dates.js';
import type { InvitationData } from './domain/invitation.js';
import { leipzigCatalogue } from './seed-data.js';
import { writeCatalogue } from './store/catalogue.js';
import { MongoInvitations } from './store/repositories.js';
import { appointmentModels } from './store/schemas.js';

export interface SeedOptions {
  /** Default: the model city's catalogue (seed-data.ts). */
  catalogue?: Catalogue;
  /** For the demo invitation's validity. */
  now?: Date;
}

export interface SeedResult {
  locations: number;
  services: number;
  invitations: number;
}

/** The Jobcenter invites the demo citizen Mehmet Yılmaz (P0000004): a code to try invitation-only booking with. */
export const DEMO_INVITATION_CODE = 'JCMY-4444';

/**
 * Loads the appointment catalogue (locations, Bürgerkoffer stops, services,
 * closures, inviting authorities) and a demo invitation. Idempotent: the
 * catalogue is replaced document by document, the invitation created once.
 */
export async function seedAppointmentData(connection: Connection, options: SeedOptions = {}): Promise<SeedResult> {
  const models = appointmentModels(connection);
  await Promise.all(Object.values(models).map((model) => model.init()));
  const catalogue = options.catalogue ?? leipzigCatalogue();
  await writeCatalogue(models, catalogue);

  const invited = DEMO_CITIZENS.find((p) => p.personId === 'P0000004');
  let invitations = 0;
  if (invited && catalogue.services.some((s) => s.id === 'jobcenter-erstgespraech')) {
    const now = options.now ?? new Date();
    const invitation: InvitationData = {
      code: DEMO_INVITATION_CODE,
      personId: invited.personId,
      serviceId: 'jobcenter-erstgespraech',
      validUntil: addDays(berlinToday(now), 60),
      authorityId: 'jobcenter-leipzig',
      clientId: 'seed',
      usedBy: null,
      createdAt: now,
    };
    if ((await new MongoInvitations(models).insert(invitation, [])) === 'inserted') invitations = 1;
  }
  return { locations: catalogue.locations.length, services: catalogue.services.length, invitations };
}

/** `node dist/seed.js [--persons N --vehicles M]` — the counts are accepted for the platform's seed runner; the catalogue does not depend on them. */
async function cli(): Promise<void> {
  parseArgs({ options: { persons: { type: 'string' }, vehicles: { type: 'string' } }, strict: true });
  const logger = createLogger('seed');
  const config = loadSeedConfig();
  const connection = await mongoose.createConnection(config.MONGO_URL).asPromise();
  try {
    logger.info(await seedAppointmentData(connection), 'appointment catalogue seeded');
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  cli().catch((error: unknown) => {
    createLogger('seed').fatal({ err: error }, 'seeding failed');
    process.exitCode = 1;
  });
}
