import { memoryDeps } from '../../test/fixtures/memory.js';
import { anna, cityAddress, jonas, moveRequest, muellerHome } from '../../test/fixtures/register.js';
import { getMove } from './get-move.js';
import { getPerson } from './get-person.js';
import { getResidence } from './get-residence.js';
import { listMoves } from './list-moves.js';
import { submitChangeOfAddress } from './submit-change-of-address.js';

const now = new Date('2025-11-17T09:00:00Z');
const access = { fileReference: 'AZ-1', purpose: 'Halteranschrift prüfen', actingUserId: 'clerk-7' };
const vehicle = { clientId: 'vehicle', access };

async function withMove(moveInDate = '2025-11-15') {
  const setup = memoryDeps([anna, jonas], now);
  const { move } = await submitChangeOfAddress(
    setup.deps,
    {
      clientId: 'portal-gateway',
      idempotencyKey: 'k',
      correlationId: 'b',
      request: moveRequest({ coMovingPersonIds: ['P0000002'], moveInDate }),
    },
    (v) => ({ response: v, fields: [] }),
  );
  setup.audit.entries.length = 0;
  return { ...setup, move };
}

describe('reads, each logged as a transmission (BMG §40)', () => {
  it('GetPerson: today’s residences after a move, logged with the fields the client received', async () => {
    const { deps, audit } = await withMove();
    const view = await getPerson(deps, { personId: 'P0000002', recipient: vehicle }, (v) => ({
      response: v,
      fields: ['person.main_residence.address.street'],
    }));
    expect(view.current.main?.address).toEqual(cityAddress('02001', '7'));
    expect(audit.entries).toEqual([
      expect.objectContaining({
        recipient: 'vehicle',
        channel: 'grpc',
        operation: 'GetPerson',
        fields: ['person.main_residence.address.street'],
        personIds: ['P0000002'],
        fileReference: 'AZ-1',
        purpose: 'Halteranschrift prüfen',
        actingUserId: 'clerk-7',
        hits: 1,
      }),
    ]);
  });

  it('GetPerson: an unknown person is logged with no hits and reported as not found', async () => {
    const { deps, audit } = await withMove();
    await expect(
      getPerson(deps, { personId: 'P9', recipient: vehicle }, (v) => ({ response: v, fields: [] })),
    ).rejects.toMatchObject({
      code: 'person-not-found',
    });
    expect(audit.entries).toEqual([
      expect.objectContaining({ operation: 'GetPerson', hits: 0, personIds: [], fields: [] }),
    ]);
  });

  it('GetResidence: answers for today and for a day in the past', async () => {
    const { deps, audit } = await withMove();
    const present = <T>(v: T) => ({ response: v, fields: ['main_residence.address'] });
    expect((await getResidence(deps, { personId: 'P0000001', recipient: vehicle }, present)).main?.address).toEqual(
      cityAddress('02001', '7'),
    );
    const before = await getResidence(deps, { personId: 'P0000001', asOf: '2025-11-14', recipient: vehicle }, present);
    expect(before.main).toMatchObject({ address: muellerHome, validUntil: '2025-11-14' });
    expect(audit.entries.map((e) => e.operation)).toEqual(['GetResidence', 'GetResidence']);
  });

  it('GetResidence: a move registered ahead of moving in is not yet the residence', async () => {
    const { deps } = await withMove('2025-11-20');
    const today = await getResidence(deps, { personId: 'P0000001', recipient: vehicle }, (v) => ({
      response: v,
      fields: [],
    }));
    expect(today.main?.address).toEqual(muellerHome);
  });

  it('GetMove and ListMoves: logged with everyone the moves cover', async () => {
    const { deps, audit, move } = await withMove();
    await getMove(deps, { moveId: move.moveId, recipient: vehicle }, (v) => ({
      response: v,
      fields: ['move.move_id'],
    }));
    const page = await listMoves(deps, { personId: 'P0000002', pageSize: 20, recipient: vehicle }, (v) => ({
      response: v,
      fields: [],
    }));
    expect(page.moves.map((m) => m.moveId)).toEqual([move.moveId]);
    expect(audit.entries.map((e) => [e.operation, e.personIds, e.hits])).toEqual([
      ['GetMove', ['P0000001', 'P0000002'], 1],
      ['ListMoves', ['P0000001', 'P0000002'], 1],
    ]);
    await expect(
      getMove(deps, { moveId: 'nope', recipient: vehicle }, (v) => ({ response: v, fields: [] })),
    ).rejects.toMatchObject({
      code: 'move-not-found',
    });
    expect(audit.entries.at(-1)).toMatchObject({ operation: 'GetMove', hits: 0 });
  });

  it('sends nothing when the log entry cannot be written', async () => {
    const { deps, audit } = await withMove();
    audit.append = async () => {
      throw new Error('database down');
    };
    await expect(
      getPerson(deps, { personId: 'P0000001', recipient: vehicle }, (v) => ({ response: v, fields: [] })),
    ).rejects.toThrow('database down');
  });
});
