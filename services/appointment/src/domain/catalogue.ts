import { type IsoDate, isIsoDate, isTimeOfDay, parseTimeOfDay, type Weekday } from './dates.js';

/**
 * What the city offers: locations with their capacity pools and opening
 * rules, the services (Dienstleistungen) and who may invite to
 * invitation-only services. Loaded from the service's own database (seeded by
 * seed.ts) and handed to the rules as a plain value.
 */

export type LocationKind = 'citizen-office' | 'mobile-stop' | 'specialist-office';

export interface PostalAddress {
  street: string;
  houseNumber: string;
  houseNumberSuffix: string;
  postalCode: string;
  municipality: string;
  municipalityKey: string;
  district: string;
}

export interface GeoPosition {
  lat: number;
  lon: number;
}

/**
 * When a pool is open: on `weekdays`, from `from` to `to` ("HH:MM", Berlin
 * time), with `counters` parallel places. `everyWeeks` > 1 makes it a
 * rotation (the mobile Bürgerkoffer: every second Wednesday), counted in
 * whole weeks from `anchorDate`, a date on which the rule applies.
 * `validFrom`/`validUntil` bound the rule (schedule changes).
 */
export interface OpeningRule {
  weekdays: Weekday[];
  from: string;
  to: string;
  counters: number;
  everyWeeks?: number | undefined;
  anchorDate?: IsoDate | undefined;
  validFrom?: IsoDate | undefined;
  validUntil?: IsoDate | undefined;
}

/**
 * Counters at a location that serve one group of services (e.g. the
 * citizen-office counters, or the registry office's desks). Capacity is
 * held per (location, group, start time).
 */
export interface CapacityPool {
  groupId: string;
  slotMinutes: number;
  rules: OpeningRule[];
}

/** Days a location (or the whole city) is closed, both inclusive. */
export interface Closure {
  from: IsoDate;
  to: IsoDate;
  reason: string;
}

export interface Location {
  id: string;
  name: string;
  kind: LocationKind;
  address: PostalAddress;
  position: GeoPosition;
  pools: CapacityPool[];
  closures: Closure[];
}

export interface Service {
  id: string;
  name: string;
  durationMinutes: number;
  /** The capacity pool group whose counters serve it. */
  groupId: string;
  locationIds: string[];
  invitationOnly: boolean;
  /** Free video interpreting may be booked with it (in the configured languages). */
  interpreterAvailable: boolean;
  /** Authorities that may invite to it (invitation-only services). */
  invitingAuthorities: string[];
}

/** An authority that invites persons to invitation-only services, and the client identities acting for it. */
export interface InvitingAuthority {
  id: string;
  name: string;
  clientIds: string[];
}

export interface Catalogue {
  locations: Location[];
  services: Service[];
  /** City-wide closures of every location (e.g. 24 and 31 December). */
  cityClosures: Closure[];
  authorities: InvitingAuthority[];
}

/** Everything that is inconsistent in a catalogue, one line each; empty when it is sound. */
export function catalogueProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const locations = new Map<string, Location>();
  for (const location of catalogue.locations) {
    if (locations.has(location.id)) problems.push(`location ${location.id}: duplicate id`);
    locations.set(location.id, location);
    const groups = new Set<string>();
    for (const pool of location.pools) {
      const where = `location ${location.id} pool ${pool.groupId}`;
      if (groups.has(pool.groupId)) problems.push(`${where}: duplicate group`);
      groups.add(pool.groupId);
      if (!Number.isInteger(pool.slotMinutes) || pool.slotMinutes < 5 || 1440 % pool.slotMinutes !== 0) {
        problems.push(`${where}: slotMinutes must divide a day and be at least 5`);
      }
      for (const [i, rule] of pool.rules.entries()) problems.push(...ruleProblems(rule, `${where} rule ${i}`, pool));
    }
    for (const closure of location.closures) problems.push(...closureProblems(closure, `location ${location.id}`));
  }
  for (const closure of catalogue.cityClosures) problems.push(...closureProblems(closure, 'city'));
  const authorities = new Set(catalogue.authorities.map((a) => a.id));
  const services = new Set<string>();
  for (const service of catalogue.services) {
    const where = `service ${service.id}`;
    if (services.has(service.id)) problems.push(`${where}: duplicate id`);
    services.add(service.id);
    if (!Number.isInteger(service.durationMinutes) || service.durationMinutes <= 0) {
      problems.push(`${where}: durationMinutes must be a positive integer`);
    }
    for (const locationId of service.locationIds) {
      const location = locations.get(locationId);
      if (!location) problems.push(`${where}: unknown location ${locationId}`);
      else if (!location.pools.some((p) => p.groupId === service.groupId)) {
        problems.push(`${where}: location ${locationId} has no pool ${service.groupId}`);
      }
    }
    if (service.invitationOnly && service.invitingAuthorities.length === 0) {
      problems.push(`${where}: invitation-only without an inviting authority`);
    }
    for (const authority of service.invitingAuthorities) {
      if (!authorities.has(authority)) problems.push(`${where}: unknown authority ${authority}`);
    }
  }
  return problems;
}

function ruleProblems(rule: OpeningRule, where: string, pool: CapacityPool): string[] {
  const problems: string[] = [];
  if (rule.weekdays.length === 0 || rule.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    problems.push(`${where}: weekdays must be 1 (Monday) to 7 (Sunday)`);
  }
  if (!isTimeOfDay(rule.from) || !isTimeOfDay(rule.to)) {
    problems.push(`${where}: from/to must be HH:MM`);
  } else {
    const from = parseTimeOfDay(rule.from);
    const to = parseTimeOfDay(rule.to);
    if (from >= to) problems.push(`${where}: from must be before to`);
    if ((to - from) % pool.slotMinutes !== 0 || from % pool.slotMinutes !== 0) {
      problems.push(`${where}: hours must be whole slots of ${pool.slotMinutes} minutes`);
    }
  }
  if (!Number.isInteger(rule.counters) || rule.counters < 1) problems.push(`${where}: counters must be at least 1`);
  const every = rule.everyWeeks ?? 1;
  if (!Number.isInteger(every) || every < 1) problems.push(`${where}: everyWeeks must be a positive integer`);
  if (every > 1 && (rule.anchorDate === undefined || !isIsoDate(rule.anchorDate))) {
    problems.push(`${where}: a rotation needs an anchorDate`);
  }
  for (const [name, value] of [
    ['validFrom', rule.validFrom],
    ['validUntil', rule.validUntil],
  ] as const) {
    if (value !== undefined && !isIsoDate(value)) problems.push(`${where}: ${name} must be YYYY-MM-DD`);
  }
  return problems;
}

function closureProblems(closure: Closure, where: string): string[] {
  if (!isIsoDate(closure.from) || !isIsoDate(closure.to)) return [`${where}: closure dates must be YYYY-MM-DD`];
  return closure.from > closure.to ? [`${where}: closure ${closure.from} ends before it starts`] : [];
}

/** Lookups over a catalogue. */
export class CatalogueIndex {
  readonly #locations: ReadonlyMap<string, Location>;
  readonly #services: ReadonlyMap<string, Service>;

  constructor(readonly catalogue: Catalogue) {
    this.#locations = new Map(catalogue.locations.map((l) => [l.id, l]));
    this.#services = new Map(catalogue.services.map((s) => [s.id, s]));
  }

  location(id: string): Location | undefined {
    return this.#locations.get(id);
  }

  service(id: string): Service | undefined {
    return this.#services.get(id);
  }

  /** Locations offering a service, in catalogue order. */
  locationsOffering(service: Service): Location[] {
    return service.locationIds.flatMap((id) => {
      const location = this.#locations.get(id);
      return location ? [location] : [];
    });
  }

  offers(location: Location, service: Service): boolean {
    return service.locationIds.includes(location.id) && poolFor(location, service) !== undefined;
  }

  authority(id: string): InvitingAuthority | undefined {
    return this.catalogue.authorities.find((a) => a.id === id);
  }
}

export function poolFor(location: Location, service: Service): CapacityPool | undefined {
  return location.pools.find((p) => p.groupId === service.groupId);
}
