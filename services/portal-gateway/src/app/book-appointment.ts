import type { Appointment } from '../domain/authorities.js';
import { getBundle } from './get-bundle.js';
import { authorityIdempotencyKey } from './idempotency-key.js';
import type { AppointmentAuthority, BundleRepository, CallOptions } from './ports.js';

export interface BookAppointmentCommand {
  readonly personId: string;
  readonly idempotencyKey: string;
  readonly serviceId: string;
  readonly locationId: string;
  readonly start: Date;
  /** The citizen's bundle this booking belongs to (picking an offered slot). */
  readonly bundleId?: string;
  readonly interpreterLanguage?: string;
  readonly invitationCode?: string;
}

/** Books a slot for the citizen, for one of their bundles when named (which must be theirs). */
export async function bookAppointment(
  deps: { readonly appointments: AppointmentAuthority; readonly bundles: BundleRepository },
  command: BookAppointmentCommand,
  options: CallOptions = {},
): Promise<Appointment> {
  const moveId = command.bundleId
    ? ((await getBundle(deps, { bundleId: command.bundleId, personId: command.personId })).facts.moveId ?? '')
    : '';
  return deps.appointments.book(
    {
      idempotencyKey: authorityIdempotencyKey(command.personId, command.idempotencyKey, 'book-appointment'),
      personId: command.personId,
      serviceId: command.serviceId,
      locationId: command.locationId,
      start: command.start,
      interpreterLanguage: command.interpreterLanguage ?? '',
      invitationCode: command.invitationCode ?? '',
      moveId,
    },
    options,
  );
}
