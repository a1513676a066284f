import { householdsOf } from './households.js';
import { demoPopulation } from './population.js';

const population = demoPopulation({ persons: 2_000, vehicles: 1_200 });
const households = householdsOf(population);
const holders = new Map(population.vehicles.map((v) => [v.plate, v.holderPersonId]));

describe('householdsOf', () => {
  it('covers every person except the demo citizens, each once, with an adult applicant', () => {
    const persons = households.flatMap((h) => [h.applicant, ...h.members]).map((p) => p.personId);
    expect(new Set(persons).size).toBe(persons.length);
    expect(persons).toHaveLength(2_000 - 4);
    expect(persons).not.toContain('P0000001');
    for (const h of households) {
      const minors = new Set([h.applicant, ...h.members].flatMap((p) => p.minorInCarePersonIds));
      expect(minors.has(h.applicant.personId)).toBe(false);
      for (const m of h.members) expect(m.householdId).toBe(h.householdId);
    }
  });

  it('has households of one to four, and gives each the plates its adults hold', () => {
    const sizes = new Set(households.map((h) => 1 + h.members.length));
    expect([...sizes].sort()).toEqual([1, 2, 3, 4]);
    for (const h of households) {
      const ids = new Set([h.applicant, ...h.members].map((p) => p.personId));
      for (const plate of h.plates) expect(ids.has(holders.get(plate) ?? '')).toBe(true);
    }
    const inHouseholds = households.flatMap((h) => h.plates);
    expect(new Set(inHouseholds).size).toBe(inHouseholds.length);
  });

  it("gives only the applicant's plates when asked, the same households otherwise", () => {
    const own = householdsOf(population, { vehiclesOf: 'applicant' });
    expect(own.map((h) => [h.householdId, h.applicant.personId, h.members.length])).toEqual(
      households.map((h) => [h.householdId, h.applicant.personId, h.members.length]),
    );
    for (const h of own) for (const plate of h.plates) expect(holders.get(plate)).toBe(h.applicant.personId);
    // Some second adult holds a vehicle, so the two choices differ somewhere.
    expect(own.flatMap((h) => h.plates).length).toBeLessThan(households.flatMap((h) => h.plates).length);
  });
});
