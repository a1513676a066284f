import mongoose from 'mongoose';
import { isTransientError } from './transient.js';

// The driver's own error classes (through mongoose, which bundles the
// driver), so the shape the classifier reads is the one services throw.
const { mongo } = mongoose;

function systemError(code: string, message = `write ${code}`): Error {
  return Object.assign(new Error(message), { code, syscall: 'write' });
}

/** A driver-internal class the driver does not export, reproduced by shape. */
class MongoPoolClearedError extends mongo.MongoNetworkError {
  override get name(): string {
    return 'MongoPoolClearedError';
  }
}

describe('isTransientError', () => {
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ECONNABORTED',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
  ])('classifies the system error %s as transient', (code) => {
    expect(isTransientError(systemError(code))).toBe(true);
  });

  it('classifies the drills’ MongoDB network errors as transient', () => {
    const reset = new mongo.MongoNetworkError('write ECONNRESET', { cause: systemError('ECONNRESET') });
    expect(isTransientError(reset)).toBe(true);
    // The driver's "connection closed" has no cause: its name alone decides.
    expect(isTransientError(new mongo.MongoNetworkError('connection 2 to 127.0.0.1:44517 closed'))).toBe(true);
    expect(isTransientError(new mongo.MongoNetworkTimeoutError('connection timed out'))).toBe(true);
    expect(isTransientError(new MongoPoolClearedError('Connection pool for 127.0.0.1:27017 was cleared'))).toBe(true);
  });

  it('classifies a server selection failure as transient, from the driver and from mongoose', () => {
    const selection = Object.assign(new Error('connection 2 to 127.0.0.1:44517 closed'), {
      name: 'MongoServerSelectionError',
    });
    expect(isTransientError(selection)).toBe(true);
    expect(isTransientError(new mongoose.Error.MongooseServerSelectionError('connect ECONNREFUSED'))).toBe(true);
  });

  it('classifies errors the driver labelled RetryableWriteError or ResetPool as transient', () => {
    const notPrimary = new mongo.MongoServerError({
      message: 'not primary',
      code: 10107,
      errorLabels: ['RetryableWriteError'],
    });
    expect(isTransientError(notPrimary)).toBe(true);
    const reset = new mongo.MongoServerError({ message: 'shutting down', code: 91 });
    reset.addErrorLabel('ResetPool');
    expect(isTransientError(reset)).toBe(true);
    // A serialised error keeps the array but loses the method.
    expect(isTransientError({ name: 'MongoServerError', errorLabels: ['RetryableWriteError'] })).toBe(true);
  });

  it('classifies mongoose’s buffering timeout as transient', () => {
    const buffering = new mongoose.Error('Operation `holders.findOneAndUpdate()` buffering timed out after 10000ms');
    expect(isTransientError(buffering)).toBe(true);
  });

  it('follows the cause chain of wrapping errors', () => {
    const inner = new mongo.MongoNetworkError('connection 2 to 127.0.0.1:44517 closed');
    const wrapped = new Error('could not update the bundle', { cause: new Error('store failed', { cause: inner }) });
    expect(isTransientError(wrapped)).toBe(true);
    expect(
      isTransientError(new Error('fetch failed', { cause: systemError('ECONNREFUSED', 'connect ECONNREFUSED') })),
    ).toBe(true);
  });

  it('looks into an AggregateError’s errors (connecting to every address of a name failed)', () => {
    const all = new AggregateError([systemError('ECONNREFUSED'), systemError('ENETUNREACH')], 'connect failed');
    expect(isTransientError(all)).toBe(true);
    expect(isTransientError(new Error('outer', { cause: all }))).toBe(true);
  });

  it('stops at a bounded depth and on cycles', () => {
    let deep: Error = systemError('ECONNRESET');
    for (let i = 0; i < 20; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(isTransientError(deep)).toBe(false);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isTransientError(a)).toBe(false);
  });

  it('does not classify validation, duplicate-key or domain errors as transient', () => {
    expect(isTransientError(new mongoose.Error.ValidationError())).toBe(false);
    expect(isTransientError(new mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 }))).toBe(
      false,
    );
    expect(isTransientError(new RangeError('no vehicle register entry for person-1'))).toBe(false);
    class BundleNotFound extends Error {
      override readonly name = 'BundleNotFound';
    }
    expect(isTransientError(new BundleNotFound('bundle-1', { cause: new Error('not in store') }))).toBe(false);
    expect(isTransientError(new mongoose.Error('Cast to ObjectId failed'))).toBe(false);
  });

  it('does not classify a message that only mentions a connection code', () => {
    expect(isTransientError(new Error('handler saw ECONNRESET in its payload'))).toBe(false);
    expect(isTransientError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
  });

  it('retries operations that met a client being replaced (service-kit closes and reopens it)', () => {
    expect(isTransientError(new mongo.MongoTopologyClosedError())).toBe(true);
    expect(isTransientError(new mongo.MongoNotConnectedError('Client must be connected'))).toBe(true);
    expect(isTransientError(new mongo.MongoClientClosedError())).toBe(true);
  });

  it.each([undefined, null, 'ECONNRESET', 42, { code: 104 }])('does not classify the non-error %p', (value) => {
    expect(isTransientError(value)).toBe(false);
  });
});
