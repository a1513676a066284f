import { seededRandom } from './random.js';
import { LEIPZIG, LEIPZIG_MUNICIPALITY_KEY, LEIPZIG_STREETS } from './streets.js';

/** An address in the city, in the shape of the contracts' common.v1.Address. */
export interface DemoAddress {
  street: string;
  houseNumber: string;
  houseNumberSuffix: string;
  addressAddition: string;
  postalCode: string;
  municipality: string;
  municipalityKey: string;
  streetKey: string;
  district: string;
  countryCode: string;
}

export interface DemoPerson {
  /** Stable id, e.g. "P0000001". */
  personId: string;
  familyName: string;
  givenNames: string;
  /** "YYYY-MM-DD". */
  dateOfBirth: string;
  nationalities: string[];
  /** "" for none, else a short code such as "ev" or "rk". */
  religiousAffiliation: string;
  householdId: string;
  /** Minors in this person's care (set for the adults of a household). */
  minorInCarePersonIds: string[];
  address: DemoAddress;
  /** Day the current main residence began, "YYYY-MM-DD". */
  residentSince: string;
}

export interface DemoVehicle {
  plate: string;
  vin: string;
  make: string;
  model: string;
  registrationCertificateNumber: string;
  holderPersonId: string;
  holderAddress: DemoAddress;
  registrationDistrict: string;
}

export interface DemoPopulation {
  persons: DemoPerson[];
  vehicles: DemoVehicle[];
}

const FAMILY_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Krause',
  'Meier',
  'Lehmann',
  'Yılmaz',
  'Nowak',
  'Kowalski',
  'Nguyen',
  'Popescu',
  'Haddad',
] as const;
const ADULT_GIVEN_NAMES = [
  'Anna',
  'Maria',
  'Katrin',
  'Sabine',
  'Julia',
  'Susanne',
  'Claudia',
  'Nicole',
  'Stefanie',
  'Sandra',
  'Thomas',
  'Michael',
  'Andreas',
  'Stefan',
  'Frank',
  'Jan',
  'Markus',
  'Christian',
  'Tobias',
  'Matthias',
  'Ayşe',
  'Mehmet',
  'Olga',
  'Piotr',
  'Linh',
  'Omar',
] as const;
const CHILD_GIVEN_NAMES = [
  'Emma',
  'Mia',
  'Hannah',
  'Sophia',
  'Lina',
  'Ella',
  'Clara',
  'Lea',
  'Noah',
  'Ben',
  'Paul',
  'Leon',
  'Finn',
  'Elias',
  'Felix',
  'Emil',
  'Anton',
  'Karl',
] as const;
const RELIGIONS = ['', '', '', '', 'ev', 'rk'] as const;
const MAKES = [
  ['Volkswagen', 'Golf'],
  ['Volkswagen', 'ID.3'],
  ['Škoda', 'Octavia'],
  ['Opel', 'Corsa'],
  ['BMW', '3er'],
  ['Mercedes-Benz', 'A-Klasse'],
  ['Renault', 'Zoe'],
  ['Toyota', 'Yaris'],
  ['Ford', 'Fiesta'],
  ['Dacia', 'Sandero'],
] as const;

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function personId(index: number): string {
  return `P${String(index + 1).padStart(7, '0')}`;
}

/** A random address from the city's street directory. */
export function demoAddress(next: () => number): DemoAddress {
  const street = pick(next, LEIPZIG_STREETS);
  const span = street.houseNumbers.to - street.houseNumbers.from + 1;
  return {
    street: street.name,
    houseNumber: String(street.houseNumbers.from + Math.floor(next() * span)),
    houseNumberSuffix: next() < 0.1 ? 'a' : '',
    addressAddition: '',
    postalCode: street.postalCode,
    municipality: LEIPZIG,
    municipalityKey: LEIPZIG_MUNICIPALITY_KEY,
    streetKey: street.streetKey,
    district: street.district,
    countryCode: 'DE',
  };
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const VIN_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

/** The j-th demo plate in the Leipzig district: "L-AB 1234"; unique for j < 23·23·9999. */
export function demoPlate(j: number): string {
  const number = (j % 9999) + 1;
  const pair = Math.floor(j / 9999);
  const first = PLATE_LETTERS[Math.floor(pair / PLATE_LETTERS.length) % PLATE_LETTERS.length];
  const second = PLATE_LETTERS[pair % PLATE_LETTERS.length];
  return `L-${first}${second} ${number}`;
}

/** The j-th demo vehicle identification number: 17 characters, no I, O or Q. */
export function demoVin(j: number): string {
  let n = j;
  let serial = '';
  for (let i = 0; i < 8; i++) {
    serial = VIN_ALPHABET[n % VIN_ALPHABET.length] + serial;
    n = Math.floor(n / VIN_ALPHABET.length);
  }
  return `WDB${'LPZ0A1'}${serial}`;
}

function cityAddress(streetKey: string, houseNumber: string): DemoAddress {
  const street = LEIPZIG_STREETS.find((s) => s.streetKey === streetKey);
  if (!street) throw new Error(`unknown street key ${streetKey}`);
  return {
    street: street.name,
    houseNumber,
    houseNumberSuffix: '',
    addressAddition: '',
    postalCode: street.postalCode,
    municipality: LEIPZIG,
    municipalityKey: LEIPZIG_MUNICIPALITY_KEY,
    streetKey: street.streetKey,
    district: street.district,
    countryCode: 'DE',
  };
}

const MUELLER_HOME = cityAddress('01001', '12');
const YILMAZ_HOME = cityAddress('03001', '40');

/**
 * The citizens of the demo and of the development sign-in, always the first
 * persons of every population: the Müller household (two adults and a
 * child, one car) and Mehmet Yılmaz, who lives alone and has no car.
 */
export const DEMO_CITIZENS: readonly DemoPerson[] = [
  {
    personId: 'P0000001',
    familyName: 'Müller',
    givenNames: 'Anna',
    dateOfBirth: '1988-04-17',
    nationalities: ['DE'],
    religiousAffiliation: 'ev',
    householdId: 'H0000001',
    minorInCarePersonIds: ['P0000003'],
    address: MUELLER_HOME,
    residentSince: '2019-08-01',
  },
  {
    personId: 'P0000002',
    familyName: 'Müller',
    givenNames: 'Jonas',
    dateOfBirth: '1986-11-02',
    nationalities: ['DE'],
    religiousAffiliation: '',
    householdId: 'H0000001',
    minorInCarePersonIds: ['P0000003'],
    address: MUELLER_HOME,
    residentSince: '2019-08-01',
  },
  {
    personId: 'P0000003',
    familyName: 'Müller',
    givenNames: 'Mia',
    dateOfBirth: '2016-06-23',
    nationalities: ['DE'],
    religiousAffiliation: '',
    householdId: 'H0000001',
    minorInCarePersonIds: [],
    address: MUELLER_HOME,
    residentSince: '2019-08-01',
  },
  {
    personId: 'P0000004',
    familyName: 'Yılmaz',
    givenNames: 'Mehmet',
    dateOfBirth: '1979-02-09',
    nationalities: ['DE', 'TR'],
    religiousAffiliation: '',
    householdId: 'H0000002',
    minorInCarePersonIds: [],
    address: YILMAZ_HOME,
    residentSince: '2012-03-15',
  },
];

/** The demo car: held by Anna Müller. */
export const DEMO_VEHICLES: readonly DemoVehicle[] = [
  {
    plate: 'L-AM 2026',
    vin: 'WVWZZZ1KZ8W012345',
    make: 'Volkswagen',
    model: 'Golf',
    registrationCertificateNumber: 'AB0992026',
    holderPersonId: 'P0000001',
    holderAddress: MUELLER_HOME,
    registrationDistrict: 'L',
  },
];

/**
 * A deterministic population: the demo citizens first, then households of one to four persons (one or two
 * adults, the others minors in their care) living at addresses from the
 * street directory, and vehicles held by adults.
 */
export function demoPopulation(options: { persons: number; vehicles: number; seed?: number }): DemoPopulation {
  const next = seededRandom(options.seed ?? 20261121);
  const persons: DemoPerson[] = DEMO_CITIZENS.slice(0, options.persons).map((p) => ({ ...p }));
  const adults: DemoPerson[] = [];
  let household = 2;
  while (persons.length < options.persons) {
    household += 1;
    const householdId = `H${String(household).padStart(7, '0')}`;
    const size = Math.min(1 + Math.floor(next() * 4), options.persons - persons.length);
    const adultCount = size === 1 ? 1 : 1 + Math.floor(next() * 2);
    const familyName = pick(next, FAMILY_NAMES);
    const address = demoAddress(next);
    const residentSince = isoDate(
      2005 + Math.floor(next() * 20),
      1 + Math.floor(next() * 12),
      1 + Math.floor(next() * 28),
    );
    const members: DemoPerson[] = [];
    for (let m = 0; m < size; m++) {
      const adult = m < adultCount;
      const year = adult ? 1950 + Math.floor(next() * 55) : 2009 + Math.floor(next() * 16);
      members.push({
        personId: personId(persons.length + m),
        familyName,
        givenNames: pick(next, adult ? ADULT_GIVEN_NAMES : CHILD_GIVEN_NAMES),
        dateOfBirth: isoDate(year, 1 + Math.floor(next() * 12), 1 + Math.floor(next() * 28)),
        nationalities: next() < 0.85 ? ['DE'] : [pick(next, ['PL', 'TR', 'VN', 'RO', 'SY', 'UA'])],
        religiousAffiliation: pick(next, RELIGIONS),
        householdId,
        minorInCarePersonIds: [],
        address,
        residentSince,
      });
    }
    const minors = members.slice(adultCount).map((p) => p.personId);
    for (const adult of members.slice(0, adultCount)) {
      adult.minorInCarePersonIds = minors;
      adults.push(adult);
    }
    persons.push(...members);
  }

  const vehicles: DemoVehicle[] = DEMO_VEHICLES.slice(0, options.vehicles).map((v) => ({ ...v }));
  for (let j = 0; vehicles.length < options.vehicles && adults.length > 0; j++) {
    const holder = adults[j % adults.length] as DemoPerson;
    const [make, model] = pick(next, MAKES);
    vehicles.push({
      plate: demoPlate(j),
      vin: demoVin(j),
      make,
      model,
      registrationCertificateNumber: `AB${String(1_000_000 + j).padStart(7, '0')}`,
      holderPersonId: holder.personId,
      holderAddress: holder.address,
      registrationDistrict: 'L',
    });
  }
  return { persons, vehicles };
}
