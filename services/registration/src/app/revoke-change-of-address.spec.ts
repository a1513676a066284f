import { RegistrationEvents } from '@buergerservice/contracts';
import { memoryDeps } from '../../test/fixtures/memory.js';
import { anna, jonas, moveRequest } from '../../test/fixtures/register.js';
import type { Move } from '../domain/move.js';
import { revokeChangeOfAddress } from './revoke-change-of-address.js';
import { submitChangeOfAddress } from './submit-change-of-address.js';

const now = new Date('2025-11-17T09:00:00Z');
const asIs = <T>(view: T) => ({ response: view, fields: [] });

async function recorded() {
  const setup = memoryDeps([anna, jonas], now);
  const { move } = await submitChangeOfAddress(
    setup.deps,
    {
      clientId: 'portal-gateway',
      idempotencyKey: 'k',
      correlationId: 'bundle-1',
      request: moveRequest({ coMovingPersonIds: [jonas.personId] }),
    },
    asIs,
  );
  return { ...setup, move };
}

describe('revoking a change of address', () => {
  it('revokes within the window and writes AddressChangeRevoked with the bundle id', async () => {
    const { deps, moves, move, clock, audit } = await recorded();
    clock.set(new Date('2025-11-18T22:59:59.999Z'));
    const revoked: Move = await revokeChangeOfAddress(
      deps,
      {
        clientId: 'portal-gateway',
        moveId: move.moveId,
        personId: anna.personId,
        reason: 'Wohnung doch nicht bezogen',
      },
      asIs,
    );
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'Wohnung doch nicht bezogen' });
    expect(moves.outbox.map((e) => [e.typeName, e.correlationId])).toEqual([
      [RegistrationEvents.AddressChanged.typeName, 'bundle-1'],
      [RegistrationEvents.AddressChangeRevoked.typeName, 'bundle-1'],
    ]);
    const payload = RegistrationEvents.AddressChangeRevoked.codec.decode(moves.outbox[1]?.payload ?? new Uint8Array());
    expect(payload).toEqual({ moveId: move.moveId, personId: 'P0000001', personIds: ['P0000001', 'P0000002'] });
    expect(audit.entries.at(-1)).toMatchObject({
      operation: 'RevokeChangeOfAddress',
      personIds: ['P0000001', 'P0000002'],
    });
  });

  it('refuses after the window', async () => {
    const { deps, move, clock, moves } = await recorded();
    clock.set(new Date('2025-11-18T23:00:00.000Z'));
    await expect(
      revokeChangeOfAddress(
        deps,
        { clientId: 'portal-gateway', moveId: move.moveId, personId: anna.personId, reason: '' },
        asIs,
      ),
    ).rejects.toMatchObject({ code: 'revocation-window-closed' });
    expect(moves.outbox).toHaveLength(1);
  });

  it('answers a repeated revocation without a second event', async () => {
    const { deps, move, moves } = await recorded();
    const command = { clientId: 'portal-gateway', moveId: move.moveId, personId: anna.personId, reason: 'x' };
    const first = await revokeChangeOfAddress(deps, command, asIs);
    const again = await revokeChangeOfAddress(deps, command, asIs);
    expect(again).toEqual(first);
    expect(moves.outbox).toHaveLength(2);
  });

  it("treats someone else's move as not found", async () => {
    const { deps, move } = await recorded();
    await expect(
      revokeChangeOfAddress(
        deps,
        { clientId: 'portal-gateway', moveId: move.moveId, personId: jonas.personId, reason: '' },
        asIs,
      ),
    ).rejects.toMatchObject({ code: 'move-not-found' });
    await expect(
      revokeChangeOfAddress(
        deps,
        { clientId: 'portal-gateway', moveId: 'nope', personId: anna.personId, reason: '' },
        asIs,
      ),
    ).rejects.toMatchObject({ code: 'move-not-found' });
  });
});
