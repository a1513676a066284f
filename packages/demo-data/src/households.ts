import { DEMO_CITIZENS, type DemoPerson, type DemoPopulation } from './population.js';

/**
 * A household of the seeded population as a load moves it: the whole household
 * moves, once per run (a person with a move pending cannot move again, so
 * reusing one would only measure refusals).
 */
export interface Household {
  readonly householdId: string;
  /** An adult of the household: the citizen who signs in and submits. */
  readonly applicant: DemoPerson;
  /** Everyone else of the household: they move along. */
  readonly members: readonly DemoPerson[];
  /** Plates of the vehicles the household may move along (see `HouseholdOptions.vehiclesOf`). */
  readonly plates: readonly string[];
}

export interface HouseholdOptions {
  /**
   * Whose vehicles count as the household's: those of all its adults (a
   * vehicle's holder must be among the movers, which every adult is), or only
   * the applicant's (the vehicles surely theirs to move). Default: `adults`.
   */
  readonly vehiclesOf?: 'adults' | 'applicant';
}

/**
 * Groups the seeded population into households, in the population's order;
 * the demo citizens' households stay out (the demo and the smoke test use them).
 */
export function householdsOf(population: DemoPopulation, options: HouseholdOptions = {}): Household[] {
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
    const holders = options.vehiclesOf === 'applicant' ? [applicant] : adults;
    households.push({
      householdId,
      applicant,
      members: persons.filter((p) => p.personId !== applicant.personId),
      plates: holders.flatMap((a) => platesByHolder.get(a.personId) ?? []),
    });
  }
  return households;
}
