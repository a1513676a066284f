import type { CatalogueIndex } from './catalogue.js';
import { addDays, type IsoDate, isIsoDate } from './dates.js';
import { DomainError } from './errors.js';

/**
 * An invitation to an invitation-only service (e.g. the Jobcenter sees
 * visitors only by personal invitation). Its code is required to book the
 * service, by the invited person only, for that service only, on or before
 * `validUntil`, and for one live appointment at a time.
 */
export interface InvitationData {
  code: string;
  personId: string;
  serviceId: string;
  validUntil: IsoDate;
  authorityId: string;
  /** The client identity that created it (audit). */
  clientId: string;
  /** The appointment it was used for; a cancelled or failed one no longer uses it. */
  usedBy: { appointmentId: string; at: Date } | null;
  createdAt: Date;
}

/** Invitations can be valid for at most a year. */
export const MAX_INVITATION_DAYS = 366;

export interface InvitationRequest {
  personId: string;
  serviceId: string;
  validUntil: string;
  authorityId: string;
}

/** Checks an invitation request against the catalogue and the caller, and creates it. */
export function createInvitation(
  request: InvitationRequest,
  context: { catalogue: CatalogueIndex; clientId: string; today: IsoDate; code: string; now: Date },
): InvitationData {
  const service = context.catalogue.service(request.serviceId);
  if (!service) throw new DomainError('unknown-service', 'unknown service', 'service_id');
  if (!service.invitationOnly) {
    throw new DomainError('not-invitation-only', 'the service is booked without invitation', 'service_id');
  }
  const authority = context.catalogue.authority(request.authorityId);
  if (!authority || !service.invitingAuthorities.includes(authority.id)) {
    throw new DomainError(
      'authority-not-allowed',
      'this authority does not invite to this service',
      'inviting_authority',
    );
  }
  if (!authority.clientIds.includes(context.clientId)) {
    throw new DomainError('authority-not-allowed', 'the caller does not act for this authority', 'inviting_authority');
  }
  if (!isIsoDate(request.validUntil)) {
    throw new DomainError('invalid-validity', 'must be a date YYYY-MM-DD', 'valid_until');
  }
  if (request.validUntil < context.today || request.validUntil > addDays(context.today, MAX_INVITATION_DAYS)) {
    throw new DomainError(
      'invalid-validity',
      `must be between today and ${MAX_INVITATION_DAYS} days from today`,
      'valid_until',
    );
  }
  return {
    code: context.code,
    personId: request.personId,
    serviceId: service.id,
    validUntil: request.validUntil,
    authorityId: authority.id,
    clientId: context.clientId,
    usedBy: null,
    createdAt: context.now,
  };
}

/**
 * Whether the invitation admits this person to this service on `date`.
 * Unknown and foreign codes fail alike, so a code cannot be probed for its owner.
 */
export function checkInvitation(
  invitation: InvitationData | undefined,
  use: { personId: string; serviceId: string; date: IsoDate },
): InvitationData {
  if (!invitation || invitation.personId !== use.personId || invitation.serviceId !== use.serviceId) {
    throw new DomainError(
      'invitation-not-valid',
      'the invitation code is not valid for this person and service',
      'invitation_code',
    );
  }
  if (use.date > invitation.validUntil) {
    throw new DomainError(
      'invitation-expired',
      `the invitation is valid for appointments until ${invitation.validUntil}`,
      'invitation_code',
    );
  }
  return invitation;
}

/** The invitation, used for an appointment (a cancelled or failed appointment no longer counts; see claimIsLive). */
export function useInvitation(invitation: InvitationData, appointmentId: string, now: Date): InvitationData {
  return { ...invitation, usedBy: { appointmentId, at: now } };
}
