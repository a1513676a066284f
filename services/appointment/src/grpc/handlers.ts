import { appointment } from '@buergerservice/contracts';
import { type CallContext, type UnaryHandlers, Violations } from '@buergerservice/service-kit';
import { bookAppointment } from '../app/book-appointment.js';
import { cancelAppointment } from '../app/cancel-appointment.js';
import { createInvitation } from '../app/create-invitation.js';
import { getAppointment } from '../app/get-appointment.js';
import { getAppointmentCalendar } from '../app/get-appointment-calendar.js';
import { listFreeSlots } from '../app/list-free-slots.js';
import { listLocations } from '../app/list-locations.js';
import { listServices } from '../app/list-services.js';
import type { AppDeps } from '../app/ports.js';
import { rescheduleAppointment } from '../app/reschedule-appointment.js';
import { isIsoDate } from '../domain/dates.js';
import type { EventOrigin } from '../domain/events.js';
import { toAppointment, toInvitation, toLocation, toOfferedService, toSlot } from './mapping.js';

/** Metadata a caller may send to tie its calls to the citizen's bundle (the portal sends its request's ids). */
export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const REQUEST_ID_HEADER = 'x-request-id';

const PERSON_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ID = /^[A-Za-z0-9_.:~-]{1,128}$/;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

function origin(ctx: CallContext): Partial<EventOrigin> {
  const header = (name: string) => {
    const [value] = ctx.metadata.get(name);
    return typeof value === 'string' && ID.test(value) ? value : undefined;
  };
  const correlationId = header(CORRELATION_ID_HEADER);
  const causationId = header(REQUEST_ID_HEADER);
  return { ...(correlationId ? { correlationId } : {}), ...(causationId ? { causationId } : {}) };
}

function personId(v: Violations, field: string, value: string): void {
  if (v.required(field, value)) v.check(PERSON_ID.test(value), field, 'must be a person id (letters, digits, - or _)');
}

function optionalId(v: Violations, field: string, value: string): void {
  if (value !== '') v.check(ID.test(value), field, 'must be an id (letters, digits and - _ . : ~, at most 128)');
}

function date(v: Violations, field: string, value: string): void {
  if (v.required(field, value)) v.check(isIsoDate(value), field, 'must be a date YYYY-MM-DD');
}

/** The gRPC API: map contract <-> use case, validate requests at the edge, nothing else. */
export function appointmentHandlers(deps: AppDeps): UnaryHandlers<typeof appointment.AppointmentServiceService> {
  return {
    async listLocations(req, ctx) {
      const v = new Violations();
      optionalId(v, 'service_id', req.serviceId);
      v.throwIfAny();
      const views = await listLocations(deps, { serviceId: req.serviceId });
      return ctx.restrictFields(appointment.ListLocationsResponse, { locations: views.map(toLocation) });
    },

    async listServices(_req, ctx) {
      const services = await listServices(deps);
      return ctx.restrictFields(appointment.ListServicesResponse, { services: services.map(toOfferedService) });
    },

    async listFreeSlots(req, ctx) {
      const v = new Violations();
      v.required('service_id', req.serviceId);
      optionalId(v, 'location_id', req.locationId);
      v.check(
        req.locationId === '' || req.district === '',
        'district',
        'give either a location or a district, not both',
      );
      date(v, 'from_date', req.fromDate);
      date(v, 'to_date', req.toDate);
      v.check(
        req.limit >= 0 && req.limit <= MAX_LIMIT,
        'limit',
        `must be between 1 and ${MAX_LIMIT} (0 = ${DEFAULT_LIMIT})`,
      );
      v.throwIfAny();
      const slots = await listFreeSlots(deps, {
        serviceId: req.serviceId,
        locationId: req.locationId,
        district: req.district,
        fromDate: req.fromDate,
        toDate: req.toDate,
        limit: req.limit === 0 ? DEFAULT_LIMIT : req.limit,
      });
      return ctx.restrictFields(appointment.ListFreeSlotsResponse, { slots: slots.map(toSlot) });
    },

    async bookAppointment(req, ctx) {
      const v = new Violations();
      if (v.required('idempotency_key', req.idempotencyKey)) {
        v.check(req.idempotencyKey.length <= 128, 'idempotency_key', 'must be at most 128 characters');
      }
      personId(v, 'person_id', req.personId);
      v.required('service_id', req.serviceId);
      v.required('location_id', req.locationId);
      v.required('start', req.start);
      optionalId(v, 'move_id', req.moveId);
      if (req.interpreterLanguage !== '') {
        v.check(/^[a-z]{2}$/.test(req.interpreterLanguage), 'interpreter_language', 'must be an ISO 639-1 code');
      }
      optionalId(v, 'invitation_code', req.invitationCode);
      v.throwIfAny();
      const booked = await bookAppointment(deps, {
        clientId: ctx.clientId,
        idempotencyKey: req.idempotencyKey,
        personId: req.personId,
        serviceId: req.serviceId,
        locationId: req.locationId,
        start: req.start as Date,
        interpreterLanguage: req.interpreterLanguage,
        invitationCode: req.invitationCode.toUpperCase(),
        moveId: req.moveId,
        origin: origin(ctx),
      });
      return ctx.restrictFields(appointment.BookAppointmentResponse, { appointment: toAppointment(booked) });
    },

    async cancelAppointment(req, ctx) {
      const v = new Violations();
      v.required('appointment_id', req.appointmentId);
      personId(v, 'person_id', req.personId);
      v.check(['', 'citizen', 'office'].includes(req.reason), 'reason', 'must be "citizen" or "office"');
      v.throwIfAny();
      const cancelled = await cancelAppointment(deps, {
        appointmentId: req.appointmentId,
        personId: req.personId,
        reason: req.reason === 'office' ? 'office' : 'citizen',
        origin: origin(ctx),
      });
      return ctx.restrictFields(appointment.CancelAppointmentResponse, { appointment: toAppointment(cancelled) });
    },

    async rescheduleAppointment(req, ctx) {
      const v = new Violations();
      v.required('appointment_id', req.appointmentId);
      personId(v, 'person_id', req.personId);
      v.required('new_start', req.newStart);
      optionalId(v, 'new_location_id', req.newLocationId);
      v.throwIfAny();
      const moved = await rescheduleAppointment(deps, {
        appointmentId: req.appointmentId,
        personId: req.personId,
        newStart: req.newStart as Date,
        newLocationId: req.newLocationId,
        origin: origin(ctx),
      });
      return ctx.restrictFields(appointment.RescheduleAppointmentResponse, { appointment: toAppointment(moved) });
    },

    async getAppointment(req, ctx) {
      const v = new Violations();
      v.required('appointment_id', req.appointmentId);
      v.throwIfAny();
      const found = await getAppointment(deps, { appointmentId: req.appointmentId });
      return ctx.restrictFields(appointment.GetAppointmentResponse, { appointment: toAppointment(found) });
    },

    async createInvitation(req, ctx) {
      const v = new Violations();
      personId(v, 'person_id', req.personId);
      v.required('service_id', req.serviceId);
      date(v, 'valid_until', req.validUntil);
      v.required('inviting_authority', req.invitingAuthority);
      v.throwIfAny();
      const invitation = await createInvitation(deps, {
        clientId: ctx.clientId,
        personId: req.personId,
        serviceId: req.serviceId,
        validUntil: req.validUntil,
        authorityId: req.invitingAuthority,
      });
      return ctx.restrictFields(appointment.CreateInvitationResponse, { invitation: toInvitation(invitation) });
    },

    async getAppointmentCalendar(req, ctx) {
      const v = new Violations();
      v.required('appointment_id', req.appointmentId);
      v.throwIfAny();
      const ics = await getAppointmentCalendar(deps, { appointmentId: req.appointmentId });
      return ctx.restrictFields(appointment.GetAppointmentCalendarResponse, { ics });
    },
  };
}
