import { DEMO_CITIZENS, demoPlate, demoPopulation, demoVin } from './population.js';
import { LEIPZIG_STREETS } from './streets.js';

const PLATE = /^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$/;
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;

describe('demoPopulation', () => {
  const population = demoPopulation({ persons: 5_000, vehicles: 3_000 });

  it('is deterministic', () => {
    expect(demoPopulation({ persons: 50, vehicles: 20 })).toEqual(demoPopulation({ persons: 50, vehicles: 20 }));
  });

  it('starts with the demo citizens and has the requested sizes with unique ids', () => {
    expect(population.persons.slice(0, DEMO_CITIZENS.length)).toEqual(DEMO_CITIZENS);
    expect(population.persons).toHaveLength(5_000);
    expect(new Set(population.persons.map((p) => p.personId)).size).toBe(5_000);
    expect(population.vehicles).toHaveLength(3_000);
    expect(new Set(population.vehicles.map((v) => v.plate)).size).toBe(3_000);
    expect(new Set(population.vehicles.map((v) => v.vin)).size).toBe(3_000);
  });

  it('gives valid plates and VINs held by adults at directory addresses', () => {
    const byId = new Map(population.persons.map((p) => [p.personId, p]));
    const keys = new Set(LEIPZIG_STREETS.map((s) => s.streetKey));
    for (const vehicle of population.vehicles) {
      expect(vehicle.plate).toMatch(PLATE);
      expect(vehicle.vin).toMatch(VIN);
      const holder = byId.get(vehicle.holderPersonId);
      expect(holder).toBeDefined();
      expect(Number(holder?.dateOfBirth.slice(0, 4))).toBeLessThan(2008);
      expect(keys.has(vehicle.holderAddress.streetKey)).toBe(true);
    }
  });

  it('keeps minors in the care of an adult of the same household', () => {
    for (const person of population.persons) {
      for (const minorId of person.minorInCarePersonIds) {
        const minor = population.persons.find((p) => p.personId === minorId);
        expect(minor?.householdId).toBe(person.householdId);
      }
    }
  });

  it('numbers plates and VINs uniquely', () => {
    expect(demoPlate(0)).toBe('L-AA 1');
    expect(demoPlate(9999)).toBe('L-AB 1');
    expect(demoVin(0)).not.toBe(demoVin(1));
  });
});
