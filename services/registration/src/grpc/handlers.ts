import { registration } from '@buergerservice/contracts';
import {
  type CallContext,
  type MessageType,
  PermissionDeniedError,
  type UnaryHandlers,
  Violations,
} from '@buergerservice/service-kit';
import { getMove } from '../app/get-move.js';
import { getPerson } from '../app/get-person.js';
import { getResidence } from '../app/get-residence.js';
import { listAuditEntries } from '../app/list-audit-entries.js';
import { listMoves } from '../app/list-moves.js';
import type { RegistrationDeps } from '../app/ports.js';
import { revokeChangeOfAddress } from '../app/revoke-change-of-address.js';
import { submitChangeOfAddress } from '../app/submit-change-of-address.js';
import type { Presented } from '../app/transmission.js';
import { transmittedFields } from '../app/transmitted-fields.js';
import { auditEntryToContract, moveToContract, residenceToContract } from '../contract.js';
import type { AccessContext } from '../domain/audit.js';
import { isCalendarDate } from '../domain/calendar.js';
import { encodePageToken } from './page-token.js';
import type { AuditQueryScopes } from './policy.js';
import { accessContext, auditQuery, moveCursor, pageSize, submitRequest } from './requests.js';

/**
 * Applies the client's field allowlist to a response and names the fields
 * left, so the transmission log records exactly what was sent.
 */
function present<T>(ctx: CallContext, type: MessageType<T>, response: T): Presented<T> {
  const restricted = ctx.restrictFields(type, response);
  return { response: restricted, fields: transmittedFields(restricted) };
}

function recipient(ctx: CallContext, access: AccessContext) {
  return { clientId: ctx.clientId, access };
}

/** The RegistrationService: contract <-> use case, nothing else. */
export function registrationHandlers(
  deps: RegistrationDeps,
  options: { auditQueryScopes: AuditQueryScopes },
): UnaryHandlers<typeof registration.RegistrationServiceService> {
  return {
    async submitChangeOfAddress(req, ctx) {
      const { idempotencyKey, correlationId, request } = submitRequest(req);
      return submitChangeOfAddress(
        deps,
        { clientId: ctx.clientId, idempotencyKey, correlationId, request },
        ({ move }) => present(ctx, registration.SubmitChangeOfAddressResponse, { move: moveToContract(move) }),
      );
    },

    async revokeChangeOfAddress(req, ctx) {
      const v = new Violations();
      v.required('move_id', req.moveId);
      v.required('person_id', req.personId);
      v.check(req.reason.length <= 1000, 'reason', 'must be at most 1000 characters');
      v.throwIfAny();
      return revokeChangeOfAddress(
        deps,
        { clientId: ctx.clientId, moveId: req.moveId, personId: req.personId, reason: req.reason },
        (move) => present(ctx, registration.RevokeChangeOfAddressResponse, { move: moveToContract(move) }),
      );
    },

    async getPerson(req, ctx) {
      const v = new Violations();
      v.required('person_id', req.personId);
      const access = accessContext(v, req.access);
      v.throwIfAny();
      return getPerson(deps, { personId: req.personId, recipient: recipient(ctx, access) }, ({ person, current }) =>
        present(ctx, registration.GetPersonResponse, {
          person: {
            personId: person.personId,
            name: { ...person.name },
            dateOfBirth: person.dateOfBirth,
            nationalities: [...person.nationalities],
            religiousAffiliation: person.religiousAffiliation,
            ...(current.main ? { mainResidence: residenceToContract(current.main) } : {}),
            secondaryResidences: current.secondary.map(residenceToContract),
            householdId: person.householdId,
            minorInCarePersonIds: [...person.minorInCarePersonIds],
          },
        }),
      );
    },

    async getResidence(req, ctx) {
      const v = new Violations();
      v.required('person_id', req.personId);
      if (req.asOfDate !== '') v.check(isCalendarDate(req.asOfDate), 'as_of_date', 'must be a date YYYY-MM-DD');
      const access = accessContext(v, req.access);
      v.throwIfAny();
      return getResidence(
        deps,
        { personId: req.personId, asOf: req.asOfDate || undefined, recipient: recipient(ctx, access) },
        ({ main, secondary }) =>
          present(ctx, registration.GetResidenceResponse, {
            ...(main ? { mainResidence: residenceToContract(main) } : {}),
            secondaryResidences: secondary.map(residenceToContract),
          }),
      );
    },

    async listMoves(req, ctx) {
      const v = new Violations();
      v.required('person_id', req.personId);
      const size = pageSize(v, req.pageSize);
      const after = moveCursor(v, req.pageToken);
      const access = accessContext(v, req.access);
      v.throwIfAny();
      return listMoves(
        deps,
        { personId: req.personId, pageSize: size, after, recipient: recipient(ctx, access) },
        ({ moves, next }) =>
          present(ctx, registration.ListMovesResponse, {
            moves: moves.map(moveToContract),
            nextPageToken: encodePageToken(next ? { time: next.recordedAt, id: next.moveId } : undefined),
          }),
      );
    },

    async getMove(req, ctx) {
      const v = new Violations();
      v.required('move_id', req.moveId);
      const access = accessContext(v, req.access);
      v.throwIfAny();
      return getMove(deps, { moveId: req.moveId, recipient: recipient(ctx, access) }, (move) =>
        present(ctx, registration.GetMoveResponse, { move: moveToContract(move) }),
      );
    },

    async listAuditEntries(req, ctx) {
      const query = auditQuery(req);
      const scope = 'personId' in query.filter ? 'person' : 'recipient';
      if (!(options.auditQueryScopes[ctx.clientId] ?? []).includes(scope)) {
        throw new PermissionDeniedError(`client ${ctx.clientId} may not list audit entries by ${scope}`);
      }
      const { entries, next } = await listAuditEntries(deps, query);
      return ctx.restrictFields(registration.ListAuditEntriesResponse, {
        entries: entries.map(auditEntryToContract),
        nextPageToken: encodePageToken(next ? { time: next.time, id: next.entryId } : undefined),
      });
    },
  };
}
