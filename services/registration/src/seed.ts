import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from '@buergerservice/config';
import { type DemoPerson, demoPopulation, LEIPZIG_STREETS } from '@buergerservice/demo-data';
import mongoose, { type Connection, mongo } from 'mongoose';
import { loadSeedConfig } from './config.js';
import { type Address, type DirectoryStreet, normalizeStreetName, resolveCityAddress } from './domain/address.js';
import { isCalendarDate } from './domain/calendar.js';
import type { Person } from './domain/person.js';
import { personToDoc } from './store/mapping.js';
import { ensureIndexes, type PersonDoc, registrationModels } from './store/models.js';

/**
 * Loads the street directory and persons into the register: the
 * deterministic demo population (ids match the other services' seeds) or a
 * JSON file of persons. Idempotent: re-running adds what is missing; a file
 * import also replaces the persons it names; moves already recorded are kept.
 *
 *   node dist/seed.js --persons 200 [--vehicles M, ignored]
 *   node dist/seed.js --file persons.json
 */

const INSERT_BATCH = 1_000;
const REPLACE_BATCH = 50;

/** One person of an import file; the shape of demo-data's DemoPerson (address fields beyond these are derived). */
export const importedPersonSchema = z.object({
  personId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  familyName: z.string().min(1),
  givenNames: z.string().min(1),
  doctoralDegree: z.string().default(''),
  dateOfBirth: z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD'),
  nationalities: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  religiousAffiliation: z.string().default(''),
  householdId: z.string().default(''),
  minorInCarePersonIds: z.array(z.string()).default([]),
  address: z.object({
    street: z.string().min(1),
    houseNumber: z.string().regex(/^\d{1,5}$/),
    houseNumberSuffix: z.string().default(''),
    addressAddition: z.string().default(''),
    postalCode: z.string().regex(/^\d{5}$/),
  }),
  residentSince: z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD'),
});
export type ImportedPerson = z.input<typeof importedPersonSchema>;

/** Thrown when import records are invalid; names record numbers and fields, never their values. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid persons:\n  ${problems.slice(0, 50).join('\n  ')}${problems.length > 50 ? '\n  …' : ''}`);
  }
}

export async function seedStreets(connection: Connection, streets: readonly DirectoryStreet[] = LEIPZIG_STREETS) {
  const { Street } = registrationModels(connection);
  await Street.bulkWrite(
    streets.map((s) => ({
      updateOne: {
        filter: { _id: s.streetKey },
        update: {
          $set: {
            name: s.name,
            normalizedName: normalizeStreetName(s.name),
            postalCode: s.postalCode,
            district: s.district,
            houseNumberFrom: s.houseNumbers.from,
            houseNumberTo: s.houseNumbers.to,
          },
        },
        upsert: true,
      },
    })),
    { ordered: false },
  );
  return streets.length;
}

/** Validates import records against the schema and the street directory; throws ImportError listing every problem. */
export function toPersons(
  records: readonly unknown[],
  directory: readonly DirectoryStreet[] = LEIPZIG_STREETS,
): Person[] {
  const problems: string[] = [];
  const persons: Person[] = [];
  records.forEach((record, index) => {
    const parsed = importedPersonSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`#${index}: ${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    const p = parsed.data;
    const typed: Address = {
      ...p.address,
      municipality: '',
      municipalityKey: '',
      streetKey: '',
      district: '',
      countryCode: '',
    };
    const wanted = normalizeStreetName(typed.street);
    const resolved = resolveCityAddress(
      typed,
      directory.filter((s) => normalizeStreetName(s.name) === wanted),
      'address',
    );
    if ('violations' in resolved) {
      for (const v of resolved.violations) problems.push(`#${index}: ${v.field}: ${v.description}`);
      return;
    }
    persons.push({
      personId: p.personId,
      name: { familyName: p.familyName, givenNames: p.givenNames, doctoralDegree: p.doctoralDegree },
      dateOfBirth: p.dateOfBirth,
      nationalities: p.nationalities,
      religiousAffiliation: p.religiousAffiliation,
      householdId: p.householdId,
      minorInCarePersonIds: p.minorInCarePersonIds,
      residences: [{ address: resolved.address, type: 'main', validFrom: p.residentSince }],
    });
  });
  if (problems.length > 0) throw new ImportError(problems);
  return persons;
}

/**
 * Writes persons: inserts the new ones; the ones that exist already are
 * replaced (`replaceExisting`, for imports that correct records) or left as
 * they are (the deterministic demo population, which is the same every time).
 *
 * FerretDB 1.24 makes the obvious ways slow or unsafe: a bulk of a few
 * hundred updates never returns, each replacement costs tens of
 * milliseconds, and asking which ids exist (`$in`) scans the collection. So
 * persons are inserted in batches of a thousand (a fresh load of 100,000
 * takes about a minute) and the existing ones — reported back as duplicate
 * keys — are replaced in small bulks.
 */
export async function upsertPersons(
  connection: Connection,
  persons: readonly Person[],
  options: { replaceExisting: boolean },
): Promise<number> {
  const { Person: PersonModel } = registrationModels(connection);
  const db = connection.db;
  if (!db) throw new Error('the connection is not open');
  const collection = db.collection<PersonDoc>(PersonModel.collection.collectionName);
  for (let start = 0; start < persons.length; start += INSERT_BATCH) {
    const docs = persons.slice(start, start + INSERT_BATCH).map(personToDoc);
    const existing = await insertNew(collection, docs);
    if (!options.replaceExisting) continue;
    for (let i = 0; i < existing.length; i += REPLACE_BATCH) {
      await collection.bulkWrite(
        existing.slice(i, i + REPLACE_BATCH).map((doc) => ({
          replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
        })),
        { ordered: false },
      );
    }
  }
  return persons.length;
}

/** Inserts the documents; returns those that exist already (duplicate key). */
async function insertNew(collection: mongo.Collection<PersonDoc>, docs: PersonDoc[]): Promise<PersonDoc[]> {
  try {
    await collection.insertMany(docs, { ordered: false });
    return [];
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const failures = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    const other = failures.find((f) => f.code !== 11000);
    if (other) throw error;
    return failures.flatMap((f) => docs[f.index] ?? []);
  }
}

function demoPersonRecord(person: DemoPerson): ImportedPerson {
  return { ...person, address: { ...person.address } };
}

/** Seeds the directory and `persons` persons of the demo population (the demo citizens first). */
export async function seedRegistration(
  connection: Connection,
  options: { persons: number },
): Promise<{ streets: number; persons: number }> {
  await ensureIndexes(registrationModels(connection));
  const streets = await seedStreets(connection);
  const { persons } = demoPopulation({ persons: options.persons, vehicles: 0 });
  const count = await upsertPersons(connection, toPersons(persons.map(demoPersonRecord)), { replaceExisting: false });
  return { streets, persons: count };
}

/** Seeds the directory and the persons of a JSON file (an array of ImportedPerson). */
export async function importPersonsFile(
  connection: Connection,
  file: string,
): Promise<{ streets: number; persons: number }> {
  const records: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(records)) throw new ImportError(['the file must hold a JSON array of persons']);
  const persons = toPersons(records);
  await ensureIndexes(registrationModels(connection));
  const streets = await seedStreets(connection);
  return { streets, persons: await upsertPersons(connection, persons, { replaceExisting: true }) };
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '200' },
      // Every service's seed takes the same flags (the platform runner passes both); the register has no vehicles.
      vehicles: { type: 'string' },
      file: { type: 'string' },
    },
    strict: true,
  });
  const count = Number(values.persons);
  if (!Number.isInteger(count) || count < 0) throw new Error('--persons must be a non-negative integer');
  const config = loadSeedConfig();
  const connection = await mongoose.createConnection(config.MONGO_URL).asPromise();
  try {
    const started = Date.now();
    const result = values.file
      ? await importPersonsFile(connection, values.file)
      : await seedRegistration(connection, { persons: count });
    console.log(JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000, msg: 'seeded' }));
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  cli().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
