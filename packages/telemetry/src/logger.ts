import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { loggerDefaults } from './config.js';

export type { Logger };

/**
 * Field names that may carry personal data. Pino replaces their values with
 * "[redacted]" wherever they appear one or two levels deep, as a safety net:
 * code should not log personal data in the first place (log ids, not names).
 */
export const personalDataFields = [
  'name',
  'familyName',
  'givenNames',
  'family_name',
  'given_names',
  'dateOfBirth',
  'date_of_birth',
  'address',
  'newAddress',
  'previousAddress',
  'holderAddress',
  'street',
  'houseNumber',
  'houseNumberSuffix',
  'house_number',
  'house_number_suffix',
  'addressAddition',
  'address_addition',
  'doctoralDegree',
  'doctoral_degree',
  'religiousAffiliation',
  'religious_affiliation',
  'nationalities',
  // Plates and VINs identify a vehicle holder as surely as a name does.
  'plate',
  'vehiclePlates',
  'vehicle_plates',
  'vin',
  'email',
  'phone',
  // Secrets that let whoever reads the log act for the citizen.
  'bookingCode',
  'booking_code',
  'verificationCode',
  'verification_code',
  'invitationCode',
  'invitation_code',
  'authorization',
  'cookie',
  'password',
  'token',
] as const;

const redactPaths = personalDataFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/**
 * Builds a structured JSON logger. Every line carries the service name and,
 * inside a traced operation, `trace_id` and `span_id`, so Grafana can jump
 * from a trace to its logs.
 */
export function buildLogger(options: { service: string; level?: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
    },
    destination,
  );
}

let root: Logger | undefined;

/**
 * The process-wide logger. Until `configureRootLogger` runs (startTelemetry
 * calls it) service name and level come from OTEL_SERVICE_NAME and LOG_LEVEL
 * leniently, so that even an invalid configuration can be reported.
 */
export function rootLogger(): Logger {
  root ??= buildLogger(loggerDefaults());
  return root;
}

/** Replaces the process-wide logger; loggers made by `createLogger` afterwards use it. */
export function configureRootLogger(
  options: { service: string; level?: string },
  destination?: DestinationStream,
): Logger {
  root = buildLogger(options, destination);
  return root;
}

/** A child logger for one component, e.g. `createLogger('outbox-relay')`. */
export function createLogger(component: string): Logger {
  return rootLogger().child({ component });
}
