import { RegistrationEvents } from '@buergerservice/contracts';
import { memoryDeps } from '../../test/fixtures/memory.js';
import {
  anna,
  clara,
  dresdenAddress,
  jonas,
  mehmet,
  mia,
  moveRequest,
  typedAddress,
} from '../../test/fixtures/register.js';
import { DomainError } from '../domain/errors.js';
import type { Move } from '../domain/move.js';
import { moveIdFor } from './request-identity.js';
import {
  IN_FLIGHT_SLOT_MS,
  type SubmitChangeOfAddress,
  type SubmittedMove,
  submitChangeOfAddress,
} from './submit-change-of-address.js';

const now = new Date('2025-11-17T09:00:00Z');
const asIs = (submitted: SubmittedMove) => ({ response: submitted, fields: ['move.move_id'] });

function command(overrides: Partial<SubmitChangeOfAddress> = {}): SubmitChangeOfAddress {
  return {
    clientId: 'portal-gateway',
    idempotencyKey: 'key-1',
    correlationId: 'bundle-1',
    request: moveRequest({ coMovingPersonIds: [jonas.personId, mia.personId] }),
    ...overrides,
  };
}

describe('submitting a change of address', () => {
  it('records the move, its AddressChanged event and a transmission log entry of the answer', async () => {
    const { deps, moves, audit, eventsWritten } = memoryDeps([anna, jonas, mia], now);
    const { move, replayed } = await submitChangeOfAddress(deps, command(), asIs);

    expect(replayed).toBe(false);
    expect(move.moveId).toBe(moveIdFor('portal-gateway', 'key-1'));
    expect(moves.moves.get(move.moveId)).toEqual(move);
    expect(moves.outbox.map((e) => [e.typeName, e.key, e.correlationId])).toEqual([
      [RegistrationEvents.AddressChanged.typeName, 'P0000001', 'bundle-1'],
    ]);
    expect(eventsWritten()).toBe(1);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        recipient: 'portal-gateway',
        channel: 'grpc',
        operation: 'SubmitChangeOfAddress',
        personIds: ['P0000001', 'P0000002', 'P0000003'],
        fields: ['move.move_id'],
        fileReference: move.moveId,
        hits: 1,
      }),
    ]);
  });

  it('answers a repeated request with the recorded move and writes no second event', async () => {
    const { deps, moves, clock } = memoryDeps([anna, jonas, mia], now);
    const first = await submitChangeOfAddress(deps, command(), asIs);
    clock.set(new Date(now.getTime() + 60_000));
    const again = await submitChangeOfAddress(deps, command(), asIs);
    expect(again).toEqual({ move: first.move, replayed: true });
    expect(moves.outbox).toHaveLength(1);
  });

  it('refuses the same key with a different request', async () => {
    const { deps } = memoryDeps([anna, jonas, mia], now);
    await submitChangeOfAddress(deps, command(), asIs);
    await expect(
      submitChangeOfAddress(deps, command({ request: moveRequest({ moveInDate: '2025-11-16' }) }), asIs),
    ).rejects.toMatchObject({ code: 'idempotency-key-reused' });
    await expect(submitChangeOfAddress(deps, command({ correlationId: 'other-bundle' }), asIs)).rejects.toMatchObject({
      code: 'idempotency-key-reused',
    });
  });

  it('scopes idempotency keys per client', async () => {
    const { deps } = memoryDeps([anna, mehmet], now);
    const a = await submitChangeOfAddress(deps, command({ request: moveRequest() }), asIs);
    const b = await submitChangeOfAddress(
      deps,
      command({ clientId: 'hotline-115', request: moveRequest({ personId: mehmet.personId }) }),
      asIs,
    );
    expect(a.move.moveId).not.toBe(b.move.moveId);
  });

  it('uses the move id as correlation id when the caller has no bundle', async () => {
    const { deps, moves } = memoryDeps([anna], now);
    const { move } = await submitChangeOfAddress(deps, command({ correlationId: '', request: moveRequest() }), asIs);
    expect(move.correlationId).toBe(move.moveId);
    expect(moves.outbox[0]?.correlationId).toBe(move.moveId);
  });

  it('refuses a second move of a person while the first is pending, and keeps no slot of the refused one', async () => {
    const { deps, slots } = memoryDeps([anna, jonas, mia], now);
    const first = await submitChangeOfAddress(deps, command({ request: moveRequest() }), asIs);
    const second = command({
      idempotencyKey: 'key-2',
      request: moveRequest({
        coMovingPersonIds: [jonas.personId],
        newAddress: typedAddress('Karl-Heine-Straße', '3', '04229'),
      }),
    });
    await expect(submitChangeOfAddress(deps, second, asIs)).rejects.toMatchObject({ code: 'pending-move-exists' });
    expect(slots.holders(anna.personId)).toEqual([first.move.moveId]);
    expect(slots.holders(jonas.personId)).toEqual([]);
  });

  it('refuses a move while another is being recorded for one of its persons (slot taken, move not yet written)', async () => {
    const { deps, slots } = memoryDeps([anna, jonas, mia], now);
    await slots.take({ personId: jonas.personId, seq: 1, moveId: 'in-flight', takenAt: now });
    await expect(submitChangeOfAddress(deps, command(), asIs)).rejects.toMatchObject({ code: 'pending-move-exists' });
    // The slot this attempt took for Anna is given back.
    expect(slots.holders(anna.personId)).toEqual([]);
    expect(slots.holders(jonas.personId)).toEqual(['in-flight']);
  });

  it('refuses a move that loses the race for a slot to a concurrent one', async () => {
    const { deps, slots } = memoryDeps([anna], now);
    const of = slots.of.bind(slots);
    let first = true;
    // The concurrent move takes slot 1 right after this attempt looked.
    slots.of = async (personId: string) => {
      if (first) {
        first = false;
        await slots.take({ personId, seq: 1, moveId: 'concurrent', takenAt: now });
        return [];
      }
      return of(personId);
    };
    await expect(submitChangeOfAddress(deps, command({ request: moveRequest() }), asIs)).rejects.toMatchObject({
      code: 'pending-move-exists',
    });
  });

  it('takes the next slot after an attempt that crashed before writing its move', async () => {
    const { deps, slots } = memoryDeps([anna, jonas, mia], now);
    const takenAt = new Date(now.getTime() - IN_FLIGHT_SLOT_MS - 1);
    await slots.take({ personId: anna.personId, seq: 1, moveId: 'crashed', takenAt });
    const { move } = await submitChangeOfAddress(deps, command(), asIs);
    expect(slots.holders(anna.personId)).toEqual(['crashed', move.moveId]);
  });

  it('takes the next slot after a revoked move', async () => {
    const { deps, slots, moves } = memoryDeps([anna, jonas, mia], now);
    const { move } = await submitChangeOfAddress(deps, command({ request: moveRequest() }), asIs);
    moves.moves.set(move.moveId, { ...move, status: 'revoked' } satisfies Move);
    const next = await submitChangeOfAddress(deps, command({ idempotencyKey: 'key-2', request: moveRequest() }), asIs);
    expect(next.move.moveId).not.toBe(move.moveId);
    expect(slots.holders(anna.personId)).toEqual([move.moveId, next.move.moveId]);
  });

  it('replays the move its twin recorded after this attempt looked for it (a retry after a deadline)', async () => {
    const { deps, moves } = memoryDeps([anna, jonas, mia], now);
    const findById = moves.findById.bind(moves);
    let first = true;
    // The twin (the attempt whose deadline the caller gave up on) writes the move right after this one looked.
    moves.findById = async (moveId: string) => {
      if (first) {
        first = false;
        await submitChangeOfAddress(deps, command(), asIs);
        return undefined;
      }
      return findById(moveId);
    };
    const again = await submitChangeOfAddress(deps, command(), asIs);
    expect(again.replayed).toBe(true);
    expect(again.move.moveId).toBe(moveIdFor('portal-gateway', 'key-1'));
    expect(moves.outbox).toHaveLength(1);
  });

  it('continues a retried request whose slots its twin already took', async () => {
    const { deps, slots } = memoryDeps([anna, jonas, mia], now);
    const moveId = moveIdFor('portal-gateway', 'key-1');
    await slots.take({ personId: anna.personId, seq: 1, moveId, takenAt: now });
    const { move } = await submitChangeOfAddress(deps, command(), asIs);
    expect(move.moveId).toBe(moveId);
    expect(slots.holders(anna.personId)).toEqual([moveId]);
  });

  it('publishes the notification of the previous office for a move into the city', async () => {
    const { deps, moves } = memoryDeps([clara], now);
    await submitChangeOfAddress(
      deps,
      command({
        request: moveRequest({ kind: 'into-city', personId: clara.personId, previousAddress: dresdenAddress }),
      }),
      asIs,
    );
    expect(moves.outbox.map((e) => e.typeName)).toEqual([
      RegistrationEvents.AddressChanged.typeName,
      RegistrationEvents.PreviousRegistrationOfficeNotified.typeName,
    ]);
  });

  it('records nothing when a rule is broken', async () => {
    const { deps, moves, slots, audit } = memoryDeps([anna], now);
    const error = await submitChangeOfAddress(
      deps,
      command({ request: moveRequest({ moveInDate: '2026-02-01' }) }),
      asIs,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(moves.moves.size).toBe(0);
    expect(slots.slots.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });
});
