import { buildLogger, type Logger } from '@buergerservice/telemetry';

/** A real logger whose JSON lines are kept in memory, for tests that assert on what is logged. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const logger = buildLogger({ service: 'service-kit-test', level: 'debug' }, { write: (line) => written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
