import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WaitAborted, waitUntil } from './wait.js';

export interface ServiceProcessOptions {
  /** A name for logs, e.g. "registration". */
  name: string;
  /** The service's built entry point, e.g. services/registration/dist/main.js. */
  entry: string;
  /** Environment on top of a minimal base (PATH, HOME). The parent's environment is NOT inherited. */
  env: Record<string, string>;
  /** Extra node arguments placed before the entry, e.g. ['--require', '@buergerservice/telemetry/register']. */
  nodeArgs?: string[];
  /** Working directory; defaults to the entry's package folder. */
  cwd?: string;
  /** A line on stdout that says the process is ready; defaults to a JSON log line with msg "ready". */
  readyPattern?: RegExp;
  readyTimeoutMs?: number;
}

/**
 * A service started as a real child process, as in production: its own
 * Node process with its own telemetry. Its output goes to a log file (see
 * `logFile`) and is kept in memory for assertions.
 */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly options: ServiceProcessOptions) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `svc-${options.name}-`));
    this.logFile = path.join(dir, 'output.log');
  }

  /** Starts the process and waits until it reports ready. */
  async start(): Promise<this> {
    const { options } = this;
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry], {
      cwd: options.cwd ?? path.dirname(path.dirname(options.entry)),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let pending = '';
    const collect = (chunk: Buffer) => {
      log.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      this.output.push(...lines);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void this.exited.then((code) => {
      exitCode = code;
    });
    const ready = options.readyPattern ?? /"msg":"ready"/;
    await waitUntil(
      () => {
        if (exitCode !== undefined) {
          throw new WaitAborted(`${options.name} exited with code ${exitCode}:\n${this.tail()}`);
        }
        return this.output.some((line) => ready.test(line));
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, message: `${options.name} ready (log: ${this.logFile})` },
    ).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    return this;
  }

  /** The last lines of output, for error messages. */
  tail(lines = 30): string {
    return this.output.slice(-lines).join('\n');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends a signal and waits for the exit (SIGTERM: graceful; SIGKILL: a crash). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process hard and starts it again with the same options. */
  async crashAndRestart(): Promise<this> {
    await this.stop('SIGKILL');
    this.output.length = 0;
    return this.start();
  }
}
