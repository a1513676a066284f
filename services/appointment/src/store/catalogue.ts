import type { CatalogueSource } from '../app/ports.js';
import {
  type Catalogue,
  CatalogueIndex,
  type CapacityPool,
  type Closure,
  catalogueProblems,
  type Location,
  type OpeningRule,
  type Service,
} from '../domain/catalogue.js';
import type { Weekday } from '../domain/dates.js';
import {
  bool,
  CorruptDocumentError,
  numeric,
  list,
  oneOf,
  optionalNumber,
  optionalText,
  type Raw,
  record,
  text,
  texts,
} from './read.js';
import { type AppointmentModels, stringIdCollection } from './schemas.js';

/** The catalogue in the database is inconsistent; the service refuses to start with it (and keeps the last good one later). */
export class InvalidCatalogueError extends Error {
  override readonly name = 'InvalidCatalogueError';
  constructor(readonly problems: readonly string[]) {
    super(`the appointment catalogue is inconsistent:\n  ${problems.join('\n  ')}`);
  }
}

function closureFrom(value: unknown, where: string): Closure {
  const doc = record(value, where);
  return {
    from: text(doc.from, `${where}.from`),
    to: text(doc.to, `${where}.to`),
    reason: text(doc.reason, `${where}.reason`),
  };
}

function ruleFrom(value: unknown, where: string): OpeningRule {
  const doc = record(value, where);
  return {
    weekdays: list(doc.weekdays, `${where}.weekdays`, (d, at) => numeric(d, at) as Weekday),
    from: text(doc.from, `${where}.from`),
    to: text(doc.to, `${where}.to`),
    counters: numeric(doc.counters, `${where}.counters`),
    everyWeeks: optionalNumber(doc.everyWeeks, `${where}.everyWeeks`),
    anchorDate: optionalText(doc.anchorDate, `${where}.anchorDate`),
    validFrom: optionalText(doc.validFrom, `${where}.validFrom`),
    validUntil: optionalText(doc.validUntil, `${where}.validUntil`),
  };
}

function poolFrom(value: unknown, where: string): CapacityPool {
  const doc = record(value, where);
  return {
    groupId: text(doc.groupId, `${where}.groupId`),
    slotMinutes: numeric(doc.slotMinutes, `${where}.slotMinutes`),
    rules: list(doc.rules, `${where}.rules`, ruleFrom),
  };
}

export function locationFromDoc(doc: Raw): Location {
  const where = `locations ${String(doc._id)}`;
  const address = record(doc.address, `${where}.address`);
  const position = record(doc.position, `${where}.position`);
  return {
    id: text(doc._id, `${where}._id`),
    name: text(doc.name, `${where}.name`),
    kind: oneOf(doc.kind, ['citizen-office', 'mobile-stop', 'specialist-office'] as const, `${where}.kind`),
    address: {
      street: text(address.street, `${where}.address.street`),
      houseNumber: text(address.houseNumber, `${where}.address.houseNumber`),
      houseNumberSuffix: text(address.houseNumberSuffix, `${where}.address.houseNumberSuffix`),
      postalCode: text(address.postalCode, `${where}.address.postalCode`),
      municipality: text(address.municipality, `${where}.address.municipality`),
      municipalityKey: text(address.municipalityKey, `${where}.address.municipalityKey`),
      district: text(address.district, `${where}.address.district`),
    },
    position: {
      lat: numeric(position.lat, `${where}.position.lat`),
      lon: numeric(position.lon, `${where}.position.lon`),
    },
    pools: list(doc.pools, `${where}.pools`, poolFrom),
    closures: list(doc.closures, `${where}.closures`, closureFrom),
  };
}

export function serviceFromDoc(doc: Raw): Service {
  const where = `services ${String(doc._id)}`;
  return {
    id: text(doc._id, `${where}._id`),
    name: text(doc.name, `${where}.name`),
    durationMinutes: numeric(doc.durationMinutes, `${where}.durationMinutes`),
    groupId: text(doc.groupId, `${where}.groupId`),
    locationIds: texts(doc.locationIds, `${where}.locationIds`),
    invitationOnly: bool(doc.invitationOnly),
    interpreterAvailable: bool(doc.interpreterAvailable),
    invitingAuthorities: texts(doc.invitingAuthorities, `${where}.invitingAuthorities`),
  };
}

/** Reads the whole catalogue (a few dozen small documents). */
export async function readCatalogue(models: AppointmentModels): Promise<Catalogue> {
  const [locations, services, city] = await Promise.all([
    stringIdCollection(models.locations).find({}).sort({ _id: 1 }).toArray(),
    stringIdCollection(models.services).find({}).sort({ _id: 1 }).toArray(),
    stringIdCollection(models.city).findOne({ _id: 'city' }),
  ]);
  return {
    locations: locations.map(locationFromDoc),
    services: services.map(serviceFromDoc),
    cityClosures: list(city?.cityClosures, 'city.cityClosures', closureFrom),
    authorities: list(city?.authorities, 'city.authorities', (value, where) => {
      const doc = record(value, where);
      return {
        id: text(doc.id, `${where}.id`),
        name: text(doc.name, `${where}.name`),
        clientIds: texts(doc.clientIds, where),
      };
    }),
  };
}

/** Writes a catalogue (the seed): upserts every document, so it can run again. */
export async function writeCatalogue(models: AppointmentModels, catalogue: Catalogue): Promise<void> {
  const problems = catalogueProblems(catalogue);
  if (problems.length > 0) throw new InvalidCatalogueError(problems);
  for (const { id, ...fields } of catalogue.locations) {
    await stringIdCollection(models.locations).replaceOne({ _id: id }, fields, { upsert: true });
  }
  for (const { id, ...fields } of catalogue.services) {
    await stringIdCollection(models.services).replaceOne({ _id: id }, fields, { upsert: true });
  }
  await stringIdCollection(models.city).replaceOne(
    { _id: 'city' },
    { cityClosures: catalogue.cityClosures, authorities: catalogue.authorities },
    { upsert: true },
  );
}

export interface CatalogueLog {
  error(fields: object, message: string): void;
}

/**
 * The catalogue as the use cases see it: read from the database, checked,
 * and cached for `refreshMs`; a refresh that fails or reads an inconsistent
 * catalogue keeps the last good one (and logs why).
 */
export class MongoCatalogue implements CatalogueSource {
  #current: { index: CatalogueIndex; at: number } | undefined;
  #loading: Promise<CatalogueIndex> | undefined;

  constructor(
    private readonly models: AppointmentModels,
    private readonly refreshMs: number,
    private readonly log: CatalogueLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the catalogue now; throws InvalidCatalogueError when it is inconsistent (used at start-up). */
  async load(): Promise<CatalogueIndex> {
    const catalogue = await readCatalogue(this.models);
    const problems = catalogueProblems(catalogue);
    if (problems.length > 0) throw new InvalidCatalogueError(problems);
    const index = new CatalogueIndex(catalogue);
    this.#current = { index, at: this.now() };
    return index;
  }

  async current(): Promise<CatalogueIndex> {
    const cached = this.#current;
    if (cached && this.now() - cached.at < this.refreshMs) return cached.index;
    this.#loading ??= this.load()
      .catch((error: unknown) => {
        if (!cached || !(error instanceof InvalidCatalogueError || error instanceof CorruptDocumentError)) throw error;
        this.log.error({ err: error }, 'catalogue refresh failed; keeping the previous catalogue');
        this.#current = { index: cached.index, at: this.now() };
        return cached.index;
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
