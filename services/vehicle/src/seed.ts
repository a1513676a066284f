import { demoPopulation, type DemoVehicle } from '@buergerservice/demo-data';
import { createLogger } from '@buergerservice/telemetry';
import mongoose, { type AnyBulkWriteOperation, type Connection } from 'mongoose';
import { loadSeedConfig } from './config.js';
import { holderAddressProblems } from './domain/address.js';
import { isCertificateNumber, isDistrictCode, isPersonId } from './domain/identifiers.js';
import { normalisePlate } from './domain/plate.js';
import { parseVin } from './domain/vin.js';
import { ensureIndexes, type VehicleDocument, vehicleModels } from './store/models.js';

export interface SeedOptions {
  readonly persons: number;
  readonly vehicles: number;
}

export interface SeedResult {
  /** Vehicles in the demo population. */
  readonly vehicles: number;
  /** Of those, newly inserted by this run (the others were there already and were left untouched). */
  readonly inserted: number;
}

// FerretDB 1.24 never answers an unordered bulk of more than 100 upserts
// that match existing documents (seen when seeding twice); batches of 100 work.
const BATCH = 100;
/** The time seeded vehicles are dated, so repeated seeds write identical documents. */
const SEEDED_AT = new Date('2026-01-01T00:00:00Z');

function checked(vehicle: DemoVehicle): DemoVehicle {
  const plate = normalisePlate(vehicle.plate);
  const vin = parseVin(vehicle.vin);
  const valid =
    plate === vehicle.plate &&
    vin.ok &&
    isPersonId(vehicle.holderPersonId) &&
    isCertificateNumber(vehicle.registrationCertificateNumber) &&
    isDistrictCode(vehicle.registrationDistrict) &&
    holderAddressProblems(vehicle.holderAddress).length === 0;
  if (!valid) throw new Error(`demo vehicle ${vehicle.vin} breaks the register's rules`);
  return vehicle;
}

function document(vehicle: DemoVehicle): Omit<VehicleDocument, '_id' | 'outbox' | 'processedEventIds'> {
  return {
    vin: vehicle.vin,
    make: vehicle.make,
    model: vehicle.model,
    certificateNumber: vehicle.registrationCertificateNumber,
    holderPersonId: vehicle.holderPersonId,
    holderAddress: vehicle.holderAddress,
    district: vehicle.registrationDistrict,
    registeredAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
    registeredAddress: vehicle.holderAddress,
    registeredDistrict: vehicle.registrationDistrict,
    moves: [],
    version: 0,
  };
}

/**
 * Loads the demo population's vehicles into the register, so holder person
 * ids match the registration office's register (both seed from
 * `demoPopulation`). Idempotent: bulk upserts that insert missing vehicles and
 * leave existing ones alone (their holder address may have changed since
 * through moves). Imported vehicles raise no VehicleRegistered: they were
 * registered before the platform existed.
 */
export async function seedVehicles(connection: Connection, options: SeedOptions): Promise<SeedResult> {
  const models = vehicleModels(connection);
  await ensureIndexes(models);
  const { vehicles } = demoPopulation({ persons: options.persons, vehicles: options.vehicles });
  let inserted = 0;
  for (let start = 0; start < vehicles.length; start += BATCH) {
    const operations: AnyBulkWriteOperation<VehicleDocument>[] = vehicles.slice(start, start + BATCH).map((v) => ({
      updateOne: {
        filter: { _id: checked(v).plate },
        update: { $setOnInsert: document(v) },
        upsert: true,
      },
    }));
    const result = await models.Vehicles.bulkWrite(operations, { ordered: false });
    inserted += result.upsertedCount;
  }
  return { vehicles: vehicles.length, inserted };
}

/** `--persons N --vehicles M` (defaults 200 and 120, as every service's seed). */
export function parseSeedArgs(argv: readonly string[]): SeedOptions {
  const options = { persons: 200, vehicles: 120 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag !== '--persons' && flag !== '--vehicles')
      throw new Error(`unknown argument ${flag}; use --persons N --vehicles M`);
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number ≥ 0`);
    options[flag === '--persons' ? 'persons' : 'vehicles'] = value;
    i++;
  }
  return options;
}

async function cli(): Promise<void> {
  const logger = createLogger('vehicle-seed');
  const options = parseSeedArgs(process.argv.slice(2));
  const { MONGO_URL } = loadSeedConfig();
  const connection = await mongoose.createConnection(MONGO_URL, { serverSelectionTimeoutMS: 30_000 }).asPromise();
  try {
    const result = await seedVehicles(connection, options);
    logger.info({ ...options, ...result }, 'vehicle register seeded');
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  cli().catch((error: unknown) => {
    process.stderr.write(`vehicle seed failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
