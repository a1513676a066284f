import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The smallest gRPC service that still does what the platform's calls do:
 * protobuf decode, a handler, protobuf encode, over HTTP/2 on loopback.
 */
export const ECHO_PROTO = `
syntax = "proto3";
package buergerservice.bench.v1;

service Echo {
  rpc Echo (EchoRequest) returns (EchoReply);
}

message EchoRequest {
  string id = 1;
  bytes payload = 2;
}

message EchoReply {
  string id = 1;
  bytes payload = 2;
}
`;

export interface EchoMessage {
  id: string;
  payload: Buffer;
}

export type EchoHandler = grpc.handleUnaryCall<EchoMessage, EchoMessage>;

export interface EchoClient extends grpc.Client {
  echo(
    request: EchoMessage,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<EchoMessage>,
  ): grpc.ClientUnaryCall;
}

/** proto-loader reads files only: the inline .proto goes through a temporary file. */
function loadEcho(): grpc.ServiceClientConstructor {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-echo-'));
  const file = path.join(dir, 'echo.proto');
  try {
    fs.writeFileSync(file, ECHO_PROTO);
    const definition = protoLoader.loadSync(file, { keepCase: true, longs: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      buergerservice: { bench: { v1: { Echo: grpc.ServiceClientConstructor } } };
    };
    return loaded.buergerservice.bench.v1.Echo;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let echo: grpc.ServiceClientConstructor | undefined;

export function echoService(): grpc.ServiceClientConstructor {
  echo ??= loadEcho();
  return echo;
}

export function echoClient(address: string): EchoClient {
  const Client = echoService();
  return new Client(address, grpc.credentials.createInsecure()) as unknown as EchoClient;
}
