import { currentSession, endSession } from './session.js';

/** RFC 9457 problem details as the gateway sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string; code?: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export type StepState = 'pending' | 'done' | 'rejected' | 'not-requested' | 'revoked';

export interface Step {
  key: string;
  kind:
    | 'registration'
    | 'vehicle-holder-address'
    | 'registration-confirmation'
    | 'vehicle-registration-record'
    | 'id-card-sticker-order'
    | 'appointment';
  authority: string;
  state: StepState;
  personId?: string;
  displayName?: string;
  plate?: string;
  reason?: string;
  message?: string;
  awaitingRevocation?: boolean;
  documentId?: string;
  documentNumber?: string;
  appointment?: { appointmentId: string; locationId: string; serviceId: string; start: string; end: string };
  offer?: { serviceId: string; slots: { locationId: string; serviceId: string; start: string; end: string }[] };
}

export interface Bundle {
  bundleId: string;
  status: 'submitted' | 'in-progress' | 'complete' | 'revoking' | 'revoked';
  complete: boolean;
  moveId?: string;
  revocableUntil?: string;
  submittedAt: string;
  completedAt?: string;
  revokedAt?: string;
  steps: Step[];
}

export interface DocumentInfo {
  documentId: string;
  kind: 'registration-confirmation' | 'vehicle-registration-record' | 'id-card-sticker-order' | 'unspecified';
  status: 'valid' | 'revoked' | 'pending' | 'unspecified';
  personId: string;
  plate?: string;
  documentNumber: string;
  issuedAt?: string;
  downloadable: boolean;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await response.json()) as Problem;
    } catch {
      // Fall through to a generic problem.
    }
  }
  return { type: 'about:blank', title: response.statusText, status: response.status };
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const session = currentSession();
  return { accept: 'application/json', ...(session ? { authorization: `Bearer ${session.token}` } : {}), ...extra };
}

async function checked(response: Response): Promise<Response> {
  if (response.ok) return response;
  if (response.status === 401) endSession();
  throw new ApiError(await problemOf(response));
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await checked(await fetch(path, { headers: headers(), cache: 'no-store' }));
  return (await response.json()) as T;
}

/**
 * POSTs JSON with an Idempotency-Key. The caller keeps the key for as long as
 * it retries the same request, so a retry after a lost answer does the work once.
 */
export async function postJson<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
  const response = await checked(
    await fetch(path, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json', 'idempotency-key': idempotencyKey }),
      body: JSON.stringify(body ?? {}),
    }),
  );
  return (await response.json()) as T;
}

/** Downloads a protected file (the browser cannot send the bearer token with a plain link). */
export async function download(path: string, filename: string): Promise<void> {
  const response = await checked(await fetch(path, { headers: headers({ accept: '*/*' }) }));
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
