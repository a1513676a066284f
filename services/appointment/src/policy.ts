import { type AuthorizationPolicy, loadAuthorizationPolicy } from '@buergerservice/service-kit';

const SERVICE = 'buergerservice.appointment.v1.AppointmentService';

/**
 * Who may call what, unless CLIENT_POLICY names a JSON file with another
 * policy (same format, see the service kit's README):
 *
 * - portal-gateway: every citizen-facing RPC (the portal checks that the
 *   citizen acts for themselves); not CreateInvitation.
 * - jobcenter: invites to its invitation-only services; reads the catalogue.
 * - hotline-115: answers citizens' questions: catalogue, free slots, and an
 *   appointment's when and where — without booking code, person or move.
 * - supervisor: reads appointments (audit).
 */
export const DEFAULT_CLIENT_POLICY: AuthorizationPolicy = {
  'portal-gateway': {
    rpcs: [
      'ListLocations',
      'ListServices',
      'ListFreeSlots',
      'BookAppointment',
      'CancelAppointment',
      'RescheduleAppointment',
      'GetAppointment',
      'GetAppointmentCalendar',
    ].map((method) => `${SERVICE}/${method}`),
  },
  jobcenter: { rpcs: ['CreateInvitation', 'ListServices', 'ListLocations'].map((m) => `${SERVICE}/${m}`) },
  'hotline-115': {
    rpcs: ['ListLocations', 'ListServices', 'ListFreeSlots', 'GetAppointment'].map((m) => `${SERVICE}/${m}`),
    fields: {
      [`${SERVICE}/GetAppointment`]: [
        'appointment.appointment_id',
        'appointment.service_id',
        'appointment.location_id',
        'appointment.start',
        'appointment.end',
        'appointment.status',
        'appointment.interpreter_language',
      ],
    },
  },
  supervisor: { rpcs: [`${SERVICE}/GetAppointment`] },
};

export function clientPolicy(file: string | undefined): AuthorizationPolicy {
  return file ? loadAuthorizationPolicy(file) : DEFAULT_CLIENT_POLICY;
}
