import type {
  CapacityPool,
  Catalogue,
  Closure,
  Location,
  OpeningRule,
  PostalAddress,
  Service,
} from './domain/catalogue.js';

/**
 * The model city's appointment catalogue: Leipzig's citizen offices
 * (Bürgerbüros), the stops of the mobile Bürgerkoffer, the Jobcenter, the
 * migration information centre and the registry office. ILLUSTRATIVE: names
 * follow the real institutions, but addresses, opening hours, counters,
 * coordinates and the Bürgerkoffer's rotation are plausible demo values, not
 * the city's published data.
 */

export const MOVE_SERVICE_ID = 'personalausweis-adressaenderung';

/** Groups of counters: the citizen-office portfolio (also carried by the Bürgerkoffer) and the specialist desks. */
export const GROUPS = {
  citizenOffice: 'buergerbuero',
  jobcenter: 'jobcenter',
  migration: 'zuwanderung',
  registry: 'standesamt',
} as const;

function leipzig(street: string, houseNumber: string, postalCode: string, district: string): PostalAddress {
  return {
    street,
    houseNumber,
    houseNumberSuffix: '',
    postalCode,
    municipality: 'Leipzig',
    municipalityKey: '14713000',
    district,
  };
}

function pool(groupId: string, rules: OpeningRule[]): CapacityPool {
  return { groupId, slotMinutes: 15, rules };
}

/** Typical citizen-office hours: mornings Mon/Wed/Fri, long days Tue/Thu with a lunch break. */
function officeHours(counters: number): OpeningRule[] {
  return [
    { weekdays: [1, 3, 5], from: '08:00', to: '12:00', counters },
    { weekdays: [2, 4], from: '09:00', to: '12:00', counters },
    { weekdays: [2, 4], from: '13:00', to: '18:00', counters },
  ];
}

type Place = readonly [
  street: string,
  houseNumber: string,
  postalCode: string,
  district: string,
  lat: number,
  lon: number,
];

/** Where each location is: its address in Leipzig and its position. */
const PLACES: Readonly<Record<string, Place>> = {
  'bb-zentrum': ['Otto-Schill-Straße', '2', '04109', 'Zentrum', 51.3386, 12.3696],
  'bb-gruenau': ['Stuttgarter Allee', '18', '04209', 'Grünau-Mitte', 51.3196, 12.2905],
  'bb-gohlis': ['Georg-Schumann-Straße', '105', '04155', 'Gohlis-Süd', 51.3601, 12.3648],
  'bb-suedvorstadt': ['Karl-Liebknecht-Straße', '93', '04275', 'Südvorstadt', 51.3219, 12.3745],
  'bb-paunsdorf': ['Paunsdorfer Allee', '1', '04329', 'Paunsdorf', 51.3455, 12.4535],
  'bb-leutzsch': ['Georg-Schwarz-Straße', '140', '04177', 'Leutzsch', 51.3447, 12.3139],
  'koffer-plagwitz': ['Zschochersche Straße', '14', '04229', 'Plagwitz', 51.3297, 12.3375],
  'koffer-reudnitz': ['Dresdner Straße', '84', '04317', 'Reudnitz-Thonberg', 51.3344, 12.4036],
  'koffer-holzhausen': ['Stötteritzer Landstraße', '2', '04288', 'Holzhausen', 51.3157, 12.4581],
  'koffer-marienbrunn': ['Arnoldplatz', '5', '04277', 'Marienbrunn', 51.3117, 12.3962],
  'jobcenter-leipzig': ['Georg-Schumann-Straße', '150', '04159', 'Möckern', 51.3646, 12.3492],
  'fiz-zuwanderung': ['Prager Straße', '21', '04103', 'Zentrum-Südost', 51.3334, 12.3903],
  'standesamt-leipzig': ['Martin-Luther-Ring', '4', '04109', 'Zentrum', 51.3368, 12.3716],
};

/** Closures of single locations (the city-wide ones are `cityClosures`). */
const CLOSURES: Readonly<Record<string, readonly Closure[]>> = {
  'bb-gohlis': [{ from: '2027-02-01', to: '2027-02-12', reason: 'Umbau der Schalterhalle' }],
  'koffer-reudnitz': [{ from: '2027-02-10', to: '2027-02-10', reason: 'Inventur der Bibliothek' }],
};

function location(id: string, name: string, kind: Location['kind'], pools: CapacityPool[]): Location {
  const place = PLACES[id];
  if (!place) throw new Error(`no place for location ${id}`);
  const [street, houseNumber, postalCode, district, lat, lon] = place;
  return {
    id,
    name,
    kind,
    address: leipzig(street, houseNumber, postalCode, district),
    position: { lat, lon },
    pools,
    closures: [...(CLOSURES[id] ?? [])],
  };
}

/** The citizen offices and their counters; all keep the typical office hours. */
const CITIZEN_OFFICES: readonly (readonly [id: string, name: string, counters: number])[] = [
  ['bb-zentrum', 'Bürgerbüro Otto-Schill-Straße (Zentrum)', 6],
  ['bb-gruenau', 'Bürgerbüro Leipzig-Grünau', 3],
  ['bb-gohlis', 'Bürgerbüro Gohlis', 3],
  ['bb-suedvorstadt', 'Bürgerbüro Südvorstadt', 2],
  ['bb-paunsdorf', 'Bürgerbüro Paunsdorf', 2],
  ['bb-leutzsch', 'Bürgerbüro Leutzsch', 2],
];

/**
 * The Bürgerkoffer (laptop, scanner, printer, card reader, signature pad in
 * one case) visits one branch library per Wednesday, 10–18 during the
 * libraries' opening hours: Plagwitz and Reudnitz alternate; from
 * 6 January 2027 Holzhausen and the savings-bank branch in Marienbrunn join
 * and the four rotate. One case, so one counter.
 */
const KOFFER_HOURS = { weekdays: [3], from: '10:00', to: '18:00', counters: 1 } as const;
export const KOFFER_FOUR_STOPS_FROM = '2027-01-06';
/** The last day of the two-stop rotation. */
const KOFFER_TWO_STOPS_UNTIL = '2027-01-05';

function kofferRule(anchorDate: string, everyWeeks: number, validFrom?: string, validUntil?: string): OpeningRule {
  return {
    ...KOFFER_HOURS,
    weekdays: [3],
    everyWeeks,
    anchorDate,
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
}

/** The stops and the first Wednesday of each rotation they take part in (none: not in the two-stop one). */
const KOFFER_STOPS: readonly (readonly [id: string, name: string, twoStops: string | undefined, fourStops: string])[] =
  [
    ['koffer-plagwitz', 'Bürgerkoffer in der Stadtteilbibliothek Plagwitz', '2026-01-07', KOFFER_FOUR_STOPS_FROM],
    ['koffer-reudnitz', 'Bürgerkoffer in der Stadtteilbibliothek Reudnitz', '2026-01-14', '2027-01-13'],
    ['koffer-holzhausen', 'Bürgerkoffer in der Stadtteilbibliothek Holzhausen', undefined, '2027-01-20'],
    ['koffer-marienbrunn', 'Bürgerkoffer in der Sparkassen-Filiale Marienbrunn', undefined, '2027-01-27'],
  ];

function kofferRules(twoStops: string | undefined, fourStops: string): OpeningRule[] {
  return [
    ...(twoStops ? [kofferRule(twoStops, 2, undefined, KOFFER_TWO_STOPS_UNTIL)] : []),
    kofferRule(fourStops, 4, KOFFER_FOUR_STOPS_FROM),
  ];
}

export const LOCATIONS: readonly Location[] = [
  ...CITIZEN_OFFICES.map(([id, name, counters]) =>
    location(id, name, 'citizen-office', [pool(GROUPS.citizenOffice, officeHours(counters))]),
  ),
  ...KOFFER_STOPS.map(([id, name, twoStops, fourStops]) =>
    location(id, name, 'mobile-stop', [pool(GROUPS.citizenOffice, kofferRules(twoStops, fourStops))]),
  ),
  location('jobcenter-leipzig', 'Jobcenter Leipzig', 'specialist-office', [
    pool(GROUPS.jobcenter, [
      { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '12:00', counters: 8 },
      { weekdays: [2, 4], from: '13:00', to: '18:00', counters: 6 },
    ]),
  ]),
  location('fiz-zuwanderung', 'Fachinformationszentrum Zuwanderung', 'specialist-office', [
    pool(GROUPS.migration, [
      { weekdays: [1, 2, 4], from: '09:00', to: '12:00', counters: 3 },
      { weekdays: [2, 4], from: '13:00', to: '17:00', counters: 3 },
    ]),
  ]),
  // The registry office keeps the citizen offices' hours, with four counters.
  location('standesamt-leipzig', 'Standesamt Leipzig', 'specialist-office', [pool(GROUPS.registry, officeHours(4))]),
];

const CITIZEN_OFFICE_LOCATIONS = LOCATIONS.filter((l) => l.kind === 'citizen-office' || l.kind === 'mobile-stop').map(
  (l) => l.id,
);

/** A maker of the services one group of counters offers at the same locations alike. */
function servicesOf(options: {
  groupId: string;
  locationIds: string[];
  /** The authority whose invitation is required; unset = anyone may book. */
  invitedBy?: string;
  interpreterAvailable?: boolean;
}): (id: string, name: string, durationMinutes: number) => Service {
  return (id, name, durationMinutes) => ({
    id,
    name,
    durationMinutes,
    groupId: options.groupId,
    locationIds: [...options.locationIds],
    invitationOnly: options.invitedBy !== undefined,
    interpreterAvailable: options.interpreterAvailable ?? false,
    invitingAuthorities: options.invitedBy === undefined ? [] : [options.invitedBy],
  });
}

const citizenService = servicesOf({ groupId: GROUPS.citizenOffice, locationIds: CITIZEN_OFFICE_LOCATIONS });
const jobcenterService = servicesOf({
  groupId: GROUPS.jobcenter,
  locationIds: ['jobcenter-leipzig'],
  invitedBy: 'jobcenter-leipzig',
});
const migrationService = servicesOf({ groupId: GROUPS.migration, locationIds: ['fiz-zuwanderung'] });
const registryService = servicesOf({
  groupId: GROUPS.registry,
  locationIds: ['standesamt-leipzig'],
  interpreterAvailable: true,
});

export const SERVICES: readonly Service[] = [
  citizenService(MOVE_SERVICE_ID, 'Personalausweis: Adressänderung', 15),
  citizenService('personalausweis-beantragen', 'Personalausweis beantragen', 30),
  citizenService('reisepass-beantragen', 'Reisepass beantragen', 30),
  citizenService('wohnsitz-anmelden', 'Wohnsitz anmelden oder ummelden', 15),
  citizenService('meldebescheinigung', 'Meldebescheinigung', 15),
  citizenService('fuehrungszeugnis', 'Führungszeugnis beantragen', 15),
  jobcenterService('jobcenter-erstgespraech', 'Jobcenter: Erstgespräch (nur mit Einladung)', 45),
  jobcenterService('jobcenter-beratung', 'Jobcenter: Beratungsgespräch (nur mit Einladung)', 30),
  migrationService('fiz-beratung', 'Beratung zu Aufenthalt und Integration', 30),
  registryService('standesamt-eheschliessung-anmelden', 'Eheschließung anmelden', 60),
  registryService('standesamt-geburt-beurkunden', 'Geburt beurkunden', 30),
  registryService('standesamt-sterbefall-beurkunden', 'Sterbefall beurkunden', 30),
];

/** The city's offices close on Christmas Eve and New Year's Eve (not public holidays in Saxony). */
export function cityClosures(fromYear: number, years: number): Catalogue['cityClosures'] {
  return Array.from({ length: years }, (_, i) => fromYear + i).flatMap((year) => [
    { from: `${year}-12-24`, to: `${year}-12-24`, reason: 'Heiligabend' },
    { from: `${year}-12-31`, to: `${year}-12-31`, reason: 'Silvester' },
  ]);
}

export function leipzigCatalogue(): Catalogue {
  return {
    locations: structuredClone([...LOCATIONS]),
    services: structuredClone([...SERVICES]),
    cityClosures: cityClosures(2026, 5),
    authorities: [{ id: 'jobcenter-leipzig', name: 'Jobcenter Leipzig', clientIds: ['jobcenter'] }],
  };
}
