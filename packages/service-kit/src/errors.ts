import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import type { Logger } from '@buergerservice/telemetry';
import {
  BAD_REQUEST_TYPE_URL,
  decodeBadRequest,
  decodeRpcStatus,
  encodeBadRequest,
  encodeRpcStatus,
  type FieldViolation,
  STATUS_DETAILS_KEY,
} from './status-details.js';

/**
 * The one place where everything a handler throws becomes a gRPC status.
 *
 * Handlers and error mappers throw (or return) the errors below; each carries
 * its status code. Anything else is a bug or an outage: the caller gets
 * INTERNAL with a generic message, the cause goes to the log only.
 */

/** Readable copy of the field violations (JSON, ASCII-only) for clients without a google.rpc decoder. */
export const FIELD_VIOLATIONS_KEY = 'x-field-violations';

/** Base of the errors the kit turns into a status. The message is sent to the caller: no internals, no personal data. */
export abstract class RpcError extends Error {
  abstract readonly code: status;
}

/** INVALID_ARGUMENT, with every bad field as a google.rpc.BadRequest field violation. */
export class ValidationError extends RpcError {
  override readonly name = 'ValidationError';
  override readonly code = status.INVALID_ARGUMENT;
  readonly violations: readonly FieldViolation[];

  constructor(violations: readonly FieldViolation[], options?: ErrorOptions) {
    const list = violations.map((v) => `${v.field}: ${v.description}`).join('; ');
    super(`invalid request: ${list}`, options);
    this.violations = violations;
  }
}

/** NOT_FOUND: the addressed resource does not exist (or the caller may not know that it does). */
export class NotFoundError extends RpcError {
  override readonly name = 'NotFoundError';
  override readonly code = status.NOT_FOUND;
}

/** FAILED_PRECONDITION: the request is well-formed but the system's state forbids it (e.g. revocation window closed). */
export class PreconditionError extends RpcError {
  override readonly name = 'PreconditionError';
  override readonly code = status.FAILED_PRECONDITION;
}

/** ALREADY_EXISTS: conflicts with existing state (e.g. an idempotency key reused with a different request). */
export class ConflictError extends RpcError {
  override readonly name = 'ConflictError';
  override readonly code = status.ALREADY_EXISTS;
}

/** PERMISSION_DENIED: the caller is known but not allowed this. */
export class PermissionDeniedError extends RpcError {
  override readonly name = 'PermissionDeniedError';
  override readonly code = status.PERMISSION_DENIED;
}

/** UNAUTHENTICATED: the caller could not be identified. */
export class UnauthenticatedError extends RpcError {
  override readonly name = 'UnauthenticatedError';
  override readonly code = status.UNAUTHENTICATED;
}

/** UNAVAILABLE: a dependency (e.g. the database) is down for now; the caller may retry an idempotent call. */
export class UnavailableError extends RpcError {
  override readonly name = 'UnavailableError';
  override readonly code = status.UNAVAILABLE;
}

/**
 * Maps a service's own errors (its DomainError types) to kit errors. Return
 * undefined for errors it does not know: they become INTERNAL. Keep the
 * original as `cause` so the log still shows it.
 */
export type ErrorMapper = (error: unknown) => RpcError | undefined;

export const INTERNAL_MESSAGE = 'internal error';

/** The status sent for a kit error, with the field violations in the trailers for a ValidationError. */
export function statusOf(error: RpcError): StatusObject {
  const metadata = new Metadata();
  if (error instanceof ValidationError) {
    const details = encodeRpcStatus({
      code: error.code,
      message: error.message,
      details: [{ typeUrl: BAD_REQUEST_TYPE_URL, value: encodeBadRequest(error.violations) }],
    });
    metadata.set(STATUS_DETAILS_KEY, Buffer.from(details));
    metadata.set(FIELD_VIOLATIONS_KEY, asciiJson(error.violations));
  }
  return { code: error.code, details: error.message, metadata };
}

/**
 * Turns anything a handler threw into the status for the caller, and logs
 * what the caller does not see. `rpc` is the method path, for the log.
 */
export function errorToStatus(
  error: unknown,
  options: { mapError?: ErrorMapper; logger: Logger; rpc: string },
): StatusObject {
  const { logger, rpc } = options;
  let mapped: RpcError | undefined;
  try {
    mapped = error instanceof RpcError ? error : options.mapError?.(error);
  } catch (mapperFailure) {
    logger.error({ err: mapperFailure, rpc }, 'error mapper failed');
  }
  if (mapped) {
    logger.info({ rpc, code: status[mapped.code], err: mapped }, 'rpc rejected');
    return statusOf(mapped);
  }
  logger.error({ rpc, err: error }, 'rpc failed with an unexpected error');
  return { code: status.INTERNAL, details: INTERNAL_MESSAGE, metadata: new Metadata() };
}

/**
 * Reads the field violations of an INVALID_ARGUMENT error on the client side:
 * from the standard google.rpc.BadRequest detail, or else from the readable
 * `x-field-violations` entry. Empty when the error carries none.
 */
export function readFieldViolations(error: { metadata?: Metadata | undefined }): FieldViolation[] {
  const metadata = error.metadata;
  if (!metadata) return [];
  const [details] = metadata.get(STATUS_DETAILS_KEY);
  if (details instanceof Buffer) {
    const rpcStatus = decodeRpcStatus(details);
    return rpcStatus.details
      .filter((d) => d.typeUrl === BAD_REQUEST_TYPE_URL)
      .flatMap((d) => decodeBadRequest(d.value));
  }
  const [readable] = metadata.get(FIELD_VIOLATIONS_KEY);
  if (typeof readable === 'string') return parseViolationsJson(readable);
  return [];
}

function parseViolationsJson(text: string): FieldViolation[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { field, description } = entry as { field?: unknown; description?: unknown };
    return typeof field === 'string' && typeof description === 'string' ? [{ field, description }] : [];
  });
}

/** JSON with every non-ASCII character escaped: plain metadata values must be printable ASCII. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
