import type { Logger } from '@buergerservice/telemetry';
import { type LogEntry, logLevel } from 'kafkajs';

/**
 * Routes kafkajs's own log lines into the structured logger. kafkajs "info"
 * is chatty (every join and rebalance), so it goes to debug; its errors stay
 * errors. kafkajs never logs record values, so no personal data passes here.
 */
export function kafkaLogCreator(logger: Logger) {
  return (_level: logLevel) =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
      const fields = { kafkajs: namespace, ...extra };
      switch (level) {
        case logLevel.ERROR:
          logger.error(fields, message);
          break;
        case logLevel.WARN:
          logger.warn(fields, message);
          break;
        case logLevel.INFO:
          logger.debug(fields, message);
          break;
        default:
          logger.trace(fields, message);
      }
    };
}
