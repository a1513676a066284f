import type { IHeaders } from 'kafkajs';

/**
 * The CloudEvents Kafka binding in binary mode, as documented in
 * proto/buergerservice/events/v1/metadata.proto: the record value is the
 * protobuf-encoded event, the metadata travels in these record headers.
 */
export const CloudEventHeaders = {
  specVersion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  contentType: 'content-type',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

/** W3C Trace Context headers, carried beside the CloudEvents ones. */
export const TraceHeaderNames = { traceparent: 'traceparent', tracestate: 'tracestate' } as const;

/**
 * The metadata every domain event carries (the typed form of the proto's
 * EventMetadata, with every field required: an event without one of them is
 * malformed).
 */
export interface EventMetadata {
  /** Unique id (UUID); consumers deduplicate by it. */
  readonly id: string;
  /** Fully-qualified protobuf name of the payload. */
  readonly type: string;
  /** The producing service, e.g. "/buergerservice/registration". */
  readonly source: string;
  /** When the fact happened. */
  readonly time: Date;
  /** Person id of the citizen; also the record key. */
  readonly subject: string;
  /** The citizen's bundle. */
  readonly correlationId: string;
  /** The event or command that caused this one. */
  readonly causationId: string;
}

/** A record's headers do not describe a valid event; such a record is dead-lettered as "malformed". */
export class InvalidEventHeadersError extends Error {
  override readonly name = 'InvalidEventHeadersError';
  constructor(
    /** One line per problem, naming the header (never its value, which may be personal data). */
    readonly problems: readonly string[],
  ) {
    super(`invalid CloudEvents headers: ${problems.join('; ')}`);
  }
}

/** The record headers for an event, as strings (the binding's encoding). */
export function encodeEventHeaders(meta: EventMetadata): Record<string, string> {
  return {
    [CloudEventHeaders.specVersion]: CLOUDEVENTS_SPEC_VERSION,
    [CloudEventHeaders.id]: meta.id,
    [CloudEventHeaders.type]: meta.type,
    [CloudEventHeaders.source]: meta.source,
    [CloudEventHeaders.time]: meta.time.toISOString(),
    [CloudEventHeaders.subject]: meta.subject,
    [CloudEventHeaders.correlationId]: meta.correlationId,
    [CloudEventHeaders.causationId]: meta.causationId,
    [CloudEventHeaders.contentType]: PROTOBUF_CONTENT_TYPE,
  };
}

/**
 * A header's value as a string; undefined when absent. A header repeated with
 * different values is ambiguous and reported as a problem.
 */
export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) return raw.toString();
  const values = [...new Set(raw.map((v) => v.toString()))];
  if (values.length > 1) throw new InvalidEventHeadersError([`${name} is repeated with different values`]);
  return values[0];
}

/** All headers as strings (first value of each), e.g. to show or copy them. */
export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

// RFC 3339 date-time; Date.parse alone also accepts forms the spec does not.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp; undefined when it is not one. */
export function parseRfc3339(value: string): Date | undefined {
  if (!RFC3339.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/**
 * Reads and validates the CloudEvents metadata of a record. Throws
 * InvalidEventHeadersError listing every problem.
 */
export function decodeEventHeaders(headers: IHeaders | undefined): EventMetadata {
  const problems: string[] = [];
  const read = (name: string): string => {
    try {
      const value = headerValue(headers, name);
      if (value === undefined || value === '') problems.push(`${name} is missing`);
      return value ?? '';
    } catch (error) {
      if (error instanceof InvalidEventHeadersError) {
        problems.push(...error.problems);
        return '';
      }
      throw error;
    }
  };
  const specVersion = read(CloudEventHeaders.specVersion);
  if (specVersion && specVersion !== CLOUDEVENTS_SPEC_VERSION) {
    problems.push(`${CloudEventHeaders.specVersion} must be ${CLOUDEVENTS_SPEC_VERSION}`);
  }
  const contentType = read(CloudEventHeaders.contentType);
  if (contentType && contentType !== PROTOBUF_CONTENT_TYPE) {
    problems.push(`${CloudEventHeaders.contentType} must be ${PROTOBUF_CONTENT_TYPE}`);
  }
  const rawTime = read(CloudEventHeaders.time);
  const time = rawTime ? parseRfc3339(rawTime) : undefined;
  if (rawTime && !time) problems.push(`${CloudEventHeaders.time} is not an RFC 3339 timestamp`);
  const meta = {
    id: read(CloudEventHeaders.id),
    type: read(CloudEventHeaders.type),
    source: read(CloudEventHeaders.source),
    subject: read(CloudEventHeaders.subject),
    correlationId: read(CloudEventHeaders.correlationId),
    causationId: read(CloudEventHeaders.causationId),
  };
  if (problems.length > 0 || !time) throw new InvalidEventHeadersError(problems);
  return { ...meta, time };
}
