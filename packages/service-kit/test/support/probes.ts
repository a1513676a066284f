import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { type ChannelCredentials, Client, Metadata, type ServiceError } from '@grpc/grpc-js';

/**
 * Minimal clients for the standard health and reflection protocols, speaking
 * their wire format directly (field numbers from grpc/health/v1/health.proto
 * and grpc/reflection/v1/reflection.proto), as grpcurl and kubelet do.
 */

export type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
const healthStatuses: HealthStatus[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export function healthCheck(address: string, credentials: ChannelCredentials, service = ''): Promise<HealthStatus> {
  const client = new Client(address, credentials);
  return new Promise<HealthStatus>((resolve, reject) => {
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (s: string) => Buffer.from(new BinaryWriter().tag(1, WireType.LengthDelimited).string(s).finish()),
      (bytes: Buffer) => {
        const reader = new BinaryReader(bytes);
        let value = 0;
        while (reader.pos < reader.len) {
          const [no, type] = reader.tag();
          if (no === 1) value = reader.int32();
          else reader.skip(type);
        }
        return healthStatuses[value] ?? 'UNKNOWN';
      },
      service,
      new Metadata(),
      { deadline: Date.now() + 5_000 },
      (error: ServiceError | null, value?: HealthStatus) => {
        client.close();
        if (error) reject(error);
        else resolve(value ?? 'UNKNOWN');
      },
    );
  });
}

type ReflectionRequest = { listServices: string } | { fileContainingSymbol: string };
interface ReflectionResponse {
  services: string[];
  /** The returned files: name (FileDescriptorProto field 1) and imports (field 3). */
  files: { name: string; dependencies: string[] }[];
  errorCode: number | undefined;
}

function encodeReflectionRequest(request: ReflectionRequest): Buffer {
  const writer = new BinaryWriter();
  if ('listServices' in request) writer.tag(7, WireType.LengthDelimited).string(request.listServices);
  else writer.tag(4, WireType.LengthDelimited).string(request.fileContainingSymbol);
  return Buffer.from(writer.finish());
}

function fields(bytes: Uint8Array, visit: (no: number, reader: BinaryReader, type: WireType) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, type] = reader.tag();
    if (!visit(no, reader, type)) reader.skip(type);
  }
}

function decodeReflectionResponse(bytes: Buffer): ReflectionResponse {
  const response: ReflectionResponse = { services: [], files: [], errorCode: undefined };
  fields(bytes, (no, reader) => {
    if (no === 6) {
      // ListServiceResponse { repeated ServiceResponse service = 1 { string name = 1 } }
      fields(reader.bytes(), (n, r) => {
        if (n !== 1) return false;
        fields(r.bytes(), (m, rr) => m === 1 && response.services.push(rr.string()) > 0);
        return true;
      });
      return true;
    }
    if (no === 4) {
      // FileDescriptorResponse { repeated bytes file_descriptor_proto = 1 }
      fields(reader.bytes(), (n, r) => {
        if (n !== 1) return false;
        const file = { name: '', dependencies: [] as string[] };
        fields(r.bytes(), (m, rr) => {
          if (m === 1) file.name = rr.string();
          else if (m === 3) file.dependencies.push(rr.string());
          else return false;
          return true;
        });
        response.files.push(file);
        return true;
      });
      return true;
    }
    if (no === 7) {
      fields(reader.bytes(), (n, r) => {
        if (n !== 1) return false;
        response.errorCode = r.int32();
        return true;
      });
      return true;
    }
    return false;
  });
  return response;
}

/** Sends one request on the grpc.reflection.v1 stream and returns the answer. */
export function reflect(
  address: string,
  credentials: ChannelCredentials,
  request: ReflectionRequest,
): Promise<ReflectionResponse> {
  const client = new Client(address, credentials);
  return new Promise<ReflectionResponse>((resolve, reject) => {
    const stream = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      encodeReflectionRequest,
      decodeReflectionResponse,
      new Metadata(),
      { deadline: Date.now() + 5_000 },
    );
    stream.once('data', (response: ReflectionResponse) => {
      stream.cancel();
      client.close();
      resolve(response);
    });
    stream.once('error', (error: ServiceError) => {
      client.close();
      reject(error);
    });
    stream.write(request);
    stream.end();
  });
}
