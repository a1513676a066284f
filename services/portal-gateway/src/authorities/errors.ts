import { isServiceError, readFieldViolations } from '@buergerservice/service-kit';
import { status } from '@grpc/grpc-js';
import { AppError, type Violation } from '../app/errors.js';

/** How a field path of an RPC (proto names, snake_case) is named in the citizen's request (a JSON pointer). */
export type FieldMapping = (protoPath: string) => string;

function camel(token: string): string {
  return token.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "follow_ups.vehicle_plates[1]" -> ["follow_ups", "vehicle_plates", "1"]. */
export function pathTokens(protoPath: string): string[] {
  return protoPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((t) => t.length > 0);
}

/**
 * A field mapping from a table of proto path prefixes to pointer prefixes;
 * the rest of the path is camel-cased. Paths matching no prefix are camel-cased whole.
 * Example: `{ 'new_address': '/move/newAddress' }` maps "new_address.postal_code" to "/move/newAddress/postalCode".
 */
export function prefixMapping(table: Readonly<Record<string, string>>): FieldMapping {
  const entries = Object.entries(table)
    .map(([proto, pointer]) => ({ tokens: pathTokens(proto).map(camel), pointer }))
    .sort((a, b) => b.tokens.length - a.tokens.length);
  return (protoPath) => {
    const tokens = pathTokens(protoPath).map(camel);
    for (const { tokens: prefix, pointer } of entries) {
      if (prefix.every((t, i) => tokens[i] === t)) {
        const rest = tokens.slice(prefix.length);
        return rest.length === 0 ? pointer : `${pointer}/${rest.join('/')}`;
      }
    }
    return tokens.length === 0 ? '' : `/${tokens.join('/')}`;
  };
}

const identity: FieldMapping = prefixMapping({});

/**
 * Turns a failed call to an authority into the gateway's error, keeping the
 * gRPC error as cause. Field violations of INVALID_ARGUMENT are renamed to the
 * fields of the citizen's request. Errors that mean the gateway itself is
 * misconfigured (no permission, not authenticated) or that the authority
 * failed stay unmapped: the citizen sees a generic 500 and the log the cause.
 */
export function toAppError(error: unknown, authority: string, mapping: FieldMapping = identity): unknown {
  if (!isServiceError(error)) return error;
  const message = error.details || `${authority} refused the request`;
  switch (error.code) {
    case status.INVALID_ARGUMENT: {
      const violations: Violation[] = readFieldViolations(error).map((v) => ({
        field: mapping(v.field),
        message: v.description,
      }));
      return new AppError('rejected', `The ${authority} office refused the request.`, violations, { cause: error });
    }
    case status.NOT_FOUND:
      return new AppError('not-found', message, [], { cause: error });
    case status.FAILED_PRECONDITION:
      return new AppError('precondition-failed', message, [], { cause: error });
    case status.ALREADY_EXISTS:
    case status.ABORTED:
    case status.RESOURCE_EXHAUSTED:
      return new AppError('conflict', message, [], { cause: error });
    case status.UNAVAILABLE:
    case status.DEADLINE_EXCEEDED:
      return new AppError('unavailable', `The ${authority} office is not reachable at the moment.`, [], {
        cause: error,
      });
    default:
      return new Error(`${authority}: call failed with ${status[error.code] ?? error.code}`, { cause: error });
  }
}

/** Runs a call to an authority and maps its failure. */
export async function mapped<T>(authority: string, call: () => Promise<T>, mapping?: FieldMapping): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAppError(error, authority, mapping);
  }
}
