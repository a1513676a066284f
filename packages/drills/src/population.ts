import {
  type BundleRequestBody,
  type DemoPopulation,
  type Household,
  householdsOf,
  moveBundleBody,
  randomNewAddress,
} from '@buergerservice/demo-data';

/**
 * The bundles of the drills: whole households of the seeded population move
 * within the city, each household once per run. Only the applicant's vehicles
 * move along (the vehicles surely theirs to move), so the checker can expect
 * every one of them updated.
 */
export function drillHouseholds(population: DemoPopulation): Household[] {
  return householdsOf(population, { vehiclesOf: 'applicant' });
}

export interface BundleSpec {
  readonly householdId: string;
  readonly applicantId: string;
  readonly personIds: readonly string[];
  readonly plates: readonly string[];
  readonly appointmentWanted: boolean;
  /** The JSON body of POST /api/bundles. */
  readonly body: BundleRequestBody;
}

/**
 * The household moves to a random address of the street directory with up to
 * two of its vehicles, documents, and half of the time an appointment. The
 * same seeded `random` replays a drill bundle for bundle.
 */
export function bundleFor(household: Household, random: () => number, moveInDate: string, serial: number): BundleSpec {
  const newAddress = randomNewAddress(household.applicant.address, random);
  const plates = household.plates.slice(0, 2);
  const appointmentWanted = random() < 0.5;
  return {
    householdId: household.householdId,
    applicantId: household.applicant.personId,
    personIds: [household.applicant.personId, ...household.members.map((m) => m.personId)],
    plates,
    appointmentWanted,
    body: moveBundleBody(household, { moveInDate, serial, newAddress, vehiclePlates: plates, appointmentWanted }),
  };
}
