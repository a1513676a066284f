import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { type ConsumedEventMeta, on, routeTable } from './subscription.js';

const meta: ConsumedEventMeta = {
  id: 'e-1',
  type: RegistrationEvents.AddressChangeRevoked.typeName,
  source: '/buergerservice/registration',
  time: new Date(),
  subject: 'person-1',
  correlationId: 'bundle-1',
  causationId: 'request-1',
  topic: 'registration.events.v1',
  partition: 0,
  offset: '0',
  consumerGroup: 'vehicle',
  attempt: 1,
};

describe('subscriptions', () => {
  it('decodes the payload and hands it to the typed handler', async () => {
    const seen: registration.AddressChangeRevoked[] = [];
    const subscription = on(RegistrationEvents.AddressChangeRevoked, async (payload) => {
      seen.push(payload);
    });
    const payload = registration.AddressChangeRevoked.fromPartial({ moveId: 'm-1', personId: 'person-1' });
    const bytes = registration.AddressChangeRevoked.encode(payload).finish();
    await subscription.prepare(bytes)(meta);
    expect(seen).toEqual([payload]);
  });

  it('fails to prepare bytes that are not the message', () => {
    const subscription = on(RegistrationEvents.AddressChangeRevoked, async () => undefined);
    // Field 1, length-delimited, claims 255 bytes that are not there.
    expect(() => subscription.prepare(Uint8Array.from([0x0a, 0xff, 0x01]))).toThrow();
  });

  it('refuses two handlers for one type', () => {
    const handler = async () => undefined;
    expect(() =>
      routeTable([on(RegistrationEvents.AddressChanged, handler), on(RegistrationEvents.AddressChanged, handler)]),
    ).toThrow(/more than one handler/);
  });
});
