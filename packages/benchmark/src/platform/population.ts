import { type BundleRequestBody, type Household, moveBundleBody, randomNewAddress } from '@buergerservice/demo-data';

/**
 * The bundle mix of the load: whole households of the seeded population
 * (`householdsOf` of @buergerservice/demo-data, with the vehicles of all their
 * adults) move within the city, each household once per run (a person with a
 * move pending cannot move again, so reusing one would measure refusals).
 */

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
  const newAddress = randomNewAddress(household.applicant.address, random);
  const wantedVehicles = Math.floor(random() * 3);
  const vehiclePlates = household.plates.slice(0, Math.min(wantedVehicles, household.plates.length));
  const appointmentWanted = random() < 0.5;
  return {
    householdId: household.householdId,
    personId: household.applicant.personId,
    body: moveBundleBody(household, { moveInDate, serial, newAddress, vehiclePlates, appointmentWanted }),
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
