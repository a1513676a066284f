import { RegistrationEvents, registration, Topics, VehicleEvents } from '@buergerservice/contracts';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { encodeEvent, topicOf } from './event.js';
import { outboxEntry, withOutbox } from './outbox/entry.js';

const revoked = registration.AddressChangeRevoked.fromPartial({
  moveId: 'move-1',
  personId: 'person-1',
  personIds: ['person-1', 'person-2'],
});
const meta = { subject: 'person-1', correlationId: 'bundle-1', causationId: 'request-1' };

/** Enough of a context manager for synchronous code (the SDK's uses AsyncLocalStorage). */
class StackContextManager implements ContextManager {
  private stack: Context[] = [];
  active(): Context {
    return this.stack.at(-1) ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.stack = [];
    return this;
  }
}

describe('encodeEvent', () => {
  it('encodes the payload and fills id, time and topic', () => {
    const event = encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, meta);
    expect(event.topic).toBe(Topics.registration);
    expect(event.typeName).toBe('buergerservice.registration.v1.AddressChangeRevoked');
    expect(event.key).toBe('person-1');
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.time).toBeInstanceOf(Date);
    expect(registration.AddressChangeRevoked.decode(event.payload)).toEqual(revoked);
  });

  it('keeps a given id, time and topic', () => {
    const time = new Date('2025-01-01T00:00:00Z');
    const event = encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, {
      ...meta,
      id: 'fixed',
      time,
      topic: 'other.topic',
    });
    expect(event).toMatchObject({ id: 'fixed', time, topic: 'other.topic' });
  });

  it('refuses an event without subject, correlation or causation id', () => {
    expect(() => encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, { ...meta, subject: '' })).toThrow(
      /subject/,
    );
    expect(() => encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, { ...meta, correlationId: '' })).toThrow(
      /correlationId/,
    );
    expect(() => encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, { ...meta, causationId: '' })).toThrow(
      /causationId/,
    );
  });

  it('knows the topic of every catalogued type', () => {
    expect(topicOf(VehicleEvents.VehicleHolderAddressUpdated)).toBe(Topics.vehicle);
    expect(() => topicOf({ typeName: 'x.y.Z', codec: registration.AddressChanged })).toThrow(/TopicEventTypes/);
  });

  describe('trace context', () => {
    beforeAll(() => {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      context.setGlobalContextManager(new StackContextManager());
    });
    afterAll(() => {
      propagation.disable();
      context.disable();
    });

    it('captures the active trace so the relay can continue it later', () => {
      const spanContext = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.SAMPLED,
      };
      const active = trace.setSpanContext(ROOT_CONTEXT, spanContext);
      const event = context.with(active, () => encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, meta));
      expect(event.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    });

    it('carries no trace context outside a traced operation', () => {
      const event = encodeEvent(RegistrationEvents.AddressChangeRevoked, revoked, meta);
      expect(event.traceparent).toBeUndefined();
      expect('traceparent' in event).toBe(false);
    });
  });
});

describe('outbox entries', () => {
  it('builds an entry with the payload as a Buffer for MongoDB', () => {
    const entry = outboxEntry(RegistrationEvents.AddressChangeRevoked, revoked, meta);
    expect(Buffer.isBuffer(entry.payload)).toBe(true);
    expect(registration.AddressChangeRevoked.decode(entry.payload)).toEqual(revoked);
    expect(entry).toMatchObject({
      topic: Topics.registration,
      typeName: RegistrationEvents.AddressChangeRevoked.typeName,
      key: 'person-1',
      correlationId: 'bundle-1',
      causationId: 'request-1',
    });
  });

  it('merges the push into the use case update in one write', () => {
    const first = outboxEntry(RegistrationEvents.AddressChangeRevoked, revoked, meta);
    const second = outboxEntry(RegistrationEvents.AddressChangeRevoked, revoked, meta);
    const update = withOutbox({ $set: { status: 'revoked' }, $push: { history: 'revoked' } }, first, second);
    expect(update).toEqual({
      $set: { status: 'revoked' },
      $push: { history: 'revoked', outbox: { $each: [first, second] } },
    });
  });

  it('refuses an update that already touches the outbox', () => {
    const entry = outboxEntry(RegistrationEvents.AddressChangeRevoked, revoked, meta);
    expect(() => withOutbox({ $push: { outbox: entry } }, entry)).toThrow(/already pushes/);
  });
});
