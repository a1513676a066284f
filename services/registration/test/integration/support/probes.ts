import { type ChannelCredentials, Client, Metadata, type ServiceError } from '@grpc/grpc-js';

/**
 * Minimal clients of the standard gRPC health and reflection protocols,
 * speaking their wire format directly (as kubelet and grpcurl do), so the
 * test does not depend on the server's own libraries.
 */

function lengthDelimited(field: number, value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(bytes.length), bytes]);
}

function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** Walks the fields of a protobuf message: (field number, wire type, value). */
function* fields(bytes: Buffer): Generator<[number, number, number | Buffer]> {
  let pos = 0;
  const readVarint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++] ?? 0;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const tag = readVarint();
    const type = tag & 7;
    if (type === 0) yield [tag >>> 3, type, readVarint()];
    else if (type === 2) {
      const length = readVarint();
      yield [tag >>> 3, type, bytes.subarray(pos, pos + length)];
      pos += length;
    } else throw new Error(`unexpected wire type ${type}`);
  }
}

const STATUSES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

export function healthCheck(address: string, credentials: ChannelCredentials, service = ''): Promise<string> {
  const client = new Client(address, credentials);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (s: string) => (s === '' ? Buffer.alloc(0) : lengthDelimited(1, s)),
      (bytes: Buffer) => {
        for (const [no, , value] of fields(bytes))
          if (no === 1 && typeof value === 'number') return STATUSES[value] ?? 'UNKNOWN';
        return 'UNKNOWN';
      },
      service,
      new Metadata(),
      { deadline: Date.now() + 5_000 },
      (error: ServiceError | null, status?: string) => {
        client.close();
        if (error) reject(error);
        else resolve(status ?? 'UNKNOWN');
      },
    );
  });
}

/** The services the server lists through grpc.reflection.v1. */
export function listServices(address: string, credentials: ChannelCredentials): Promise<string[]> {
  const client = new Client(address, credentials);
  return new Promise((resolve, reject) => {
    const stream = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (request: string) => lengthDelimited(7, request),
      (bytes: Buffer) => {
        const names: string[] = [];
        for (const [no, , list] of fields(bytes)) {
          if (no !== 6 || !Buffer.isBuffer(list)) continue;
          for (const [n, , service] of fields(list)) {
            if (n !== 1 || !Buffer.isBuffer(service)) continue;
            for (const [m, , name] of fields(service))
              if (m === 1 && Buffer.isBuffer(name)) names.push(name.toString('utf8'));
          }
        }
        return names;
      },
      new Metadata(),
      { deadline: Date.now() + 5_000 },
    );
    stream.once('data', (names: string[]) => {
      stream.cancel();
      client.close();
      resolve(names);
    });
    stream.once('error', (error: ServiceError) => {
      client.close();
      reject(error);
    });
    stream.write('*');
    stream.end();
  });
}
