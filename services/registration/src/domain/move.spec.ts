import {
  anna,
  cityAddress,
  clara,
  directory,
  dresdenAddress,
  jonas,
  mehmet,
  mia,
  moveRequest,
  muellerHome,
  person,
  register,
  typedAddress,
  viennaAddress,
} from '../../test/fixtures/register.js';
import { normalizeStreetName } from './address.js';
import { DomainError } from './errors.js';
import { isPending, type Move, type MoveRequest, type RecordMoveInput, recordMove, revokeMove } from './move.js';

const now = new Date('2025-11-17T09:00:00Z'); // Monday, 10:00 in Leipzig

function input(request: MoveRequest, overrides: Partial<RecordMoveInput> = {}): RecordMoveInput {
  const wanted = normalizeStreetName(request.newAddress.street);
  return {
    moveId: 'move-1',
    idempotencyKey: 'key-1',
    requestFingerprint: 'fp',
    submittedBy: 'portal-gateway',
    correlationId: 'bundle-1',
    request,
    persons: register(anna, jonas, mia, mehmet, clara),
    directory: directory.filter((s) => normalizeStreetName(s.name) === wanted),
    pendingMoveIds: new Map(),
    now,
    ...overrides,
  };
}

function violationsOf(request: MoveRequest, overrides: Partial<RecordMoveInput> = {}): string[] {
  try {
    recordMove(input(request, overrides));
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid-move') {
      return error.violations.map((v) => `${v.field}: ${v.description}`);
    }
    throw error;
  }
  throw new Error('expected the move to be refused');
}

function fields(request: MoveRequest, overrides: Partial<RecordMoveInput> = {}): string[] {
  return violationsOf(request, overrides).map((v) => v.slice(0, v.indexOf(':')));
}

describe('recording a move within the city (Ummeldung)', () => {
  it('records the move with the directory address, the previous address and its deadlines', () => {
    const move = recordMove(
      input(
        moveRequest({
          followUps: { vehiclePlates: [' l-am  2026', 'L-AM 2026'], documents: ['registration-confirmation'] },
        }),
      ),
    );
    expect(move).toEqual<Move>({
      moveId: 'move-1',
      idempotencyKey: 'key-1',
      requestFingerprint: 'fp',
      submittedBy: 'portal-gateway',
      correlationId: 'bundle-1',
      kind: 'within-city',
      personId: 'P0000001',
      persons: [{ personId: 'P0000001', name: anna.name }],
      previousAddress: muellerHome,
      newAddress: cityAddress('02001', '7'),
      moveInDate: '2025-11-15',
      residenceType: 'main',
      landlordConfirmationReference: 'WGB-2025-0815',
      followUps: { vehiclePlates: ['L-AM 2026'], documents: ['registration-confirmation'] },
      status: 'recorded',
      lateRegistration: false,
      recordedAt: now,
      revocableUntil: new Date('2025-11-18T22:59:59.999Z'),
      pendingUntil: new Date('2025-11-18T22:59:59.999Z'),
      notificationDueBy: undefined,
    });
  });

  it('takes household members and minors in care along, applicant first', () => {
    const move = recordMove(input(moveRequest({ coMovingPersonIds: [jonas.personId, mia.personId] })));
    expect(move.persons.map((p) => p.personId)).toEqual(['P0000001', 'P0000002', 'P0000003']);
  });

  it('takes a minor in care along who is registered in another household', () => {
    const child = person('P0000009', { householdId: 'H0000099' });
    const parent = { ...anna, minorInCarePersonIds: ['P0000009'] };
    const move = recordMove(
      input(moveRequest({ coMovingPersonIds: ['P0000009'] }), { persons: register(parent, child) }),
    );
    expect(move.persons).toHaveLength(2);
  });

  it('refuses co-movers outside the household, unknown, repeated or the applicant', () => {
    expect(
      violationsOf(
        moveRequest({
          coMovingPersonIds: [mehmet.personId, 'P9999999', jonas.personId, jonas.personId, anna.personId],
        }),
      ),
    ).toEqual([
      "co_moving_person_ids[0]: must belong to the applicant's household or be a minor in the applicant's care",
      'co_moving_person_ids[1]: no person with this id in the register',
      'co_moving_person_ids[3]: is listed twice',
      'co_moving_person_ids[4]: must not be the applicant',
    ]);
  });

  it('refuses an applicant unknown to the register', () => {
    expect(fields(moveRequest({ personId: 'P9999999' }))).toEqual(['person_id']);
  });

  it('refuses a person without a main residence in the city', () => {
    expect(violationsOf(moveRequest({ personId: clara.personId }))).toEqual([
      'kind: the applicant has no main residence in Leipzig',
    ]);
  });

  it('refuses an address not in the street directory, field by field', () => {
    expect(fields(moveRequest({ newAddress: typedAddress('Hauptstraße', '1', '04109') }))).toEqual([
      'new_address.street',
    ]);
    expect(fields(moveRequest({ newAddress: typedAddress('Mozartstraße', '1', '04109') }))).toEqual([
      'new_address.postal_code',
    ]);
    expect(fields(moveRequest({ newAddress: typedAddress('Mozartstraße', '26', '04107') }))).toEqual([
      'new_address.house_number',
    ]);
  });

  it('refuses a move to the current main residence', () => {
    expect(violationsOf(moveRequest({ newAddress: muellerHome }))).toEqual([
      'new_address: is already the main residence of the applicant',
    ]);
  });

  it('requires the landlord confirmation (BMG §19)', () => {
    expect(violationsOf(moveRequest({ landlordConfirmationReference: ' ' }))).toEqual([
      'landlord_confirmation_reference: is required (Wohnungsgeberbestätigung, BMG §19)',
    ]);
  });

  it('checks a stated previous address against the register', () => {
    expect(
      recordMove(input(moveRequest({ previousAddress: { ...muellerHome, streetKey: '' } }))).previousAddress,
    ).toEqual(muellerHome);
    expect(fields(moveRequest({ previousAddress: cityAddress('03001', '1') }))).toEqual(['previous_address']);
  });

  it('reports every broken rule at once', () => {
    expect(
      fields(
        moveRequest({
          newAddress: typedAddress('Mozartstraße', '99', '04107'),
          moveInDate: '2026-01-01',
          landlordConfirmationReference: '',
          coMovingPersonIds: ['P9999999'],
        }),
      ),
    ).toEqual([
      'co_moving_person_ids[0]',
      'move_in_date',
      'new_address.house_number',
      'landlord_confirmation_reference',
    ]);
  });
});

describe('move-in dates', () => {
  it.each([
    ['2025-11-24', false], // a week ahead: the latest accepted
    ['2025-11-17', false],
    ['2025-11-03', false], // deadline 17 Nov = today: on time
    ['2025-11-02', false], // deadline Sunday 16th moves to Monday 17th: on time
    ['2025-10-31', true], // deadline Friday 14th: late
    ['2025-05-17', true], // six months back: the earliest accepted, late
  ])('accepts moving in on %s (late: %s)', (moveInDate, late) => {
    expect(recordMove(input(moveRequest({ moveInDate }))).lateRegistration).toBe(late);
  });

  it.each([
    ['2025-11-25', /at most 7 days in the future/],
    ['2025-05-16', /more than 6 months in the past/],
    ['2025-02-30', /must be a date YYYY-MM-DD/],
  ])('refuses moving in on %s', (moveInDate, message) => {
    const [violation] = violationsOf(moveRequest({ moveInDate }));
    expect(violation).toMatch(/^move_in_date: /);
    expect(violation).toMatch(message);
  });

  it('refuses a date not after the beginning of the current main residence', () => {
    const recent = person('P0000010', {
      residences: [{ address: muellerHome, type: 'main', validFrom: '2025-10-01' }],
    });
    const persons = register(recent);
    expect(violationsOf(moveRequest({ personId: 'P0000010', moveInDate: '2025-10-01' }), { persons })).toEqual([
      'move_in_date: must be after the beginning of the current main residence',
    ]);
    expect(
      recordMove(input(moveRequest({ personId: 'P0000010', moveInDate: '2025-10-02' }), { persons })).moveInDate,
    ).toBe('2025-10-02');
  });

  it('keeps a move registered before moving in pending until the end of the move-in day', () => {
    const move = recordMove(input(moveRequest({ moveInDate: '2025-11-24' })));
    expect(move.revocableUntil.toISOString()).toBe('2025-11-18T22:59:59.999Z');
    expect(move.pendingUntil.toISOString()).toBe('2025-11-24T22:59:59.999Z');
  });
});

describe('moving into the city (Anmeldung)', () => {
  const fromDresden = moveRequest({ kind: 'into-city', personId: clara.personId, previousAddress: dresdenAddress });

  it('records the previous address and when the previous office is due to be notified (BMG §33)', () => {
    const move = recordMove(input(fromDresden));
    expect(move.previousAddress).toEqual(dresdenAddress);
    expect(move.notificationDueBy).toBe('2025-11-21'); // Tue 18, (Buß- und Bettag), Thu 20, Fri 21
  });

  it('requires a previous address with the key of another German municipality', () => {
    expect(fields({ ...fromDresden, previousAddress: undefined })).toEqual(['previous_address']);
    expect(fields({ ...fromDresden, previousAddress: { ...dresdenAddress, municipalityKey: '1461200' } })).toEqual([
      'previous_address.municipality_key',
    ]);
    expect(
      violationsOf({ ...fromDresden, previousAddress: { ...dresdenAddress, municipalityKey: '14713000' } }),
    ).toEqual(['previous_address.municipality_key: must not be Leipzig: that is a move within the city']);
    expect(fields({ ...fromDresden, previousAddress: { ...dresdenAddress, municipality: '' } })).toEqual([
      'previous_address.municipality',
    ]);
  });

  it('accepts a move from abroad without a notification to a German office', () => {
    const move = recordMove(input({ ...fromDresden, previousAddress: viennaAddress }));
    expect(move.notificationDueBy).toBeUndefined();
    expect(fields({ ...fromDresden, previousAddress: { ...viennaAddress, municipalityKey: '90001' } })).toEqual([
      'previous_address.municipality_key',
    ]);
  });

  it('refuses a person who already lives in the city', () => {
    expect(violationsOf({ ...fromDresden, personId: anna.personId })).toEqual([
      'kind: the applicant already has a main residence in Leipzig: that is a move within the city',
    ]);
  });
});

describe('moving abroad (Abmeldung)', () => {
  const toVienna = moveRequest({ kind: 'abroad', newAddress: viennaAddress, landlordConfirmationReference: '' });

  it('records the address abroad without directory check or landlord confirmation', () => {
    const move = recordMove(input(toVienna));
    expect(move.newAddress).toEqual(viennaAddress);
    expect(move.previousAddress).toEqual(muellerHome);
  });

  it('requires a foreign country, no municipality key and a main residence', () => {
    expect(
      fields({
        ...toVienna,
        newAddress: { ...viennaAddress, countryCode: 'DE', municipalityKey: '09162000' },
        residenceType: 'secondary',
      }),
    ).toEqual(['new_address.country_code', 'new_address.municipality_key', 'residence_type']);
  });
});

describe('secondary residences', () => {
  it('adds a secondary residence', () => {
    const move = recordMove(input(moveRequest({ residenceType: 'secondary' })));
    expect(move.residenceType).toBe('secondary');
  });

  it('refuses a secondary residence at a current residence', () => {
    expect(violationsOf(moveRequest({ residenceType: 'secondary', newAddress: muellerHome }))).toEqual([
      'new_address: is already a residence of the applicant',
    ]);
  });
});

describe('pending moves', () => {
  it('refuses a move while one of its persons has another move pending', () => {
    const pending = new Map([[jonas.personId, 'move-0']]);
    expect(() =>
      recordMove(input(moveRequest({ coMovingPersonIds: [jonas.personId] }), { pendingMoveIds: pending })),
    ).toThrow(expect.objectContaining({ code: 'pending-move-exists' }));
  });

  it('does not count the move itself (a retried request)', () => {
    const pending = new Map([[anna.personId, 'move-1']]);
    expect(recordMove(input(moveRequest(), { pendingMoveIds: pending })).moveId).toBe('move-1');
  });

  it('is pending until the end of its window and not once revoked', () => {
    const move = recordMove(input(moveRequest()));
    expect(isPending(move, move.pendingUntil)).toBe(true);
    expect(isPending(move, new Date(move.pendingUntil.getTime() + 1))).toBe(false);
    expect(isPending(revokeMove(move, now, 'mistake', 'portal-gateway').move, now)).toBe(false);
  });
});

describe('revoking a move', () => {
  const move = recordMove(input(moveRequest()));

  it('revokes within the window, up to its last millisecond', () => {
    const { move: revoked, changed } = revokeMove(move, move.revocableUntil, '  changed my mind ', 'portal-gateway');
    expect(changed).toBe(true);
    expect(revoked).toMatchObject({
      status: 'revoked',
      revokedAt: move.revocableUntil,
      revocationReason: 'changed my mind',
    });
  });

  it('refuses after the window', () => {
    expect(() => revokeMove(move, new Date(move.revocableUntil.getTime() + 1), '', 'portal-gateway')).toThrow(
      expect.objectContaining({ code: 'revocation-window-closed' }),
    );
  });

  it('changes nothing when revoked again', () => {
    const revoked = revokeMove(move, now, 'x', 'portal-gateway').move;
    expect(revokeMove(revoked, new Date('2030-01-01T00:00:00Z'), 'again', 'portal-gateway')).toEqual({
      move: revoked,
      changed: false,
    });
  });
});

describe('precedence', () => {
  it('reports a pending move before rules that depend on the residence it is about to change', () => {
    const pending = new Map([[anna.personId, 'move-0']]);
    expect(() => recordMove(input(moveRequest({ newAddress: muellerHome }), { pendingMoveIds: pending }))).toThrow(
      expect.objectContaining({ code: 'pending-move-exists' }),
    );
  });
});
