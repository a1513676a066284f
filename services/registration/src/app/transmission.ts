import { randomUUID } from 'node:crypto';
import type { AccessContext } from '../domain/audit.js';
import type { RegistrationDeps } from './ports.js';

/** Who receives data through the API, and why (BMG §40: both are logged). */
export interface Recipient {
  /** Authenticated client identity, e.g. "vehicle". */
  readonly clientId: string;
  readonly access: AccessContext;
}

/** A response as it will be sent, and the names of the data fields it carries. */
export interface Presented<R> {
  readonly response: R;
  readonly fields: readonly string[];
}

/**
 * Turns what a use case found into the response for this client: the
 * transport maps it to the contract and applies the client's field
 * allowlist, and reports which fields are left. The use case logs exactly
 * those fields before the response leaves.
 */
export type Present<V, R> = (view: V) => Presented<R>;

export interface Transmission {
  readonly recipient: Recipient;
  /** RPC name. */
  readonly operation: string;
  /** Persons whose data the response carries. */
  readonly personIds: readonly string[];
  /** Records found. */
  readonly hits: number;
}

/**
 * Logs a transmission through the API, then hands out the response. The
 * log entry is written first: if it cannot be written, nothing is sent.
 */
export async function transmit<V, R>(
  deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
  transmission: Transmission,
  view: V,
  present: Present<V, R>,
): Promise<R> {
  const { response, fields } = present(view);
  await logTransmission(deps, transmission, fields);
  return response;
}

/** Logs a lookup that found nothing (hits 0): the query itself is logged too. */
export async function logMiss(
  deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
  recipient: Recipient,
  operation: string,
): Promise<void> {
  await logTransmission(deps, { recipient, operation, personIds: [], hits: 0 }, []);
}

async function logTransmission(
  deps: Pick<RegistrationDeps, 'audit' | 'clock'>,
  transmission: Transmission,
  fields: readonly string[],
): Promise<void> {
  const { recipient } = transmission;
  await deps.audit.append([
    {
      entryId: randomUUID(),
      time: deps.clock.now(),
      recipient: recipient.clientId,
      channel: 'grpc',
      operation: transmission.operation,
      fields: [...fields],
      personIds: [...new Set(transmission.personIds)],
      fileReference: recipient.access.fileReference,
      purpose: recipient.access.purpose,
      actingUserId: recipient.access.actingUserId,
      hits: transmission.hits,
    },
  ]);
}
