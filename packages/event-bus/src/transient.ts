/**
 * Whether a handler failure says "the infrastructure is unreachable right
 * now" rather than anything about the event. Such failures are retried
 * without spending the event's dead-letter attempts (see retry.ts): a
 * database outage is not a property of the event, and dead-lettering events
 * that would succeed seconds later loses them (found by the drills: an 8 s
 * database connection reset dead-lettered three of the gateway's events).
 *
 * Classified by shape, not by class: event-bus must not import the MongoDB
 * driver's classes (a service may load another copy of the driver than this
 * package would, and `instanceof` across copies is false).
 */
export type TransientErrorClassifier = (error: unknown) => boolean;

/** Node system error codes of a connection that failed or broke, or a name that did not resolve. */
const TRANSIENT_SYSTEM_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * MongoDB driver (and mongoose) errors by name.
 *
 * MongoTopologyClosedError, MongoClientClosedError and MongoNotConnectedError
 * are included: they mean this process closed (or has not yet reopened) its
 * client, and a service closes its client while running only to replace it
 * (service-kit's Database watchdog, when the driver's server monitoring hung;
 * seen in the db-restart drill). Operations in flight at that moment fail
 * with these errors and succeed on the new client a moment later. At shutdown
 * the consumer stops before the client closes, so it abandons rather than
 * retries; and the transient budget bounds the rest.
 *
 * Deliberately missing: MongoServerClosedError and MongoPoolClosedError
 * (internal to the driver); MongoOperationTimeoutError (only with the
 * driver's `timeoutMS`) and MongoWaitQueueTimeoutError say "slow or
 * overloaded", not "unreachable", and are left to the ordinary attempts.
 */
const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoNotConnectedError',
  // mongoose's wrapper of a server selection failure (initial connect).
  'MongooseServerSelectionError',
]);

/** Labels the driver puts on errors it would itself retry after reconnecting. */
const TRANSIENT_ERROR_LABELS: readonly string[] = ['RetryableWriteError', 'ResetPool'];

/**
 * mongoose with `bufferCommands` on queues operations while disconnected and
 * fails them after `bufferTimeoutMS` with this message (a plain MongooseError).
 */
const MONGOOSE_BUFFERING_TIMEOUT = /buffering timed out/;

/** How deep `cause` / `errors` chains are followed; real wrappers nest two or three levels. */
const MAX_DEPTH = 8;

/**
 * True when `error`, or an error in its `cause` chain or among an
 * AggregateError's `errors`, is a connection-level failure: a Node system
 * error with a connection code, a MongoDB network / server-selection /
 * cleared-pool error, an error the driver labelled `RetryableWriteError` or
 * `ResetPool`, or mongoose's "buffering timed out". An error whose cause is
 * such a failure counts as it (the wrapper only reports it); validation,
 * duplicate-key and domain errors without such a cause are not transient.
 */
export function isTransientError(error: unknown): boolean {
  const seen = new Set<object>();
  const visit = (candidate: unknown, depth: number): boolean => {
    if (depth > MAX_DEPTH || typeof candidate !== 'object' || candidate === null || seen.has(candidate)) return false;
    seen.add(candidate);
    if (isTransientItself(candidate)) return true;
    if ('cause' in candidate && visit(candidate.cause, depth + 1)) return true;
    if (candidate instanceof AggregateError && Array.isArray(candidate.errors)) {
      for (const inner of candidate.errors) if (visit(inner, depth + 1)) return true;
    }
    return false;
  };
  return visit(error, 0);
}

function isTransientItself(candidate: object): boolean {
  const code = 'code' in candidate ? candidate.code : undefined;
  if (typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code)) return true;
  const name = 'name' in candidate ? candidate.name : undefined;
  if (typeof name === 'string' && TRANSIENT_ERROR_NAMES.has(name)) return true;
  if (hasTransientLabel(candidate)) return true;
  const message = 'message' in candidate ? candidate.message : undefined;
  return name === 'MongooseError' && typeof message === 'string' && MONGOOSE_BUFFERING_TIMEOUT.test(message);
}

function hasTransientLabel(candidate: object): boolean {
  // Driver errors expose both; a plain object from a serialised error may carry only the array.
  if ('hasErrorLabel' in candidate && typeof candidate.hasErrorLabel === 'function') {
    const has = candidate.hasErrorLabel as (label: string) => unknown;
    if (TRANSIENT_ERROR_LABELS.some((label) => has.call(candidate, label) === true)) return true;
  }
  const labels = 'errorLabels' in candidate ? candidate.errorLabels : undefined;
  return (
    Array.isArray(labels) &&
    labels.some((label: unknown) => typeof label === 'string' && TRANSIENT_ERROR_LABELS.includes(label))
  );
}
