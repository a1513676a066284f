import type { EventType } from '@buergerservice/contracts';
import type { EventMetadata } from './headers.js';

/** What a handler learns about the event besides its payload. */
export interface ConsumedEventMeta extends EventMetadata {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are int64; kafkajs gives them as strings. */
  readonly offset: string;
  readonly consumerGroup: string;
  /** 1 on the first attempt, counting up on in-process retries. */
  readonly attempt: number;
}

/**
 * What a handler may report by returning it (e.g. `return applyOnce(...)`):
 * "duplicate" is counted as such in the metrics, anything else returned
 * counts as success. A handler signals failure only by throwing.
 */
export type HandlerResult = 'applied' | 'duplicate' | 'not-found' | 'inserted';

/**
 * Returns `Promise<unknown>` so that plain `async` handlers (returning
 * nothing) and handlers returning a HandlerResult both fit.
 */
export type EventHandler<T> = (payload: T, meta: ConsumedEventMeta) => Promise<unknown>;

/**
 * A typed subscription, erased to what the consumer needs: decoding is a
 * separate step so that an undecodable payload is dead-lettered at once
 * (retrying cannot fix bytes) while a failing handler is retried.
 */
export interface Subscription {
  readonly typeName: string;
  /** Decodes the payload; throws when it is not a valid message of the type. */
  prepare(value: Uint8Array): (meta: ConsumedEventMeta) => Promise<unknown>;
}

/** Subscribes `handler` to one event type: `on(RegistrationEvents.AddressChanged, handleAddressChanged)`. */
export function on<T>(type: EventType<T>, handler: EventHandler<T>): Subscription {
  return {
    typeName: type.typeName,
    prepare(value) {
      const payload = type.codec.decode(value);
      return (meta) => handler(payload, meta);
    },
  };
}

/** Indexes subscriptions by type name; two handlers for one type in one group are a wiring mistake. */
export function routeTable(subscriptions: readonly Subscription[]): ReadonlyMap<string, Subscription> {
  const routes = new Map<string, Subscription>();
  for (const subscription of subscriptions) {
    if (routes.has(subscription.typeName)) {
      throw new Error(`more than one handler for ${subscription.typeName}; use one handler per event type`);
    }
    routes.set(subscription.typeName, subscription);
  }
  return routes;
}
