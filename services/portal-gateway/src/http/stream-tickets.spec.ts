import { StreamTickets } from './stream-tickets.js';

describe('live status stream tickets', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';

  it('name the citizen for the bundle they were issued for', async () => {
    const tickets = new StreamTickets(secret, 60);
    const { ticket, expiresAt } = await tickets.issue('P0000001', 'b-1');
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    await expect(tickets.verify(ticket, 'b-1')).resolves.toBe('P0000001');
  });

  it('are refused for another bundle, from another secret, or when tampered with', async () => {
    const tickets = new StreamTickets(secret, 60);
    const { ticket } = await tickets.issue('P0000001', 'b-1');
    await expect(tickets.verify(ticket, 'b-2')).rejects.toMatchObject({ code: 'unauthenticated' });
    await expect(new StreamTickets(undefined, 60).verify(ticket, 'b-1')).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    await expect(tickets.verify(`${ticket}x`, 'b-1')).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('expire', async () => {
    const tickets = new StreamTickets(secret, -120);
    const { ticket } = await tickets.issue('P0000001', 'b-1');
    await expect(tickets.verify(ticket, 'b-1')).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
