import { demoPopulation, householdsOf, LEIPZIG_STREETS, seededRandom } from '@buergerservice/demo-data';
import { bundleFor, HouseholdPool } from './population.js';

const population = demoPopulation({ persons: 2_000, vehicles: 1_200 });
const households = householdsOf(population);

describe('bundleFor', () => {
  const random = seededRandom(3);
  const bundles = households.slice(0, 600).map((h, i) => ({ h, b: bundleFor(h, random, '2026-11-21', i) }));

  it('moves the whole household to a real directory address that is not its current one', () => {
    for (const { h, b } of bundles) {
      expect(b.personId).toBe(h.applicant.personId);
      expect(b.body.householdMemberIds).toEqual(h.members.map((m) => m.personId));
      const street = LEIPZIG_STREETS.find(
        (s) => s.name === b.body.move.newAddress.street && s.postalCode === b.body.move.newAddress.postalCode,
      );
      expect(street).toBeDefined();
      expect(`${b.body.move.newAddress.street} ${b.body.move.newAddress.houseNumber}`).not.toBe(
        `${h.applicant.address.street} ${h.applicant.address.houseNumber}`,
      );
      expect(b.body.move.moveInDate).toBe('2026-11-21');
      expect(b.body.move.landlordConfirmationReference).toMatch(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/);
    }
  });

  it("has 0-2 of the household's vehicles, documents always, the appointment about half of the time, auto-booked", () => {
    const counts = [0, 0, 0];
    let appointments = 0;
    for (const { h, b } of bundles) {
      const n = b.body.vehiclePlates.length;
      expect(n).toBeLessThanOrEqual(2);
      for (const plate of b.body.vehiclePlates) expect(h.plates).toContain(plate);
      counts[n] = (counts[n] ?? 0) + 1;
      expect(b.body.documents).toContain('registration-confirmation');
      expect(b.body.documents.includes('vehicle-registration-record')).toBe(n > 0);
      expect(b.body.appointment.autoBook).toBe(true);
      if (b.body.appointment.wanted) appointments += 1;
    }
    expect(counts.every((c) => c > 50)).toBe(true);
    expect(appointments / bundles.length).toBeGreaterThan(0.4);
    expect(appointments / bundles.length).toBeLessThan(0.6);
  });

  it('is the same mix for the same seed', () => {
    const again = seededRandom(3);
    const replayed = households.slice(0, 600).map((h, i) => bundleFor(h, again, '2026-11-21', i));
    expect(replayed).toEqual(bundles.map(({ b }) => b));
  });
});

describe('HouseholdPool', () => {
  it('hands out each household once, in the same order for the same seed', () => {
    const a = new HouseholdPool(households, seededRandom(9));
    const b = new HouseholdPool(households, seededRandom(9));
    const taken = new Set<string>();
    for (let h = a.take(); h; h = a.take()) {
      expect(b.take()?.householdId).toBe(h.householdId);
      taken.add(h.householdId);
    }
    expect(taken.size).toBe(households.length);
    expect(a.remaining).toBe(0);
    expect(a.take()).toBeUndefined();
  });
});
