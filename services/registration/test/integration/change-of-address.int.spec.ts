import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { readFieldViolations } from '@buergerservice/service-kit';
import { uniqueName } from '@buergerservice/testing';
import { status } from '@grpc/grpc-js';
import { access, annasMove, call, dayFrom, type Running, startRegistration } from './support/harness.js';

/** The status code a call failed with. */
async function failure(promise: Promise<unknown>): Promise<{ code: number; details: string; fields: string[] }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: number; details: string };
    const violations = readFieldViolations(error as Parameters<typeof readFieldViolations>[0]);
    return { code: e.code, details: e.details, fields: violations.map((v) => v.field) };
  }
  throw new Error('the call succeeded');
}

/** Waits long enough for the relay to have published anything still pending (several poll intervals). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('change of address on real Kafka, database and gRPC', () => {
  let reg: Running;
  let portal: registration.RegistrationServiceClient;

  beforeAll(async () => {
    reg = await startRegistration();
    portal = reg.client('portal-gateway');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('publishes exactly one AddressChanged with CloudEvents headers and a decodable body', async () => {
    const request = annasMove(reg.clock);
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    expect(move).toMatchObject({
      correlationId: request.correlationId,
      kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
      personId: 'P0000001',
      status: registration.MoveStatus.MOVE_STATUS_RECORDED,
      lateRegistration: false,
      newAddress: { street: 'Mozartstraße', streetKey: '02001', district: 'Zentrum-Süd', municipalityKey: '14713000' },
      previousAddress: { street: 'Georg-Schumann-Straße', houseNumber: '12' },
    });
    const moveId = move?.moveId ?? '';

    const [message] = await reg.recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId);
    await settle();
    const mine = reg.recorder.messages.filter((m) => m.headers.ce_correlationid === request.correlationId);
    expect(mine).toHaveLength(1);
    expect(message?.key).toBe('P0000001');
    expect(message?.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: RegistrationEvents.AddressChanged.typeName,
      ce_source: '/buergerservice/registration',
      ce_subject: 'P0000001',
      ce_correlationid: request.correlationId,
      ce_causationid: moveId,
      'content-type': 'application/protobuf',
    });
    expect(message?.headers.ce_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(message?.headers.ce_time ?? '').toISOString()).toBe(move?.recordedAt?.toISOString());

    const event = RegistrationEvents.AddressChanged.codec.decode(message?.value ?? Buffer.alloc(0));
    expect(event).toEqual({
      moveId,
      kind: registration.MoveKind.MOVE_KIND_WITHIN_CITY,
      personId: 'P0000001',
      persons: [
        { personId: 'P0000001', name: { familyName: 'Müller', givenNames: 'Anna', doctoralDegree: '' } },
        { personId: 'P0000002', name: { familyName: 'Müller', givenNames: 'Jonas', doctoralDegree: '' } },
        { personId: 'P0000003', name: { familyName: 'Müller', givenNames: 'Mia', doctoralDegree: '' } },
      ],
      newAddress: move?.newAddress,
      moveInDate: request.moveInDate,
      residenceType: registration.ResidenceType.RESIDENCE_TYPE_MAIN,
      followUps: request.followUps,
    });
    // No dates of birth, nationalities or religion on this topic's AddressChanged.
    expect(message?.value?.toString('latin1')).not.toMatch(/1988-04-17|1986-11-02|2016-06-23/);

    // The register now answers with the new residence.
    const vehicle = reg.client('vehicle');
    const residence = await call(
      vehicle,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000003', access }),
    );
    expect(residence.mainResidence?.address?.street).toBe('Mozartstraße');

    // Revoke for the next tests of this household.
    await call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000001', reason: 'Test' });
  });

  it('answers a duplicate submission with the same move and publishes no second event', async () => {
    const request = annasMove(reg.clock);
    const first = await call(portal, 'submitChangeOfAddress', request);
    const second = await call(portal, 'submitChangeOfAddress', request);
    expect(second.move).toEqual(first.move);
    // Concurrent retries of the same request, too.
    const concurrent = await Promise.all([1, 2, 3].map(() => call(portal, 'submitChangeOfAddress', request)));
    for (const answer of concurrent) expect(answer.move?.moveId).toBe(first.move?.moveId);

    await reg.recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId);
    await settle();
    expect(
      reg.recorder.messages.filter(
        (m) =>
          m.headers.ce_correlationid === request.correlationId &&
          m.headers.ce_type === RegistrationEvents.AddressChanged.typeName,
      ),
    ).toHaveLength(1);

    const reused = await failure(
      call(portal, 'submitChangeOfAddress', { ...request, moveInDate: dayFrom(reg.clock, -4) }),
    );
    expect(reused.code).toBe(status.ALREADY_EXISTS);

    await call(portal, 'revokeChangeOfAddress', { moveId: first.move?.moveId ?? '', personId: 'P0000001', reason: '' });
  });

  it('revokes within the window: AddressChangeRevoked with the bundle id, the old residence current again', async () => {
    const request = annasMove(reg.clock);
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    const moveId = move?.moveId ?? '';
    const revoked = await call(portal, 'revokeChangeOfAddress', {
      moveId,
      personId: 'P0000001',
      reason: 'Umzug abgesagt',
    });
    expect(revoked.move).toMatchObject({ status: registration.MoveStatus.MOVE_STATUS_REVOKED });
    expect(revoked.move?.revokedAt).toBeInstanceOf(Date);
    // Revoking again answers the same, without a second event.
    expect((await call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000001', reason: '' })).move).toEqual(
      revoked.move,
    );

    const [message] = await reg.recorder.waitFor(
      (m) =>
        m.headers.ce_correlationid === request.correlationId &&
        m.headers.ce_type === RegistrationEvents.AddressChangeRevoked.typeName,
    );
    expect(message?.key).toBe('P0000001');
    expect(RegistrationEvents.AddressChangeRevoked.codec.decode(message?.value ?? Buffer.alloc(0))).toEqual({
      moveId,
      personId: 'P0000001',
      personIds: ['P0000001', 'P0000002', 'P0000003'],
    });
    await settle();
    const types = reg.recorder.messages
      .filter((m) => m.headers.ce_correlationid === request.correlationId)
      .map((m) => m.headers.ce_type);
    expect(types).toEqual([
      RegistrationEvents.AddressChanged.typeName,
      RegistrationEvents.AddressChangeRevoked.typeName,
    ]);

    const residence = await call(
      reg.client('vehicle'),
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P0000001', access }),
    );
    expect(residence.mainResidence?.address?.street).toBe('Georg-Schumann-Straße');
  });

  it('refuses to revoke after the end of the next working day', async () => {
    const request = annasMove(reg.clock);
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    const moveId = move?.moveId ?? '';
    const until = move?.revocableUntil ?? new Date();
    const now = reg.clock.now();
    try {
      reg.clock.set(new Date(until.getTime() + 1));
      const late = await failure(call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000001', reason: '' }));
      expect(late.code).toBe(status.FAILED_PRECONDITION);
    } finally {
      reg.clock.set(now);
    }
    await call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000001', reason: '' });
  });

  it('refuses a second move while one is pending (FAILED_PRECONDITION), also when submitted concurrently', async () => {
    const streets: [string, string][] = [
      ['Mozartstraße', '04107'],
      ['Karl-Heine-Straße', '04229'],
      ['Kochstraße', '04275'],
      ['Triftweg', '04277'],
    ];
    for (let round = 0; round < 3; round++) {
      const requests = streets.map(([street, postalCode]) =>
        annasMove(reg.clock, {
          personId: 'P0000004',
          coMovingPersonIds: [],
          newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({
            newAddress: { street, houseNumber: String(10 + round), postalCode },
          }).newAddress,
        }),
      );
      const outcomes = await Promise.allSettled(requests.map((r) => call(portal, 'submitChangeOfAddress', r)));
      const recorded = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(recorded).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: status.FAILED_PRECONDITION });
      }
      const moveId = recorded[0]?.move?.moveId ?? '';
      // Sequentially, too.
      const again = await failure(
        call(portal, 'submitChangeOfAddress', annasMove(reg.clock, { personId: 'P0000004', coMovingPersonIds: [] })),
      );
      expect(again.code).toBe(status.FAILED_PRECONDITION);
      await call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000004', reason: '' });
    }
  });

  it('answers malformed requests with INVALID_ARGUMENT and every field violation', async () => {
    const bad = registration.SubmitChangeOfAddressRequest.fromPartial({
      idempotencyKey: uniqueName('k'),
      personId: 'P0000001',
      newAddress: { street: 'Mozartstraße', houseNumber: 'sieben', postalCode: '4107' },
      moveInDate: '31.12.2025',
      followUps: { vehiclePlates: ['LAM 2026'] },
    });
    const answer = await failure(call(portal, 'submitChangeOfAddress', bad));
    expect(answer.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.fields).toEqual([
      'kind',
      'new_address.house_number',
      'new_address.postal_code',
      'move_in_date',
      'residence_type',
      'follow_ups.vehicle_plates[0]',
    ]);
  });

  it('answers broken rules of the register with INVALID_ARGUMENT naming the fields', async () => {
    const answer = await failure(
      call(
        portal,
        'submitChangeOfAddress',
        annasMove(reg.clock, {
          coMovingPersonIds: ['P0000004'],
          newAddress: registration.SubmitChangeOfAddressRequest.fromPartial({
            newAddress: { street: 'Mozartstraße', houseNumber: '99', postalCode: '04107' },
          }).newAddress,
          moveInDate: dayFrom(reg.clock, 30),
          landlordConfirmationReference: '',
        }),
      ),
    );
    expect(answer.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.fields).toEqual([
      'co_moving_person_ids[0]',
      'move_in_date',
      'new_address.house_number',
      'landlord_confirmation_reference',
    ]);
    const unknown = await failure(
      call(portal, 'submitChangeOfAddress', annasMove(reg.clock, { personId: 'P9999999', coMovingPersonIds: [] })),
    );
    expect(unknown).toMatchObject({ code: status.INVALID_ARGUMENT, fields: ['person_id'] });
  });

  it('accepts a late registration and flags it', async () => {
    const request = annasMove(reg.clock, { moveInDate: dayFrom(reg.clock, -40) });
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    expect(move?.lateRegistration).toBe(true);
    await call(portal, 'revokeChangeOfAddress', { moveId: move?.moveId ?? '', personId: 'P0000001', reason: '' });
  });
});
