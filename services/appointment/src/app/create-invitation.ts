import { berlinToday } from '../domain/berlin-time.js';
import { invitationCode } from '../domain/codes.js';
import { createInvitation as newInvitation, type InvitationData } from '../domain/invitation.js';
import type { AppDeps } from './ports.js';

export interface CreateInvitationCommand {
  clientId: string;
  personId: string;
  serviceId: string;
  validUntil: string;
  authorityId: string;
}

/** Codes drawn before giving up on collisions (32^8 codes: a collision is already rare). */
const CODE_ATTEMPTS = 5;

/** An authority invites a person to one of its invitation-only services; the code is needed to book it. */
export async function createInvitation(deps: AppDeps, command: CreateInvitationCommand): Promise<InvitationData> {
  const catalogue = await deps.catalogue.current();
  const now = deps.clock.now();
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const invitation = newInvitation(
      {
        personId: command.personId,
        serviceId: command.serviceId,
        validUntil: command.validUntil,
        authorityId: command.authorityId,
      },
      { catalogue, clientId: command.clientId, today: berlinToday(now), code: invitationCode(deps.random), now },
    );
    if ((await deps.invitations.insert(invitation, [])) === 'inserted') {
      deps.logger.info({ serviceId: invitation.serviceId, authorityId: invitation.authorityId }, 'invitation created');
      return invitation;
    }
  }
  throw new Error('no unused invitation code found');
}
