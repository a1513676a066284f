import { execFile } from 'node:child_process';
import path from 'node:path';
import { type RunningPlatform, startPlatform } from './harness.js';

/**
 * The portal's HTTP API fuzzed from its own OpenAPI document by Schemathesis
 * (src/schemathesis.sh installs it into a venv): no 5xx, and every response
 * in the documented content type (errors: application/problem+json).
 */
describe('Schemathesis against the portal gateway', () => {
  let running: RunningPlatform;

  beforeAll(async () => {
    running = await startPlatform({ persons: 30, vehicles: 15 });
  }, 300_000);

  afterAll(async () => {
    await running?.stop();
  }, 60_000);

  it('finds no server error and no undocumented content type', async () => {
    const token = await running.issuer.token('P0000001');
    const script = path.resolve(__dirname, '..', '..', 'src', 'schemathesis.sh');
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'bash',
        [script, '--max-examples', '15'],
        {
          env: {
            PATH: '/usr/local/bin:/usr/bin:/bin',
            HOME: '/tmp',
            BASE_URL: running.platform.gatewayUrl,
            TOKEN: token,
          },
          timeout: 540_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, output: `${stdout}\n${stderr}` });
          process.stderr.write(`${stdout.slice(-2_500)}\n`);
        },
      );
    });
    // A run that tested nothing must not pass (e.g. the document failed to load).
    const generated = Number(/(\d+) generated/.exec(result.output)?.[1] ?? 0);
    expect({ generated: generated > 0, tail: generated > 0 ? '' : result.output.slice(-3_000) }).toEqual({
      generated: true,
      tail: '',
    });
    // On failure the summary names the operation, the check and a curl line to reproduce.
    expect({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-6_000) }).toEqual({
      code: 0,
      tail: '',
    });
  }, 600_000);
});
