import * as grpc from '@grpc/grpc-js';

/** The parts of a ts-proto method definition a raw unary call needs. */
export interface UnaryMethod<Req, Res> {
  readonly path: string;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly responseDeserialize: (value: Buffer) => Res;
}

export type UnaryResult<Res> =
  | { readonly ok: true; readonly value: Res }
  | { readonly ok: false; readonly error: grpc.ServiceError };

/** One unary call; plaintext clients name themselves in `x-client-id` (mTLS clients by their certificate). */
export function unary<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  request: Req,
  clientId?: string,
): Promise<UnaryResult<Res>> {
  return new Promise((resolve) => {
    const metadata = new grpc.Metadata();
    if (clientId) metadata.set('x-client-id', clientId);
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, value) => resolve(error ? { ok: false, error } : { ok: true, value: value as Res }),
    );
  });
}
