import { berlinYear } from '../domain/calendar.js';
import {
  completeOrder,
  type DocumentEvent,
  issueDocument,
  isPrinted,
  revokeDocument,
  signedFieldsOf,
  type Transition,
} from '../domain/document.js';
import { formatDocumentNumber, sequenceName } from '../domain/document-number.js';
import { type PlannedDocument, planDocuments, type ReconcileAction, reconcileActions } from '../domain/move.js';
import { generateVerificationCode } from '../domain/verification-code.js';
import type { DocumentAppDeps, DocumentRecord } from './ports.js';

/** Rounds before giving up when facts keep arriving meanwhile; the event is then retried by the consumer. */
const MAX_ROUNDS = 5;

export class MoveKeptChangingError extends Error {
  override readonly name = 'MoveKeptChangingError';
}

export interface ReconcileResult {
  created: number;
  completed: number;
  revoked: number;
}

/**
 * Brings a move's stored documents to what its facts call for. Every event
 * reaction records its fact first and then calls this; a redelivered event
 * calls it too, which finishes what a crash between the two writes left
 * undone. Idempotent: document ids are derived, statuses only move forward,
 * and each write is conditional on the state it was computed from.
 *
 * Concurrent reactions of the same move (partitions of other topics) are
 * caught in two ways, each leading to another round: a write that finds its
 * document changed meanwhile ("stale"), and facts recorded while this ran
 * (the move's version differs at the end).
 */
export async function reconcileMove(deps: DocumentAppDeps, moveId: string): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: 0, completed: 0, revoked: 0 };
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const move = await deps.moves.get(moveId);
    if (!move) return result;
    const plan = planDocuments(move);
    for (const note of plan.notes) deps.logger.warn({ moveId, note: note.note }, 'vehicle update leads to no document');
    const actions = reconcileActions(plan.documents, await deps.documents.statusesOfMove(moveId));
    let stale = false;
    for (const action of actions) {
      const outcome = await apply(deps, action);
      if (outcome === 'stale') stale = true;
      if (outcome !== 'applied') continue;
      if (action.type === 'create') result.created++;
      else if (action.type === 'complete') result.completed++;
      else result.revoked++;
    }
    if (result.created + result.completed + result.revoked > 0) deps.onEventsWritten?.();
    if (!stale && (await deps.moves.version(moveId)) === move.version) return result;
  }
  throw new MoveKeptChangingError(`move ${moveId} kept changing while its documents were reconciled`);
}

type ActionOutcome = 'applied' | 'stale';

async function apply(deps: DocumentAppDeps, action: ReconcileAction): Promise<ActionOutcome> {
  switch (action.type) {
    case 'create':
      // Created meanwhile by another reaction, maybe from an older plan: look again.
      return (await create(deps, action.planned)) ? 'applied' : 'stale';
    case 'complete': {
      const stored = await deps.documents.get(action.documentId);
      if (stored?.status !== 'pending') return 'stale';
      const next = completeOrder(stored, deps.clock.now(), action.cause);
      return deps.documents.transition(next.state, stored.revision, next.events);
    }
    case 'revoke': {
      const stored = await deps.documents.get(action.documentId);
      if (!stored || stored.status === 'revoked') return 'stale';
      const next = revokeDocument(stored, action.reason, deps.clock.now(), action.cause);
      return deps.documents.transition(next.state, stored.revision, next.events);
    }
  }
}

/**
 * Creates a document in the status the facts give it. A document whose move
 * was already revoked when its trigger arrived (another topic lagging) is
 * issued and revoked in the same write, with both events: the outcome is then
 * the same as if the events had arrived in causal order.
 */
async function create(deps: DocumentAppDeps, planned: PlannedDocument): Promise<boolean> {
  const now = deps.clock.now();
  const year = berlinYear(now);
  const documentNumber = formatDocumentNumber(
    planned.kind,
    year,
    await deps.sequence.next(sequenceName(planned.kind, year)),
  );
  const verificationCode = isPrinted(planned.kind) ? generateVerificationCode(deps.random) : '';
  const events: DocumentEvent[] = [];
  const step = (t: Transition) => {
    events.push(...t.events);
    return t.state;
  };
  let state = step(
    issueDocument(
      {
        documentId: planned.documentId,
        kind: planned.kind,
        personId: planned.personId,
        applicantPersonId: planned.applicantPersonId,
        moveId: planned.moveId,
        plate: planned.plate,
        documentNumber,
        verificationCode,
      },
      now,
      planned.cause,
    ),
  );
  if (state.status === 'pending' && planned.completion) state = step(completeOrder(state, now, planned.completion));
  if (planned.target === 'revoked' && planned.revocation) {
    state = step(revokeDocument(state, planned.revocation.reason, now, planned.revocation.cause));
  }

  let record: DocumentRecord = { ...state, revision: 0, contentType: '', signature: '', keyId: '' };
  let content: Buffer | undefined;
  if (planned.content) {
    const signedFields = signedFieldsOf({
      kind: planned.kind,
      documentNumber,
      name: planned.content.name,
      postalCode: planned.content.address.postalCode,
      municipality: planned.content.address.municipality,
      moveInDate: planned.content.moveInDate,
      issuedAt: now,
    });
    const key = deps.keys.current;
    record = {
      ...record,
      contentType: 'application/pdf',
      signedFields,
      signature: key.sign(signedFields),
      keyId: key.keyId,
    };
    content = await deps.renderer.render(planned.content, { documentNumber, verificationCode, issuedAt: now });
  }
  const outcome = await deps.documents.insert(record, content, events);
  if (outcome === 'inserted') {
    deps.logger.info(
      { documentId: record.documentId, moveId: record.moveId, kind: record.kind, status: record.status },
      'document issued',
    );
  }
  return outcome === 'inserted';
}
