import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { waitUntil } from '@buergerservice/testing';
import type { Person } from '../../src/domain/person.js';
import { upsertPersons } from '../../src/seed.js';
import { access, annasMove, call, dayFrom, type Running, startRegistration } from './support/harness.js';

/** Known to the register from an earlier residence in Leipzig; lives in Dresden now. */
const clara: Person = {
  personId: 'P9000001',
  name: { familyName: 'Weber', givenNames: 'Clara', doctoralDegree: 'Dr.' },
  dateOfBirth: '1990-05-04',
  nationalities: ['DE'],
  religiousAffiliation: 'rk',
  householdId: 'H9000001',
  minorInCarePersonIds: [],
  residences: [
    {
      address: {
        street: 'Prager Straße',
        houseNumber: '10',
        houseNumberSuffix: '',
        addressAddition: '',
        postalCode: '01069',
        municipality: 'Dresden',
        municipalityKey: '14612000',
        streetKey: '',
        district: '',
        countryCode: 'DE',
      },
      type: 'main',
      validFrom: '2015-07-01',
    },
  ],
};

describe('moves into the city and abroad', () => {
  let reg: Running;
  let portal: registration.RegistrationServiceClient;

  beforeAll(async () => {
    reg = await startRegistration();
    await upsertPersons(reg.connection, [clara], { replaceExisting: true });
    portal = reg.client('portal-gateway');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('a move into the city notifies the previous registration office (BMG §33), logged for that office', async () => {
    const request = annasMove(reg.clock, {
      kind: registration.MoveKind.MOVE_KIND_INTO_CITY,
      personId: clara.personId,
      coMovingPersonIds: [],
      previousAddress: {
        ...clara.residences[0]?.address,
        streetKey: '',
        district: '',
      } as registration.Move['previousAddress'],
    });
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    expect(move?.kind).toBe(registration.MoveKind.MOVE_KIND_INTO_CITY);

    const messages = await reg.recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId, {
      count: 2,
    });
    expect(messages.map((m) => [m.headers.ce_type, m.key])).toEqual([
      [RegistrationEvents.AddressChanged.typeName, clara.personId],
      [RegistrationEvents.PreviousRegistrationOfficeNotified.typeName, clara.personId],
    ]);
    const notified = RegistrationEvents.PreviousRegistrationOfficeNotified.codec.decode(
      messages[1]?.value ?? Buffer.alloc(0),
    );
    expect(notified).toMatchObject({
      moveId: move?.moveId,
      previousMunicipalityKey: '14612000',
      previousMunicipality: 'Dresden',
      persons: [
        {
          personId: clara.personId,
          name: { familyName: 'Weber', givenNames: 'Clara', doctoralDegree: 'Dr.' },
          dateOfBirth: '1990-05-04',
          previousAddress: { street: 'Prager Straße', municipalityKey: '14612000' },
        },
      ],
      newAddress: { street: 'Mozartstraße', municipalityKey: '14713000' },
      moveInDate: request.moveInDate,
    });
    expect(notified.dueByDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const supervisor = reg.client('supervisor');
    const entries = await waitUntil(async () => {
      const { entries: found } = await call(
        supervisor,
        'listAuditEntries',
        registration.ListAuditEntriesRequest.fromPartial({ recipient: 'meldebehoerde:14612000' }),
      );
      return found.length > 0 ? found : undefined;
    });
    expect(entries[0]).toMatchObject({
      operation: RegistrationEvents.PreviousRegistrationOfficeNotified.typeName,
      personIds: [clara.personId],
      purpose: 'Rückmeldung an die bisher zuständige Meldebehörde (BMG §33)',
    });
    expect(entries[0]?.fields).toContain('persons.date_of_birth');
  });

  it('a move abroad records the address abroad as the main residence from the day of moving out', async () => {
    const request = annasMove(reg.clock, {
      kind: registration.MoveKind.MOVE_KIND_ABROAD,
      personId: 'P0000004',
      coMovingPersonIds: [],
      newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({
        newAddress: {
          street: 'Mariahilfer Straße',
          houseNumber: '1/3',
          postalCode: '1060',
          municipality: 'Wien',
          countryCode: 'AT',
        },
      }).newAddress,
      landlordConfirmationReference: '',
      followUps: { vehiclePlates: [], documents: [] },
    });
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    expect(move?.newAddress).toMatchObject({
      municipality: 'Wien',
      countryCode: 'AT',
      municipalityKey: '',
      streetKey: '',
    });
    const [message] = await reg.recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId);
    expect(RegistrationEvents.AddressChanged.codec.decode(message?.value ?? Buffer.alloc(0))).toMatchObject({
      kind: registration.MoveKind.MOVE_KIND_ABROAD,
      newAddress: { countryCode: 'AT' },
    });

    const jobcenter = reg.client('jobcenter');
    const now = await call(
      jobcenter,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
    );
    expect(now.mainResidence?.address).toMatchObject({ municipality: 'Wien', countryCode: 'AT' });
    const before = await call(
      jobcenter,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', asOfDate: dayFrom(reg.clock, -4), access }),
    );
    expect(before.mainResidence?.address?.street).toBe('Karl-Heine-Straße');
  });
});
