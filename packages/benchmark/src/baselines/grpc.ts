import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { HelperProcess, helperScript } from '../child.js';
import { ratePerSecond, type Summary, summarize } from '../stats.js';
import { type EchoClient, type EchoMessage, echoClient } from './echo-proto.js';

/** A bare @grpc/grpc-js unary call on loopback: the floor under every platform gRPC call. */
export interface GrpcBaseline {
  readonly payloadBytes: number;
  /** One call at a time. */
  readonly sequential: Summary;
  /** Calls/s with `concurrency` callers, each starting its next call when the previous one answers. */
  readonly throughput: {
    readonly concurrency: number;
    readonly seconds: number;
    readonly calls: number;
    readonly rate: number | undefined;
  };
  /** CPU seconds the echo server used in the throughput run, per call (the server side of one call). */
  readonly serverCpuMsPerCall: number | undefined;
}

export interface GrpcBaselineOptions {
  readonly calls: number;
  readonly throughputSeconds: number;
  readonly concurrency: number;
  readonly payloadBytes?: number;
  /** Passed to the echo server process (PATH, HOME). */
  readonly env: Record<string, string>;
  /** Reads the CPU seconds of a process (process-stats), to cost the server side. */
  readonly cpuSecondsOf?: (pid: number) => number | undefined;
}

function call(client: EchoClient, request: EchoMessage): Promise<EchoMessage> {
  return new Promise((resolve, reject) => {
    client.echo(request, { deadline: Date.now() + 10_000 }, (error: grpc.ServiceError | null, reply?: EchoMessage) => {
      if (error) reject(error);
      else if (!reply || reply.id !== request.id) reject(new Error('echo answered with another message'));
      else resolve(reply);
    });
  });
}

/** Runs the gRPC baseline against an echo server in its own process. */
export async function grpcBaseline(options: GrpcBaselineOptions): Promise<GrpcBaseline> {
  const payloadBytes = options.payloadBytes ?? 400;
  const server = await HelperProcess.start<{ port: number }>(
    helperScript('baselines/grpc-echo-server.js'),
    options.env,
  );
  const client = echoClient(`127.0.0.1:${server.first.port}`);
  try {
    const payload = randomBytes(payloadBytes);
    // Warm-up: connection, HTTP/2 settings, JIT of both sides.
    for (let i = 0; i < 200; i++) await call(client, { id: `w${i}`, payload });

    const sequential: number[] = [];
    for (let i = 0; i < options.calls; i++) {
      const t0 = performance.now();
      await call(client, { id: `s${i}`, payload });
      sequential.push(performance.now() - t0);
    }

    const cpuBefore = options.cpuSecondsOf?.(server.pid);
    let calls = 0;
    const started = performance.now();
    const deadline = started + options.throughputSeconds * 1000;
    const worker = async (w: number) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await call(client, { id: `t${w}-${i}`, payload });
        calls += 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = options.cpuSecondsOf?.(server.pid);
    const serverCpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
    return {
      payloadBytes,
      sequential: summarize(sequential),
      throughput: { concurrency: options.concurrency, seconds, calls, rate: ratePerSecond(calls, seconds) },
      serverCpuMsPerCall: serverCpu !== undefined && calls > 0 ? (serverCpu * 1000) / calls : undefined,
    };
  } finally {
    client.close();
    await server.stop();
  }
}
