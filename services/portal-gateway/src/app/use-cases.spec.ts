import { addressChanged, confirmation, MOVE, vehicleUpdated } from '../domain/tracker/events.fixtures.js';
import type { MoveCommand, RecordedMove } from '../domain/authorities.js';
import type { BundleInput } from '../shared/bundle-rules.js';
import { AppError } from './errors.js';
import { downloadDocument } from './download-document.js';
import { getBundle } from './get-bundle.js';
import { InMemoryBundles, RecordingListener } from './in-memory.fixtures.js';
import type { DocumentAuthority, RegistrationAuthority } from './ports.js';
import { revokeBundle } from './revoke-bundle.js';
import { submitBundle } from './submit-bundle.js';
import { trackEvent } from './track-event.js';

const clock = { now: () => new Date('2026-05-02T10:00:00Z') };

const request: BundleInput = {
  move: {
    kind: 'within-city',
    moveInDate: '2026-05-01',
    residenceType: 'main',
    newAddress: { street: 'Kochstraße', houseNumber: '20', postalCode: '04275', municipality: 'Leipzig' },
    landlordConfirmationReference: 'WGB-1',
  },
  householdMemberIds: ['P0000002'],
  vehiclePlates: ['L-AM 2026'],
  documents: ['registration-confirmation'],
  appointment: { wanted: false, autoBook: true },
};

class FakeRegistration implements RegistrationAuthority {
  readonly calls: MoveCommand[] = [];
  answer: (command: MoveCommand) => RecordedMove = (command) => ({
    moveId: MOVE,
    correlationId: command.correlationId,
    personId: command.personId,
    status: 'recorded',
    revocableUntil: new Date('2026-05-05T21:59:59Z'),
  });
  revoked: string[] = [];
  async submitChangeOfAddress(command: MoveCommand): Promise<RecordedMove> {
    this.calls.push(command);
    return this.answer(command);
  }
  async revokeChangeOfAddress(command: { moveId: string; personId: string }): Promise<RecordedMove> {
    this.revoked.push(command.moveId);
    return { moveId: command.moveId, correlationId: '', personId: command.personId, status: 'revoked' };
  }
}

function setup() {
  return {
    bundles: new InMemoryBundles(),
    registration: new FakeRegistration(),
    clock,
    listener: new RecordingListener(),
  };
}

describe('submitting a bundle', () => {
  it('records the submission, calls registration with the bundle as correlation id and a derived key', async () => {
    const deps = setup();
    const bundle = await submitBundle(deps, {
      bundleId: 'b-1',
      personId: 'P0000001',
      idempotencyKey: 'key-123456',
      request,
    });
    expect(bundle).toMatchObject({ bundleId: 'b-1', ownerPersonId: 'P0000001' });
    expect(bundle.facts.moveId).toBe(MOVE);
    expect(bundle.view.steps.map((s) => s.key)).toEqual([
      'registration',
      'vehicle:L-AM 2026',
      'registration-confirmation:P0000001',
      'registration-confirmation:P0000002',
      'vehicle-registration-record:L-AM 2026',
      'id-card-sticker-order',
      'appointment',
    ]);
    const call = deps.registration.calls[0];
    expect(call).toMatchObject({ correlationId: 'b-1', personId: 'P0000001', coMovingPersonIds: ['P0000002'] });
    expect(call?.idempotencyKey).not.toContain('key-123456');
    // Auto-booking only counts when the appointment is wanted.
    expect(call?.followUps.appointment.autoBook).toBe(false);
    // The same key chosen by another citizen gives another key downstream.
    const other = setup();
    await submitBundle(other, { bundleId: 'b-2', personId: 'P0000004', idempotencyKey: 'key-123456', request });
    expect(other.registration.calls[0]?.idempotencyKey).not.toBe(call?.idempotencyKey);
  });

  it('forgets a submission the registration office refused', async () => {
    const deps = setup();
    deps.registration.answer = () => {
      throw new AppError('rejected', 'refused', [{ field: '/move/newAddress/postalCode', message: 'wrong' }]);
    };
    await expect(
      submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request }),
    ).rejects.toMatchObject({ code: 'rejected' });
    expect(await deps.bundles.get('b-1')).toBeUndefined();
  });

  it('keeps the submission when registration is unreachable (the move may exist)', async () => {
    const deps = setup();
    deps.registration.answer = () => {
      throw new AppError('unavailable', 'down');
    };
    await expect(
      submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request }),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect((await deps.bundles.get('b-1'))?.ownerPersonId).toBe('P0000001');
  });

  it('adopts the bundle under which registration had recorded the same request', async () => {
    const deps = setup();
    deps.registration.answer = (command) => ({
      moveId: MOVE,
      correlationId: 'b-old',
      personId: command.personId,
      status: 'recorded',
    });
    const bundle = await submitBundle(deps, {
      bundleId: 'b-new',
      personId: 'P0000001',
      idempotencyKey: 'k-0000001',
      request,
    });
    expect(bundle.bundleId).toBe('b-old');
    expect(await deps.bundles.get('b-new')).toBeUndefined();
  });
});

describe('tracking events', () => {
  it('records an event for the bundle of its correlation id once', async () => {
    const deps = setup();
    await submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request });
    const event = addressChanged();
    expect(await trackEvent(deps, { correlationId: 'b-1', event })).toBe('recorded');
    expect(await trackEvent(deps, { correlationId: 'b-1', event })).toBe('duplicate');
    expect((await deps.bundles.get('b-1'))?.view.steps[0]?.state).toBe('done');
    expect(deps.listener.changes.at(-1)?.after.view.steps[0]?.state).toBe('done');
  });

  it('finds the bundle by its move when an authority started another correlation', async () => {
    const deps = setup();
    await submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request });
    expect(await trackEvent(deps, { correlationId: 'other', event: vehicleUpdated() })).toBe('recorded');
    expect((await deps.bundles.get('b-1'))?.view.steps.find((s) => s.key === 'vehicle:L-AM 2026')?.state).toBe('done');
    expect(await deps.bundles.get('other')).toBeUndefined();
  });

  it('ignores events without correlation id, and of no bundle and no move', async () => {
    const deps = setup();
    expect(await trackEvent(deps, { correlationId: '', event: addressChanged() })).toBe('ignored');
    expect(await trackEvent(deps, { correlationId: 'x', event: { ...vehicleUpdated(), moveId: '' } })).toBe('ignored');
    expect(deps.bundles.events.size).toBe(0);
  });

  it('starts an ownerless bundle for an unknown move; the AddressChanged arriving later gives it its owner', async () => {
    const deps = setup();
    await trackEvent(deps, { correlationId: 'b-9', event: confirmation('P0000001', 'd-1') });
    expect((await deps.bundles.get('b-9'))?.ownerPersonId).toBeUndefined();
    expect(await deps.bundles.listByOwner('P0000001', 10)).toEqual([]);
    await trackEvent(deps, { correlationId: 'b-9', event: addressChanged() });
    expect((await deps.bundles.get('b-9'))?.ownerPersonId).toBe('P0000001');
  });
});

describe('object-level authorization', () => {
  it('another citizen’s bundle is not found', async () => {
    const deps = setup();
    await submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request });
    await expect(getBundle(deps, { bundleId: 'b-1', personId: 'P0000004' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(revokeBundle(deps, { bundleId: 'b-1', personId: 'P0000004', reason: '' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(deps.registration.revoked).toEqual([]);
    await revokeBundle(deps, { bundleId: 'b-1', personId: 'P0000001', reason: '' });
    expect(deps.registration.revoked).toEqual([MOVE]);
  });

  it('documents: the person’s own, or those of a move the citizen applied for', async () => {
    const deps = setup();
    await submitBundle(deps, { bundleId: 'b-1', personId: 'P0000001', idempotencyKey: 'k-0000001', request });
    const doc = (personId: string, moveId: string) => ({
      document: {
        documentId: 'd',
        kind: 'registration-confirmation' as const,
        status: 'valid' as const,
        personId,
        moveId,
        plate: '',
        documentNumber: 'MB-1',
        contentType: 'application/pdf',
      },
      content: new Uint8Array([1]),
    });
    let answer = doc('P0000002', MOVE);
    const documents: DocumentAuthority = {
      list: async () => [],
      get: async () => answer,
      verify: async () => ({ result: 'unknown', signedFields: {}, signature: '', keyId: '' }),
    };
    await expect(downloadDocument({ ...deps, documents }, { documentId: 'd', personId: 'P0000001' })).resolves.toBe(
      answer,
    );
    await expect(
      downloadDocument({ ...deps, documents }, { documentId: 'd', personId: 'P0000004' }),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
    answer = doc('P0000004', 'another-move');
    await expect(downloadDocument({ ...deps, documents }, { documentId: 'd', personId: 'P0000004' })).resolves.toBe(
      answer,
    );
    await expect(
      downloadDocument({ ...deps, documents }, { documentId: 'd', personId: 'P0000001' }),
    ).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
