import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The compiled helper scripts the benchmark runs as child processes (dist/, also when the caller is a test). */
export function helperScript(relative: string): string {
  return path.resolve(__dirname, '..', 'dist', relative);
}

/**
 * A helper process of the benchmark (echo server, OTLP sink) that reports
 * over stdout in JSON lines. Resolves with the first line once it arrives.
 */
export class HelperProcess<First> {
  private constructor(
    readonly child: ChildProcess,
    readonly first: First,
    private readonly exited: Promise<void>,
  ) {}

  static async start<First>(
    script: string,
    env: Record<string, string>,
    onLine: (line: unknown) => void = () => undefined,
    timeoutMs = 30_000,
  ): Promise<HelperProcess<First>> {
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    const first = await new Promise<First>((resolve, reject) => {
      let pending = '';
      let resolved = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${path.basename(script)} did not start within ${timeoutMs} ms: ${stderr}`));
      }, timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() === '') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch (error) {
            clearTimeout(timer);
            reject(new Error(`${path.basename(script)} printed a line that is not JSON: ${line}`, { cause: error }));
            return;
          }
          if (!resolved) {
            resolved = true;
            clearTimeout(timer);
            resolve(parsed as First);
          } else onLine(parsed);
        }
      });
      child.once('exit', (code) => {
        if (resolved) return;
        clearTimeout(timer);
        reject(new Error(`${path.basename(script)} exited with code ${code}: ${stderr}`));
      });
    });
    return new HelperProcess(child, first, exited);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
