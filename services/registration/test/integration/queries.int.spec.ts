import { registration } from '@buergerservice/contracts';
import { status } from '@grpc/grpc-js';
import { access, annasMove, call, type Running, startRegistration } from './support/harness.js';

async function code(promise: Promise<unknown>): Promise<number> {
  return promise.then(
    () => -1,
    (error: { code: number }) => error.code,
  );
}

describe('queries for other city systems, minimised per client', () => {
  let reg: Running;

  beforeAll(async () => {
    reg = await startRegistration();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('gives the vehicle authority the address of the main residence and nothing else', async () => {
    const vehicle = reg.client('vehicle');
    const answer = await call(
      vehicle,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
    );
    expect(answer).toEqual(
      registration.GetResidenceResponse.fromPartial({
        mainResidence: {
          address: {
            street: 'Karl-Heine-Straße',
            houseNumber: '40',
            houseNumberSuffix: '',
            addressAddition: '',
            postalCode: '04229',
            municipality: 'Leipzig',
            municipalityKey: '14713000',
            streetKey: '03001',
            district: 'Plagwitz',
            countryCode: 'DE',
          },
        },
      }),
    );
    expect(answer.mainResidence?.validFrom).toBe('');
    expect(
      await code(
        call(vehicle, 'getPerson', registration.GetPersonRequest.fromPartial({ personId: 'P0000004', access })),
      ),
    ).toBe(status.PERMISSION_DENIED);
    expect(
      await code(
        call(vehicle, 'listMoves', registration.ListMovesRequest.fromPartial({ personId: 'P0000004', access })),
      ),
    ).toBe(status.PERMISSION_DENIED);
  });

  it('gives the job centre the main residence and since when', async () => {
    const answer = await call(
      reg.client('jobcenter'),
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
    );
    expect(answer.mainResidence).toMatchObject({
      type: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
      validFrom: '2012-03-15',
      address: { street: 'Karl-Heine-Straße' },
    });
  });

  it('gives the portal name and residences of a person, never birth date, nationality or religion', async () => {
    const { person } = await call(
      reg.client('portal-gateway'),
      'getPerson',
      registration.GetPersonRequest.fromPartial({
        personId: 'P0000001',
        access: { purpose: 'Eigene Daten im Bürgerportal' },
      }),
    );
    expect(person).toMatchObject({
      personId: 'P0000001',
      name: { familyName: 'Müller', givenNames: 'Anna' },
      mainResidence: { address: { street: 'Georg-Schumann-Straße', houseNumber: '12' }, validFrom: '2019-08-01' },
      dateOfBirth: '',
      nationalities: [],
      religiousAffiliation: '',
      householdId: '',
      minorInCarePersonIds: [],
    });
  });

  it('refuses clients the policy does not know, and every RPC to the wrong client', async () => {
    expect(
      await code(
        call(
          reg.client('tax-office'),
          'getResidence',
          registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }),
        ),
      ),
    ).toBe(status.PERMISSION_DENIED);
    expect(await code(call(reg.client('vehicle'), 'submitChangeOfAddress', annasMove(reg.clock)))).toBe(
      status.PERMISSION_DENIED,
    );
  });

  it('answers a residence as of a past day, and nothing before the person lived here', async () => {
    const jobcenter = reg.client('jobcenter');
    const before = await call(
      jobcenter,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', asOfDate: '2012-03-14', access }),
    );
    expect(before.mainResidence).toBeUndefined();
    const on = await call(
      jobcenter,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', asOfDate: '2012-03-15', access }),
    );
    expect(on.mainResidence?.address?.street).toBe('Karl-Heine-Straße');
  });

  it('requires the purpose of every read (BMG §40) and reports unknown persons as NOT_FOUND', async () => {
    const vehicle = reg.client('vehicle');
    expect(
      await code(call(vehicle, 'getResidence', registration.GetResidenceRequest.fromPartial({ personId: 'P0000004' }))),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await code(
        call(
          vehicle,
          'getResidence',
          registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', asOfDate: '2025-02-30', access }),
        ),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await code(
        call(vehicle, 'getResidence', registration.GetResidenceRequest.fromPartial({ personId: 'P9999999', access })),
      ),
    ).toBe(status.NOT_FOUND);
  });

  it('lists the moves of a person page by page, newest first, and reads one move', async () => {
    const portal = reg.client('portal-gateway');
    const ids: string[] = [];
    for (const street of ['Mozartstraße', 'Kochstraße', 'Triftweg']) {
      const request = annasMove(reg.clock, {
        personId: 'P0000004',
        coMovingPersonIds: [],
        newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({
          newAddress: {
            street,
            houseNumber: '5',
            postalCode: street === 'Mozartstraße' ? '04107' : street === 'Kochstraße' ? '04275' : '04277',
          },
        }).newAddress,
      });
      const { move } = await call(portal, 'submitChangeOfAddress', request);
      ids.push(move?.moveId ?? '');
      // Revoke, so the next move of this person may be recorded at once.
      await call(portal, 'revokeChangeOfAddress', { moveId: move?.moveId ?? '', personId: 'P0000004', reason: '' });
      reg.clock.set(new Date(reg.clock.now().getTime() + 60_000));
    }
    const first = await call(
      portal,
      'listMoves',
      registration.ListMovesRequest.fromPartial({ personId: 'P0000004', pageSize: 2, access }),
    );
    expect(first.moves.map((m) => m.moveId)).toEqual([ids[2], ids[1]]);
    expect(first.nextPageToken).not.toBe('');
    const second = await call(
      portal,
      'listMoves',
      registration.ListMovesRequest.fromPartial({
        personId: 'P0000004',
        pageSize: 2,
        pageToken: first.nextPageToken,
        access,
      }),
    );
    expect(second.moves.map((m) => m.moveId)).toEqual([ids[0]]);
    expect(second.nextPageToken).toBe('');
    expect(second.moves[0]?.status).toBe(registration.MoveStatus.MOVE_STATUS_REVOKED);

    const { move } = await call(
      portal,
      'getMove',
      registration.GetMoveRequest.fromPartial({ moveId: ids[0] ?? '', access }),
    );
    expect(move).toMatchObject({
      moveId: ids[0],
      personId: 'P0000004',
      status: registration.MoveStatus.MOVE_STATUS_REVOKED,
    });
    expect(
      await code(call(portal, 'getMove', registration.GetMoveRequest.fromPartial({ moveId: 'no-such-move', access }))),
    ).toBe(status.NOT_FOUND);
    expect(
      await code(
        call(
          portal,
          'listMoves',
          registration.ListMovesRequest.fromPartial({ personId: 'P0000004', pageToken: 'x', access }),
        ),
      ),
    ).toBe(status.INVALID_ARGUMENT);
  });
});
