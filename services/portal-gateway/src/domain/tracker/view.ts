import type { AppointmentWish, MovedPersonRef, RequestedDocumentKind, SlotRef } from './events.js';
import type { BundleFacts, DocumentFacts } from './facts.js';

/**
 * The status of a bundle as the citizen sees it, derived from the facts alone
 * (so a rebuilt read model shows exactly what the live one showed).
 */

export type StepState = 'pending' | 'done' | 'rejected' | 'not-requested' | 'revoked';
export type StepKind =
  | 'registration'
  | 'vehicle-holder-address'
  | 'registration-confirmation'
  | 'vehicle-registration-record'
  | 'id-card-sticker-order'
  | 'appointment';
export type Authority = 'registration' | 'vehicle' | 'document' | 'appointment';
export type BundleStatus = 'submitted' | 'in-progress' | 'complete' | 'revoking' | 'revoked';

const FINAL_STATES: ReadonlySet<StepState> = new Set(['done', 'rejected', 'not-requested', 'revoked']);

export interface StepView {
  /** Stable within the bundle, e.g. "vehicle:L-AM 2026", "registration-confirmation:P0000002". */
  readonly key: string;
  readonly kind: StepKind;
  readonly authority: Authority;
  readonly state: StepState;
  /** Whom or what the step is about. */
  readonly personId?: string;
  readonly displayName?: string;
  readonly plate?: string;
  /** Why a step was rejected: a code, and a message for the citizen where the authority gave one. */
  readonly reason?: string;
  readonly message?: string;
  /** Set while a revoked bundle waits for this step's compensation. */
  readonly awaitingRevocation?: boolean;
  readonly doneAt?: string;
  readonly revokedAt?: string;
  readonly updatedAt?: string;
  readonly documentId?: string;
  readonly documentNumber?: string;
  readonly appointment?: {
    readonly appointmentId: string;
    readonly locationId: string;
    readonly serviceId: string;
    readonly start: string;
    readonly end: string;
  };
  /** Slots offered to choose from (appointment step without auto-booking). */
  readonly offer?: { readonly serviceId: string; readonly slots: readonly SlotRef[] };
}

export interface BundleView {
  readonly status: BundleStatus;
  /** True when every requested step is final (done, rejected, not requested or revoked). */
  readonly complete: boolean;
  readonly moveId?: string;
  readonly steps: readonly StepView[];
  /** Time of the latest fact when the bundle became complete. */
  readonly completedAt?: string;
  readonly revokedAt?: string;
  readonly updatedAt?: string;
}

/** What the citizen asked for, as the gateway recorded it at submission (before registration confirmed it). */
export interface SubmissionSummary {
  readonly personId: string;
  readonly memberIds: readonly string[];
  readonly plates: readonly string[];
  readonly documents: readonly RequestedDocumentKind[];
  readonly appointment: AppointmentWish;
}

interface Requested {
  readonly persons: readonly MovedPersonRef[];
  readonly plates: readonly string[];
  readonly documents: readonly RequestedDocumentKind[];
  readonly appointment: AppointmentWish;
}

function requested(facts: BundleFacts, submission: SubmissionSummary | undefined): Requested | undefined {
  const registration = facts.registration;
  if (registration) return registration;
  if (!submission) return undefined;
  return {
    persons: [submission.personId, ...submission.memberIds].map((personId) => ({ personId, displayName: '' })),
    plates: submission.plates,
    documents: submission.documents,
    appointment: submission.appointment,
  };
}

function maxTime(times: readonly (string | undefined)[]): string | undefined {
  let result: string | undefined;
  for (const t of times) if (t !== undefined && (result === undefined || t > result)) result = t;
  return result;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function registrationStep(facts: BundleFacts): StepView {
  const { registration, revocation } = facts;
  return compact({
    key: 'registration',
    kind: 'registration',
    authority: 'registration',
    state: revocation ? 'revoked' : registration ? 'done' : 'pending',
    doneAt: registration?.at,
    revokedAt: revocation?.at,
    updatedAt: maxTime([registration?.at, revocation?.at]),
  } satisfies StepView);
}

function vehicleStep(facts: BundleFacts, plate: string): StepView {
  const v = facts.vehicles[plate] ?? {};
  const revoked = facts.revocation !== undefined;
  let state: StepState;
  let awaitingRevocation: boolean | undefined;
  if (v.rejected) state = 'rejected';
  else if (v.restored) state = 'revoked';
  else if (v.updated) {
    state = revoked ? 'pending' : 'done';
    awaitingRevocation = revoked || undefined;
  } else state = revoked ? 'revoked' : 'pending';
  return compact({
    key: `vehicle:${plate}`,
    kind: 'vehicle-holder-address',
    authority: 'vehicle',
    state,
    plate,
    reason: v.rejected?.reason,
    message: v.rejected?.message || undefined,
    awaitingRevocation,
    doneAt: v.updated?.at,
    revokedAt: v.restored?.at ?? (state === 'revoked' ? facts.revocation?.at : undefined),
    updatedAt: maxTime([
      v.updated?.at,
      v.rejected?.at,
      v.restored?.at,
      state === 'revoked' ? facts.revocation?.at : undefined,
    ]),
  } satisfies StepView);
}

type DocumentEntry = { readonly documentId: string } & DocumentFacts;

function documentsWhere(facts: BundleFacts, match: (d: DocumentFacts) => boolean): DocumentEntry[] {
  return Object.entries(facts.documents)
    .filter(([, d]) => match(d))
    .map(([documentId, d]) => ({ documentId, ...d }))
    .sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0));
}

function attributesOf(d: DocumentFacts) {
  return d.issued ?? d.revoked;
}

function documentStep(
  facts: BundleFacts,
  base: Pick<StepView, 'key' | 'kind' | 'personId' | 'displayName' | 'plate'>,
  docs: readonly DocumentEntry[],
  requestedIt: boolean,
  blocked?: { reason: string },
): StepView {
  const revoked = facts.revocation !== undefined;
  const live = docs.filter((d) => d.issued && !d.revoked);
  const issuedAll = docs.filter((d) => d.issued || d.revoked);
  const current = live[0] ?? issuedAll[0];
  let state: StepState;
  let awaitingRevocation: boolean | undefined;
  let reason: string | undefined;
  if (!requestedIt) state = 'not-requested';
  else if (live.length > 0) {
    state = revoked ? 'pending' : 'done';
    awaitingRevocation = revoked || undefined;
  } else if (issuedAll.length > 0) state = 'revoked';
  else if (blocked) {
    state = 'rejected';
    reason = blocked.reason;
  } else state = revoked ? 'revoked' : 'pending';
  const revokedAt =
    state === 'revoked' ? (maxTime(issuedAll.map((d) => d.revoked?.at)) ?? facts.revocation?.at) : undefined;
  return compact({
    ...base,
    authority: 'document',
    state,
    reason,
    awaitingRevocation,
    documentId: requestedIt ? current?.documentId : undefined,
    documentNumber: requestedIt ? current?.issued?.documentNumber : undefined,
    doneAt: requestedIt ? maxTime(docs.map((d) => d.issued?.at)) : undefined,
    revokedAt,
    updatedAt: requestedIt ? maxTime([...docs.flatMap((d) => [d.issued?.at, d.revoked?.at]), revokedAt]) : undefined,
  } satisfies StepView);
}

function appointmentStep(facts: BundleFacts, wish: AppointmentWish): StepView {
  const base = { key: 'appointment', kind: 'appointment', authority: 'appointment' } as const;
  if (!wish.wanted) return { ...base, state: 'not-requested' };
  const revoked = facts.revocation !== undefined;
  const all = Object.entries(facts.appointments).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const active = all.filter(([, a]) => (a.booked || a.schedule) && !a.cancelled);
  // Several live appointments only when the citizen booked again; show the most recently scheduled one.
  const latestActive = active
    .map(([appointmentId, a]) => ({ appointmentId, a, at: a.schedule?.at ?? a.booked?.at ?? '' }))
    .sort((x, y) => (x.at !== y.at ? (x.at < y.at ? 1 : -1) : x.appointmentId < y.appointmentId ? -1 : 1))[0];
  const updatedAt = maxTime([
    ...all.flatMap(([, a]) => [a.booked?.at, a.schedule?.at, a.cancelled?.at]),
    facts.offer?.at,
    facts.revocation?.at,
  ]);
  const appointment = latestActive
    ? compact({
        appointmentId: latestActive.appointmentId,
        locationId: latestActive.a.schedule?.locationId ?? latestActive.a.booked?.locationId ?? '',
        serviceId: latestActive.a.booked?.serviceId ?? facts.offer?.serviceId ?? '',
        start: latestActive.a.schedule?.start ?? latestActive.a.booked?.start ?? '',
        end: latestActive.a.schedule?.end ?? latestActive.a.booked?.end ?? '',
      })
    : undefined;
  if (revoked) {
    if (appointment) return compact({ ...base, state: 'pending', awaitingRevocation: true, appointment, updatedAt });
    const cancelledAt = maxTime(all.map(([, a]) => a.cancelled?.at));
    return compact({ ...base, state: 'revoked', revokedAt: cancelledAt ?? facts.revocation?.at, updatedAt });
  }
  if (appointment) {
    const doneAt = maxTime(active.map(([, a]) => a.booked?.at ?? a.schedule?.at));
    return compact({ ...base, state: 'done', appointment, doneAt, updatedAt });
  }
  const offer = facts.offer;
  const cancelled = all.some(([, a]) => a.cancelled);
  if (offer && offer.slots.length === 0 && !cancelled) {
    return compact({ ...base, state: 'rejected', reason: 'no-free-slots', updatedAt });
  }
  return compact({
    ...base,
    state: 'pending',
    reason: cancelled ? 'cancelled' : undefined,
    offer: offer && offer.slots.length > 0 ? { serviceId: offer.serviceId, slots: offer.slots } : undefined,
    updatedAt,
  });
}

/** Derives the citizen's view of a bundle from its facts (and, until registration confirmed it, the submission). */
export function deriveView(facts: BundleFacts, submission?: SubmissionSummary): BundleView {
  const wanted = requested(facts, submission);
  const steps: StepView[] = [registrationStep(facts)];
  if (wanted) {
    for (const plate of wanted.plates) steps.push(vehicleStep(facts, plate));
    const confirmations = wanted.documents.includes('registration-confirmation');
    for (const person of wanted.persons) {
      steps.push(
        documentStep(
          facts,
          {
            key: `registration-confirmation:${person.personId}`,
            kind: 'registration-confirmation',
            personId: person.personId,
            ...(person.displayName ? { displayName: person.displayName } : {}),
          },
          documentsWhere(
            facts,
            (d) =>
              attributesOf(d)?.kind === 'registration-confirmation' && attributesOf(d)?.personId === person.personId,
          ),
          confirmations,
        ),
      );
    }
    const records = wanted.documents.includes('vehicle-registration-record');
    for (const plate of wanted.plates) {
      const rejected = facts.vehicles[plate]?.rejected;
      steps.push(
        documentStep(
          facts,
          { key: `vehicle-registration-record:${plate}`, kind: 'vehicle-registration-record', plate },
          documentsWhere(
            facts,
            (d) => attributesOf(d)?.kind === 'vehicle-registration-record' && attributesOf(d)?.plate === plate,
          ),
          records,
          rejected ? { reason: 'vehicle-not-updated' } : undefined,
        ),
      );
    }
    steps.push(
      documentStep(
        facts,
        { key: 'id-card-sticker-order', kind: 'id-card-sticker-order' },
        documentsWhere(facts, (d) => attributesOf(d)?.kind === 'id-card-sticker-order'),
        wanted.appointment.wanted,
      ),
    );
    steps.push(appointmentStep(facts, wanted.appointment));
  }
  const complete = wanted !== undefined && steps.every((s) => FINAL_STATES.has(s.state));
  const revoked = facts.revocation !== undefined;
  const status: BundleStatus = revoked
    ? complete
      ? 'revoked'
      : 'revoking'
    : facts.registration
      ? complete
        ? 'complete'
        : 'in-progress'
      : 'submitted';
  const updatedAt = maxTime(steps.map((s) => s.updatedAt));
  return compact({
    status,
    complete,
    moveId: facts.moveId,
    steps,
    completedAt: complete ? updatedAt : undefined,
    revokedAt: facts.revocation?.at,
    updatedAt,
  } satisfies BundleView);
}

/** Whether a change of view is worth telling the citizen (used for the live stream and metrics). */
export function sameView(a: BundleView, b: BundleView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
