import { registration } from '@buergerservice/contracts';
import { Metadata, status } from '@grpc/grpc-js';
import { memoryLogger } from '../test/support/memory-logger';
import { NotFoundError } from './errors';
import { type CallContext, type IncomingCall, runUnary, type UnaryHandler } from './handler';

const rpc = '/buergerservice.registration.v1.RegistrationService/GetPerson';
const policy = {
  'portal-gateway': { rpcs: '*' as const },
  jobcenter: { rpcs: ['GetPerson'], fields: { GetPerson: ['person.person_id'] } },
};

function incoming(overrides: Partial<IncomingCall<registration.GetPersonRequest>> = {}) {
  const cancelListeners: (() => void)[] = [];
  const call: IncomingCall<registration.GetPersonRequest> = {
    rpc,
    request: registration.GetPersonRequest.fromPartial({ personId: 'p-1' }),
    deadline: Number.POSITIVE_INFINITY,
    metadata: new Metadata(),
    clientId: 'portal-gateway',
    onCancelled: (listener) => cancelListeners.push(listener),
    ...overrides,
  };
  const cancel = () => {
    for (const listener of cancelListeners) listener();
  };
  return { call, cancel };
}

const person = registration.GetPersonResponse.fromPartial({ person: { personId: 'p-1', dateOfBirth: '1980-01-01' } });

describe('runUnary', () => {
  it('passes request and context to the handler and returns its response', async () => {
    const { logger } = memoryLogger();
    const deadline = new Date(Date.now() + 60_000);
    let seen: CallContext | undefined;
    const handler: UnaryHandler<registration.GetPersonRequest, registration.GetPersonResponse> = async (req, ctx) => {
      seen = ctx;
      expect(req.personId).toBe('p-1');
      return person;
    };
    const outcome = await runUnary(handler, incoming({ deadline }).call, { policy, logger });
    expect(outcome).toEqual({ ok: true, response: person });
    expect(seen?.clientId).toBe('portal-gateway');
    expect(seen?.rpc).toBe(rpc);
    expect(seen?.deadline).toEqual(deadline);
    expect(seen?.allowedFields).toBeUndefined();
    expect(seen?.signal.aborted).toBe(false);
  });

  it('answers DEADLINE_EXCEEDED without calling the handler when the deadline has passed', async () => {
    const { logger } = memoryLogger();
    let called = false;
    const outcome = await runUnary(
      async () => {
        called = true;
        return person;
      },
      incoming({ deadline: Date.now() - 1 }).call,
      { policy, logger },
    );
    expect(called).toBe(false);
    expect(outcome).toMatchObject({ ok: false, status: { code: status.DEADLINE_EXCEEDED } });
  });

  it('refuses callers without identity, unknown callers and RPCs not granted, before the handler', async () => {
    const { logger } = memoryLogger();
    let calls = 0;
    const handler = async () => {
      calls++;
      return person;
    };
    const none = await runUnary(handler, incoming({ clientId: undefined }).call, { policy, logger });
    const unknown = await runUnary(handler, incoming({ clientId: 'tax-office' }).call, { policy, logger });
    const notGranted = await runUnary(
      handler,
      incoming({ clientId: 'jobcenter', rpc: '/buergerservice.registration.v1.RegistrationService/GetMove' }).call,
      { policy, logger },
    );
    expect(none).toMatchObject({ ok: false, status: { code: status.UNAUTHENTICATED } });
    expect(unknown).toMatchObject({ ok: false, status: { code: status.PERMISSION_DENIED } });
    expect(notGranted).toMatchObject({ ok: false, status: { code: status.PERMISSION_DENIED } });
    expect(calls).toBe(0);
  });

  it('aborts the signal when the call is cancelled', async () => {
    const { logger, lines } = memoryLogger();
    const { call, cancel } = incoming();
    let signal: AbortSignal | undefined;
    const outcome = runUnary(
      (_req, ctx) => {
        signal = ctx.signal;
        return new Promise<registration.GetPersonResponse>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
          cancel();
        });
      },
      call,
      { policy, logger },
    );
    expect(await outcome).toMatchObject({ ok: false, status: { code: status.CANCELLED } });
    expect(signal?.aborted).toBe(true);
    expect(lines().some((l) => l.level === 'error')).toBe(false);
  });

  it('aborts the signal at the deadline', async () => {
    const { logger } = memoryLogger();
    const outcome = await runUnary(
      (_req, ctx) =>
        new Promise<registration.GetPersonResponse>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
      incoming({ deadline: Date.now() + 50 }).call,
      { policy, logger },
    );
    expect(outcome).toMatchObject({ ok: false, status: { code: status.CANCELLED } });
  });

  it('maps thrown errors through the service mapper', async () => {
    const { logger } = memoryLogger();
    class PersonUnknown extends Error {}
    const outcome = await runUnary(
      async () => {
        throw new PersonUnknown('p-1');
      },
      incoming().call,
      {
        policy,
        logger,
        mapError: (e) => (e instanceof PersonUnknown ? new NotFoundError('person not found', { cause: e }) : undefined),
      },
    );
    expect(outcome).toMatchObject({ ok: false, status: { code: status.NOT_FOUND, details: 'person not found' } });
  });

  it("applies the client's field allowlist through ctx.restrictFields", async () => {
    const { logger } = memoryLogger();
    const outcome = await runUnary(
      async (_req, ctx) => ctx.restrictFields(registration.GetPersonResponse, person),
      incoming({ clientId: 'jobcenter' }).call,
      { policy, logger },
    );
    expect(outcome).toEqual({
      ok: true,
      response: registration.GetPersonResponse.fromPartial({ person: { personId: 'p-1' } }),
    });
  });

  it('withholds the response when a handler ignores an allowlist the policy sets (fails closed)', async () => {
    const { logger, lines } = memoryLogger();
    const outcome = await runUnary(async () => person, incoming({ clientId: 'jobcenter' }).call, { policy, logger });
    expect(outcome).toMatchObject({ ok: false, status: { code: status.INTERNAL, details: 'internal error' } });
    expect(lines().some((l) => l.msg === 'handler did not apply the field allowlist; response withheld')).toBe(true);
  });
});
