import {
  DEMO_CITIZENS,
  type DemoPerson,
  type DemoPopulation,
  LEIPZIG,
  LEIPZIG_STREETS,
} from '@buergerservice/demo-data';

/**
 * The bundles of the drills: whole households of the seeded population
 * move within the city, each household once per run (a person with a
 * pending move cannot move again, so reusing one would only measure
 * refusals). The demo citizens' households stay out of the load.
 */

export interface Household {
  readonly householdId: string;
  readonly applicant: DemoPerson;
  readonly members: readonly DemoPerson[];
  /** Plates of vehicles held by the applicant (only the applicant's vehicles are surely theirs to move). */
  readonly plates: readonly string[];
}

export function householdsOf(population: DemoPopulation): Household[] {
  const byHousehold = new Map<string, DemoPerson[]>();
  for (const person of population.persons) {
    byHousehold.set(person.householdId, [...(byHousehold.get(person.householdId) ?? []), person]);
  }
  const platesByHolder = new Map<string, string[]>();
  for (const v of population.vehicles) {
    platesByHolder.set(v.holderPersonId, [...(platesByHolder.get(v.holderPersonId) ?? []), v.plate]);
  }
  const demo = new Set(DEMO_CITIZENS.map((c) => c.householdId));
  const households: Household[] = [];
  for (const [householdId, persons] of byHousehold) {
    if (demo.has(householdId)) continue;
    const minors = new Set(persons.flatMap((p) => p.minorInCarePersonIds));
    const applicant = persons.find((p) => !minors.has(p.personId));
    if (!applicant) continue;
    households.push({
      householdId,
      applicant,
      members: persons.filter((p) => p.personId !== applicant.personId),
      plates: platesByHolder.get(applicant.personId) ?? [],
    });
  }
  return households;
}

/** A small deterministic generator (mulberry32), so a drill can be replayed bundle for bundle. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BundleSpec {
  readonly householdId: string;
  readonly applicantId: string;
  readonly personIds: readonly string[];
  readonly plates: readonly string[];
  readonly appointmentWanted: boolean;
  /** The JSON body of POST /api/bundles. */
  readonly body: Record<string, unknown>;
}

/** The household moves to a random address of the street directory, with its vehicles, documents, and half of the time an appointment. */
export function bundleFor(household: Household, random: () => number, moveInDate: string, serial: number): BundleSpec {
  const current = household.applicant.address;
  let newAddress: Record<string, string> | undefined;
  for (let attempt = 0; attempt < 20 && !newAddress; attempt++) {
    const street = LEIPZIG_STREETS[Math.floor(random() * LEIPZIG_STREETS.length)];
    if (!street) continue;
    const houseNumber = String(
      street.houseNumbers.from + Math.floor(random() * (street.houseNumbers.to - street.houseNumbers.from + 1)),
    );
    if (street.name === current.street && houseNumber === current.houseNumber) continue;
    newAddress = { street: street.name, houseNumber, postalCode: street.postalCode, municipality: LEIPZIG };
  }
  if (!newAddress) throw new Error('no new address found in the street directory');
  const plates = household.plates.slice(0, 2);
  const appointmentWanted = random() < 0.5;
  return {
    householdId: household.householdId,
    applicantId: household.applicant.personId,
    personIds: [household.applicant.personId, ...household.members.map((m) => m.personId)],
    plates,
    appointmentWanted,
    body: {
      move: {
        kind: 'within-city',
        moveInDate,
        residenceType: 'main',
        newAddress,
        landlordConfirmationReference: `WGB-${String(serial).padStart(6, '0')}`,
      },
      householdMemberIds: household.members.map((m) => m.personId),
      vehiclePlates: plates,
      documents:
        plates.length > 0
          ? ['registration-confirmation', 'vehicle-registration-record']
          : ['registration-confirmation'],
      appointment: { wanted: appointmentWanted, autoBook: true },
    },
  };
}

/** Today's calendar date in Europe/Berlin ("YYYY-MM-DD"), the register's time zone. */
export function berlinDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
