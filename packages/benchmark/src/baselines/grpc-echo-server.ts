import * as grpc from '@grpc/grpc-js';
import { type EchoHandler, echoService } from './echo-proto.js';

/**
 * The echo server of the gRPC baseline, run as its own process (as every
 * platform service is), so client and server do not share one event loop.
 * Prints {"port":N} when listening; stops on SIGTERM.
 */
function main(): void {
  const server = new grpc.Server();
  const echo: EchoHandler = (call, callback) => {
    callback(null, { id: call.request.id, payload: call.request.payload });
  };
  server.addService(echoService().service, { echo });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      process.stderr.write(`echo server failed to bind: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
  process.once('SIGTERM', () => {
    server.tryShutdown(() => process.exit(0));
  });
}

main();
