import { householdsOf } from './households.js';
import { moveBundleBody, randomNewAddress } from './moves.js';
import { demoPopulation } from './population.js';
import { seededRandom } from './random.js';
import { LEIPZIG, LEIPZIG_STREETS } from './streets.js';

const households = householdsOf(demoPopulation({ persons: 1_000, vehicles: 600 }));

describe('randomNewAddress', () => {
  it('is a real directory address that is not the current one', () => {
    const random = seededRandom(3);
    for (const h of households) {
      const address = randomNewAddress(h.applicant.address, random);
      const street = LEIPZIG_STREETS.find((s) => s.name === address.street && s.postalCode === address.postalCode);
      expect(street).toBeDefined();
      const number = Number(address.houseNumber);
      expect(number).toBeGreaterThanOrEqual(street?.houseNumbers.from ?? 1);
      expect(number).toBeLessThanOrEqual(street?.houseNumbers.to ?? 0);
      expect(address.municipality).toBe(LEIPZIG);
      expect(`${address.street} ${address.houseNumber}`).not.toBe(
        `${h.applicant.address.street} ${h.applicant.address.houseNumber}`,
      );
    }
  });

  it('is the same for the same seed', () => {
    const current = (households[0] as (typeof households)[number]).applicant.address;
    expect(randomNewAddress(current, seededRandom(5))).toEqual(randomNewAddress(current, seededRandom(5)));
  });

  it('gives up after 20 draws that all hit the current address', () => {
    const street = LEIPZIG_STREETS[0];
    if (!street) throw new Error('empty street directory');
    const current = { ...(households[0] as (typeof households)[number]).applicant.address };
    current.street = street.name;
    current.houseNumber = String(street.houseNumbers.from);
    expect(() => randomNewAddress(current, () => 0)).toThrow('no new address found in the street directory');
  });
});

describe('moveBundleBody', () => {
  const household = households.find((h) => h.members.length > 0 && h.plates.length > 0);
  if (!household) throw new Error('the population has no household with members and vehicles');
  const newAddress = {
    street: 'Karl-Liebknecht-Straße',
    houseNumber: '12',
    postalCode: '04107',
    municipality: LEIPZIG,
  };

  it('moves the whole household with the chosen vehicles and asks for both documents', () => {
    const plates = household.plates.slice(0, 1);
    expect(
      moveBundleBody(household, {
        moveInDate: '2026-11-21',
        serial: 42,
        newAddress,
        vehiclePlates: plates,
        appointmentWanted: true,
      }),
    ).toEqual({
      move: {
        kind: 'within-city',
        moveInDate: '2026-11-21',
        residenceType: 'main',
        newAddress,
        landlordConfirmationReference: 'WGB-000042',
      },
      householdMemberIds: household.members.map((m) => m.personId),
      vehiclePlates: plates,
      documents: ['registration-confirmation', 'vehicle-registration-record'],
      appointment: { wanted: true, autoBook: true },
    });
  });

  it('asks only for the registration confirmation when no vehicle moves', () => {
    const body = moveBundleBody(household, {
      moveInDate: '2026-11-21',
      serial: 7,
      newAddress,
      vehiclePlates: [],
      appointmentWanted: false,
    });
    expect(body.documents).toEqual(['registration-confirmation']);
    expect(body.appointment).toEqual({ wanted: false, autoBook: true });
    expect(body.move.landlordConfirmationReference).toMatch(/^[A-Za-z0-9][A-Za-z0-9 ./-]{0,39}$/);
  });
});
