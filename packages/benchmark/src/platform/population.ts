import {
  DEMO_CITIZENS,
  type DemoPerson,
  type DemoPopulation,
  LEIPZIG,
  LEIPZIG_STREETS,
} from '@buergerservice/demo-data';

/**
 * The bundle mix of the load: whole households of the seeded population
 * move within the city, each household once per run (a person with a move
 * pending cannot move again, so reusing one would measure refusals).
 */

export interface Household {
  readonly householdId: string;
  /** An adult of the household: the citizen who signs in and submits. */
  readonly applicant: DemoPerson;
  /** Everyone else of the household: they move along. */
  readonly members: readonly DemoPerson[];
  /** Plates of vehicles held by the household's adults (a vehicle's holder must be among the movers). */
  readonly plates: readonly string[];
}

/** Groups the seeded population into households; the demo citizens' households stay out of the load. */
export function householdsOf(population: DemoPopulation): Household[] {
  const byHousehold = new Map<string, DemoPerson[]>();
  for (const person of population.persons) {
    const list = byHousehold.get(person.householdId);
    if (list) list.push(person);
    else byHousehold.set(person.householdId, [person]);
  }
  const platesByHolder = new Map<string, string[]>();
  for (const vehicle of population.vehicles) {
    const list = platesByHolder.get(vehicle.holderPersonId);
    if (list) list.push(vehicle.plate);
    else platesByHolder.set(vehicle.holderPersonId, [vehicle.plate]);
  }
  const demoHouseholds = new Set(DEMO_CITIZENS.map((c) => c.householdId));
  const households: Household[] = [];
  for (const [householdId, persons] of byHousehold) {
    if (demoHouseholds.has(householdId)) continue;
    const minors = new Set(persons.flatMap((p) => p.minorInCarePersonIds));
    const adults = persons.filter((p) => !minors.has(p.personId));
    const applicant = adults[0];
    if (!applicant) continue;
    households.push({
      householdId,
      applicant,
      members: persons.filter((p) => p.personId !== applicant.personId),
      plates: adults.flatMap((a) => platesByHolder.get(a.personId) ?? []),
    });
  }
  return households;
}

/** The request body of POST /api/bundles (the gateway's BundleRequest schema). */
export interface BundleRequestBody {
  move: {
    kind: 'within-city';
    moveInDate: string;
    residenceType: 'main';
    newAddress: { street: string; houseNumber: string; postalCode: string; municipality: string };
    landlordConfirmationReference: string;
  };
  householdMemberIds: string[];
  vehiclePlates: string[];
  documents: ('registration-confirmation' | 'vehicle-registration-record')[];
  appointment: { wanted: boolean; autoBook: boolean };
}

export interface BundleSpec {
  readonly householdId: string;
  readonly personId: string;
  readonly body: BundleRequestBody;
}

/**
 * One bundle of the mix for a household: the whole household moves to a
 * random address of the street directory (never its current one); 0, 1 or 2
 * of its vehicles (as many as it holds), equally likely; documents always
 * (the registration confirmation, and the vehicle record when vehicles
 * move); the ID-card sticker appointment half of the time, booked
 * automatically.
 */
export function bundleFor(household: Household, random: () => number, moveInDate: string, serial: number): BundleSpec {
  const current = household.applicant.address;
  let newAddress: BundleRequestBody['move']['newAddress'] | undefined;
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
  const wantedVehicles = Math.floor(random() * 3);
  const vehiclePlates = household.plates.slice(0, Math.min(wantedVehicles, household.plates.length));
  const appointment = random() < 0.5;
  return {
    householdId: household.householdId,
    personId: household.applicant.personId,
    body: {
      move: {
        kind: 'within-city',
        moveInDate,
        residenceType: 'main',
        newAddress,
        landlordConfirmationReference: `WGB-${String(serial).padStart(6, '0')}`,
      },
      householdMemberIds: household.members.map((m) => m.personId),
      vehiclePlates,
      documents:
        vehiclePlates.length > 0
          ? ['registration-confirmation', 'vehicle-registration-record']
          : ['registration-confirmation'],
      appointment: { wanted: appointment, autoBook: true },
    },
  };
}

/** The households not yet used in this run, in a seeded random order. */
export class HouseholdPool {
  private next = 0;
  private readonly order: Household[];

  constructor(households: readonly Household[], random: () => number) {
    this.order = [...households];
    // Fisher–Yates with the seeded generator: the same households in the same order every run.
    for (let i = this.order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j] as Household, this.order[i] as Household];
    }
  }

  take(): Household | undefined {
    const household = this.order[this.next];
    if (household) this.next += 1;
    return household;
  }

  get remaining(): number {
    return this.order.length - this.next;
  }

  get size(): number {
    return this.order.length;
  }
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
