/**
 * The drill checker: from what the topics carried and what the gateway's
 * request tracker shows, decide per bundle whether it completed, whether an
 * effect is missing (lost) or happened more than once (duplicated), and
 * whether a dead letter is left unexplained. Pure: the runner feeds it.
 *
 * An "effect" is identified by what it created, not by the event that
 * announced it: events may be delivered and even re-published more than
 * once (at-least-once on the wire), but a second document id for the same
 * person and kind, a second appointment, or a second holder-address update
 * event id for the same plate is a duplicated effect.
 */

/** One domain event as the checker needs it (decoded from a recorded Kafka message). */
export interface ObservedEvent {
  readonly topic: string;
  /** Short event name, e.g. "AddressChanged". */
  readonly type: string;
  readonly eventId: string;
  /** ce_correlationid: the bundle. */
  readonly correlationId: string;
  readonly moveId: string;
  readonly personId: string;
  readonly plate?: string;
  readonly documentId?: string;
  /** Document kind, e.g. "registration-confirmation". */
  readonly documentKind?: string;
  readonly appointmentId?: string;
}

/** A bundle the load submitted, and what the gateway showed of it at the end. */
export interface SubmittedBundle {
  readonly bundleId: string;
  readonly applicantId: string;
  /** Applicant first, then the household members moving along. */
  readonly personIds: readonly string[];
  readonly plates: readonly string[];
  readonly appointmentWanted: boolean;
  /** Epoch ms when the submission was first attempted. */
  readonly submittedAt: number;
  /** Epoch ms when the tracker first showed the bundle complete (undefined: never). */
  readonly completedAt?: number;
  /** True when the bundle was in flight while the fault was active. */
  readonly duringFault: boolean;
  /** Final step states from the tracker, e.g. { "vehicle:L-AB 12": "done" }. */
  readonly steps: Readonly<Record<string, string>>;
}

export interface DeadLetter {
  readonly topic: string;
  readonly reason: string;
  readonly error: string;
  readonly type: string;
  readonly correlationId: string;
}

export interface DrillVerdict {
  readonly bundles: number;
  readonly completed: number;
  readonly lost: number;
  readonly duplicatedEffects: number;
  /** Extra deliveries of an already-seen event id (harmless, at-least-once): for information. */
  readonly redeliveredEvents: number;
  readonly deadLetters: number;
  readonly p99DuringFaultMs: number | undefined;
  readonly p99AllMs: number | undefined;
  /** Human-readable findings, one per problem, naming the bundle. */
  readonly findings: readonly string[];
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function countDistinct(events: readonly ObservedEvent[], key: (e: ObservedEvent) => string | undefined) {
  const ids = new Map<string, Set<string>>();
  for (const e of events) {
    const k = key(e);
    if (k === undefined) continue;
    const set = ids.get(k) ?? new Set<string>();
    set.add(e.documentId ?? e.appointmentId ?? e.eventId);
    ids.set(k, set);
  }
  return ids;
}

/** Checks one bundle against the events of its correlation id; returns findings (empty = correct). */
export function checkBundle(
  bundle: SubmittedBundle,
  events: readonly ObservedEvent[],
): { lost: string[]; duplicated: string[] } {
  const lost: string[] = [];
  const duplicated: string[] = [];
  const id = bundle.bundleId;
  const ofType = (type: string) => events.filter((e) => e.type === type);

  const moves = new Set(ofType('AddressChanged').map((e) => e.eventId));
  if (moves.size === 0) lost.push(`${id}: no AddressChanged`);
  if (moves.size > 1) duplicated.push(`${id}: ${moves.size} AddressChanged events (distinct ids) for one bundle`);

  const updates = countDistinct(ofType('VehicleHolderAddressUpdated'), (e) => e.plate);
  const rejections = new Set(ofType('VehicleHolderAddressUpdateRejected').map((e) => e.plate));
  for (const plate of bundle.plates) {
    const n = updates.get(plate)?.size ?? 0;
    if (n === 0 && !rejections.has(plate)) lost.push(`${id}: no holder-address update for ${plate}`);
    if (n === 0 && rejections.has(plate))
      lost.push(`${id}: holder-address update of its own vehicle ${plate} rejected`);
    if (n > 1) duplicated.push(`${id}: ${n} holder-address updates for ${plate}`);
  }

  const documents = countDistinct(ofType('DocumentIssued'), (e) =>
    e.documentKind === undefined ? undefined : `${e.documentKind}|${e.personId}|${e.plate ?? ''}`,
  );
  for (const personId of bundle.personIds) {
    const n = documents.get(`registration-confirmation|${personId}|`)?.size ?? 0;
    if (n === 0) lost.push(`${id}: no registration confirmation for ${personId}`);
  }
  for (const plate of bundle.plates) {
    const n = [...documents.entries()]
      .filter(([k]) => k.startsWith('vehicle-registration-record|') && k.endsWith(`|${plate}`))
      .reduce((sum, [, ids]) => sum + ids.size, 0);
    if (n === 0) lost.push(`${id}: no vehicle registration record for ${plate}`);
  }
  for (const [key, ids] of documents) {
    if (ids.size > 1) duplicated.push(`${id}: ${ids.size} documents ${key}`);
  }

  const appointments = new Set(ofType('AppointmentBooked').map((e) => e.appointmentId ?? e.eventId));
  const offered = ofType('AppointmentOffered').length > 0;
  if (bundle.appointmentWanted && appointments.size === 0 && !offered)
    lost.push(`${id}: no appointment booked or offered`);
  if (!bundle.appointmentWanted && appointments.size > 0)
    duplicated.push(`${id}: appointment booked though not wanted`);
  if (appointments.size > 1) duplicated.push(`${id}: ${appointments.size} appointments booked`);

  if (bundle.completedAt === undefined) lost.push(`${id}: not complete at the tracker`);
  for (const [step, state] of Object.entries(bundle.steps)) {
    if (state === 'rejected') lost.push(`${id}: step ${step} rejected`);
    else if (state !== 'done' && state !== 'not-requested') lost.push(`${id}: step ${step} ended ${state}`);
  }
  return { lost, duplicated };
}

/** The verdict of one drill over all its bundles. */
export function checkDrill(
  bundles: readonly SubmittedBundle[],
  events: readonly ObservedEvent[],
  deadLetters: readonly DeadLetter[],
): DrillVerdict {
  const byBundle = new Map<string, ObservedEvent[]>();
  const seen = new Set<string>();
  let redelivered = 0;
  for (const e of events) {
    // The same event id on the same topic again is a redelivery, not a new effect.
    const key = `${e.topic}|${e.eventId}`;
    if (seen.has(key)) {
      redelivered += 1;
      continue;
    }
    seen.add(key);
    const list = byBundle.get(e.correlationId) ?? [];
    list.push(e);
    byBundle.set(e.correlationId, list);
  }
  const findings: string[] = [];
  let lost = 0;
  let duplicatedEffects = 0;
  let completed = 0;
  for (const bundle of bundles) {
    const result = checkBundle(bundle, byBundle.get(bundle.bundleId) ?? []);
    if (result.lost.length > 0) lost += 1;
    duplicatedEffects += result.duplicated.length;
    if (bundle.completedAt !== undefined && result.lost.length === 0) completed += 1;
    findings.push(...result.lost, ...result.duplicated);
  }
  // The runner passes the dead letters written during this drill: every one of them needs an explanation.
  for (const d of deadLetters) {
    findings.push(`dead letter on ${d.topic}: ${d.type || '?'} of ${d.correlationId || '?'} (${d.reason}: ${d.error})`);
  }
  const latency = (b: SubmittedBundle) => (b.completedAt === undefined ? [] : [b.completedAt - b.submittedAt]);
  return {
    bundles: bundles.length,
    completed,
    lost,
    duplicatedEffects,
    redeliveredEvents: redelivered,
    deadLetters: deadLetters.length,
    p99DuringFaultMs: percentile(bundles.filter((b) => b.duringFault).flatMap(latency), 99),
    p99AllMs: percentile(bundles.flatMap(latency), 99),
    findings,
  };
}
