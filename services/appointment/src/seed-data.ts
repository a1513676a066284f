import type { Catalogue, CapacityPool, Location, OpeningRule, PostalAddress, Service } from './domain/catalogue.js';

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

function citizenOffice(
  id: string,
  name: string,
  address: PostalAddress,
  position: { lat: number; lon: number },
  counters: number,
  closures: Location['closures'] = [],
): Location {
  return {
    id,
    name,
    kind: 'citizen-office',
    address,
    position,
    pools: [pool(GROUPS.citizenOffice, officeHours(counters))],
    closures,
  };
}

/**
 * The Bürgerkoffer (laptop, scanner, printer, card reader, signature pad in
 * one case) visits one branch library per Wednesday, 10–18 during the
 * libraries' opening hours: Plagwitz and Reudnitz alternate; from
 * 6 January 2027 Holzhausen and the savings-bank branch in Marienbrunn join
 * and the four rotate. One case, so one counter.
 */
const KOFFER_HOURS = { weekdays: [3], from: '10:00', to: '18:00', counters: 1 } as const;
export const KOFFER_FOUR_STOPS_FROM = '2027-01-06';

function kofferStop(
  id: string,
  name: string,
  address: PostalAddress,
  position: { lat: number; lon: number },
  rules: OpeningRule[],
  closures: Location['closures'] = [],
): Location {
  return { id, name, kind: 'mobile-stop', address, position, pools: [pool(GROUPS.citizenOffice, rules)], closures };
}

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

export const LOCATIONS: readonly Location[] = [
  citizenOffice(
    'bb-zentrum',
    'Bürgerbüro Otto-Schill-Straße (Zentrum)',
    leipzig('Otto-Schill-Straße', '2', '04109', 'Zentrum'),
    { lat: 51.3386, lon: 12.3696 },
    6,
  ),
  citizenOffice(
    'bb-gruenau',
    'Bürgerbüro Leipzig-Grünau',
    leipzig('Stuttgarter Allee', '18', '04209', 'Grünau-Mitte'),
    { lat: 51.3196, lon: 12.2905 },
    3,
  ),
  citizenOffice(
    'bb-gohlis',
    'Bürgerbüro Gohlis',
    leipzig('Georg-Schumann-Straße', '105', '04155', 'Gohlis-Süd'),
    { lat: 51.3601, lon: 12.3648 },
    3,
    [{ from: '2027-02-01', to: '2027-02-12', reason: 'Umbau der Schalterhalle' }],
  ),
  citizenOffice(
    'bb-suedvorstadt',
    'Bürgerbüro Südvorstadt',
    leipzig('Karl-Liebknecht-Straße', '93', '04275', 'Südvorstadt'),
    { lat: 51.3219, lon: 12.3745 },
    2,
  ),
  citizenOffice(
    'bb-paunsdorf',
    'Bürgerbüro Paunsdorf',
    leipzig('Paunsdorfer Allee', '1', '04329', 'Paunsdorf'),
    { lat: 51.3455, lon: 12.4535 },
    2,
  ),
  citizenOffice(
    'bb-leutzsch',
    'Bürgerbüro Leutzsch',
    leipzig('Georg-Schwarz-Straße', '140', '04177', 'Leutzsch'),
    { lat: 51.3447, lon: 12.3139 },
    2,
  ),
  kofferStop(
    'koffer-plagwitz',
    'Bürgerkoffer in der Stadtteilbibliothek Plagwitz',
    leipzig('Zschochersche Straße', '14', '04229', 'Plagwitz'),
    { lat: 51.3297, lon: 12.3375 },
    [
      kofferRule('2026-01-07', 2, undefined, '2027-01-05'),
      kofferRule(KOFFER_FOUR_STOPS_FROM, 4, KOFFER_FOUR_STOPS_FROM),
    ],
  ),
  kofferStop(
    'koffer-reudnitz',
    'Bürgerkoffer in der Stadtteilbibliothek Reudnitz',
    leipzig('Dresdner Straße', '84', '04317', 'Reudnitz-Thonberg'),
    { lat: 51.3344, lon: 12.4036 },
    [kofferRule('2026-01-14', 2, undefined, '2027-01-05'), kofferRule('2027-01-13', 4, KOFFER_FOUR_STOPS_FROM)],
    [{ from: '2027-02-10', to: '2027-02-10', reason: 'Inventur der Bibliothek' }],
  ),
  kofferStop(
    'koffer-holzhausen',
    'Bürgerkoffer in der Stadtteilbibliothek Holzhausen',
    leipzig('Stötteritzer Landstraße', '2', '04288', 'Holzhausen'),
    { lat: 51.3157, lon: 12.4581 },
    [kofferRule('2027-01-20', 4, KOFFER_FOUR_STOPS_FROM)],
  ),
  kofferStop(
    'koffer-marienbrunn',
    'Bürgerkoffer in der Sparkassen-Filiale Marienbrunn',
    leipzig('Arnoldplatz', '5', '04277', 'Marienbrunn'),
    { lat: 51.3117, lon: 12.3962 },
    [kofferRule('2027-01-27', 4, KOFFER_FOUR_STOPS_FROM)],
  ),
  {
    id: 'jobcenter-leipzig',
    name: 'Jobcenter Leipzig',
    kind: 'specialist-office',
    address: leipzig('Georg-Schumann-Straße', '150', '04159', 'Möckern'),
    position: { lat: 51.3646, lon: 12.3492 },
    pools: [
      pool(GROUPS.jobcenter, [
        { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '12:00', counters: 8 },
        { weekdays: [2, 4], from: '13:00', to: '18:00', counters: 6 },
      ]),
    ],
    closures: [],
  },
  {
    id: 'fiz-zuwanderung',
    name: 'Fachinformationszentrum Zuwanderung',
    kind: 'specialist-office',
    address: leipzig('Prager Straße', '21', '04103', 'Zentrum-Südost'),
    position: { lat: 51.3334, lon: 12.3903 },
    pools: [
      pool(GROUPS.migration, [
        { weekdays: [1, 2, 4], from: '09:00', to: '12:00', counters: 3 },
        { weekdays: [2, 4], from: '13:00', to: '17:00', counters: 3 },
      ]),
    ],
    closures: [],
  },
  {
    id: 'standesamt-leipzig',
    name: 'Standesamt Leipzig',
    kind: 'specialist-office',
    address: leipzig('Martin-Luther-Ring', '4', '04109', 'Zentrum'),
    position: { lat: 51.3368, lon: 12.3716 },
    pools: [
      pool(GROUPS.registry, [
        { weekdays: [1, 3, 5], from: '08:00', to: '12:00', counters: 4 },
        { weekdays: [2, 4], from: '09:00', to: '12:00', counters: 4 },
        { weekdays: [2, 4], from: '13:00', to: '18:00', counters: 4 },
      ]),
    ],
    closures: [],
  },
];

const CITIZEN_OFFICE_LOCATIONS = LOCATIONS.filter((l) => l.kind === 'citizen-office' || l.kind === 'mobile-stop').map(
  (l) => l.id,
);

function citizenService(id: string, name: string, durationMinutes: number): Service {
  return {
    id,
    name,
    durationMinutes,
    groupId: GROUPS.citizenOffice,
    locationIds: CITIZEN_OFFICE_LOCATIONS,
    invitationOnly: false,
    interpreterAvailable: false,
    invitingAuthorities: [],
  };
}

export const SERVICES: readonly Service[] = [
  citizenService(MOVE_SERVICE_ID, 'Personalausweis: Adressänderung', 15),
  citizenService('personalausweis-beantragen', 'Personalausweis beantragen', 30),
  citizenService('reisepass-beantragen', 'Reisepass beantragen', 30),
  citizenService('wohnsitz-anmelden', 'Wohnsitz anmelden oder ummelden', 15),
  citizenService('meldebescheinigung', 'Meldebescheinigung', 15),
  citizenService('fuehrungszeugnis', 'Führungszeugnis beantragen', 15),
  {
    id: 'jobcenter-erstgespraech',
    name: 'Jobcenter: Erstgespräch (nur mit Einladung)',
    durationMinutes: 45,
    groupId: GROUPS.jobcenter,
    locationIds: ['jobcenter-leipzig'],
    invitationOnly: true,
    interpreterAvailable: false,
    invitingAuthorities: ['jobcenter-leipzig'],
  },
  {
    id: 'jobcenter-beratung',
    name: 'Jobcenter: Beratungsgespräch (nur mit Einladung)',
    durationMinutes: 30,
    groupId: GROUPS.jobcenter,
    locationIds: ['jobcenter-leipzig'],
    invitationOnly: true,
    interpreterAvailable: false,
    invitingAuthorities: ['jobcenter-leipzig'],
  },
  {
    id: 'fiz-beratung',
    name: 'Beratung zu Aufenthalt und Integration',
    durationMinutes: 30,
    groupId: GROUPS.migration,
    locationIds: ['fiz-zuwanderung'],
    invitationOnly: false,
    interpreterAvailable: false,
    invitingAuthorities: [],
  },
  {
    id: 'standesamt-eheschliessung-anmelden',
    name: 'Eheschließung anmelden',
    durationMinutes: 60,
    groupId: GROUPS.registry,
    locationIds: ['standesamt-leipzig'],
    invitationOnly: false,
    interpreterAvailable: true,
    invitingAuthorities: [],
  },
  {
    id: 'standesamt-geburt-beurkunden',
    name: 'Geburt beurkunden',
    durationMinutes: 30,
    groupId: GROUPS.registry,
    locationIds: ['standesamt-leipzig'],
    invitationOnly: false,
    interpreterAvailable: true,
    invitingAuthorities: [],
  },
  {
    id: 'standesamt-sterbefall-beurkunden',
    name: 'Sterbefall beurkunden',
    durationMinutes: 30,
    groupId: GROUPS.registry,
    locationIds: ['standesamt-leipzig'],
    invitationOnly: false,
    interpreterAvailable: true,
    invitingAuthorities: [],
  },
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
