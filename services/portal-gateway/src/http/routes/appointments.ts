import { bookAppointment } from '../../app/book-appointment.js';
import { cancelAppointment } from '../../app/cancel-appointment.js';
import { getAppointment } from '../../app/get-appointment.js';
import { getAppointmentCalendar } from '../../app/get-appointment-calendar.js';
import { listLocations } from '../../app/list-locations.js';
import { listServices } from '../../app/list-services.js';
import { type ListSlotsQuery, listSlots } from '../../app/list-slots.js';
import { rescheduleAppointment } from '../../app/reschedule-appointment.js';
import { citizenOf } from '../auth.js';
import { appointmentJson, locationJson, serviceJson, slotJson } from '../representations.js';
import { validated } from '../routing.js';
import type { Handlers, HandlerDeps } from './deps.js';

interface BookBody {
  serviceId: string;
  locationId: string;
  start: string;
  bundleId?: string;
  interpreterLanguage?: string;
  invitationCode?: string;
}

/** Handlers of the appointment operations. */
export function appointmentHandlers(deps: HandlerDeps): Handlers {
  return {
    async listServices(_req, ctx) {
      const services = await listServices(deps, { signal: ctx.signal });
      return { status: 200, body: { items: services.map(serviceJson) } };
    },

    async listLocations(req, ctx) {
      const { query } = validated<Record<string, string>, { serviceId?: string }>(req);
      const locations = await listLocations(deps, query, { signal: ctx.signal });
      return { status: 200, body: { items: locations.map(locationJson) } };
    },

    async listSlots(req, ctx) {
      const { query } = validated<Record<string, string>, ListSlotsQuery>(req);
      const slots = await listSlots(deps, query, { signal: ctx.signal });
      return { status: 200, body: { items: slots.map(slotJson) } };
    },

    async bookAppointment(req, ctx) {
      const { body } = validated<Record<string, string>, Record<string, unknown>, BookBody>(req);
      const appointment = await bookAppointment(deps, {
        personId: citizenOf(req).personId,
        idempotencyKey: ctx.idempotencyKey,
        serviceId: body.serviceId,
        locationId: body.locationId,
        start: new Date(body.start),
        ...(body.bundleId ? { bundleId: body.bundleId } : {}),
        ...(body.interpreterLanguage ? { interpreterLanguage: body.interpreterLanguage } : {}),
        ...(body.invitationCode ? { invitationCode: body.invitationCode } : {}),
      });
      return {
        status: 201,
        headers: { location: `/api/appointments/${appointment.appointmentId}` },
        body: appointmentJson(appointment),
      };
    },

    async getAppointment(req, ctx) {
      const { params } = validated<{ appointmentId: string }>(req);
      const appointment = await getAppointment(
        deps,
        { appointmentId: params.appointmentId, personId: citizenOf(req).personId },
        { signal: ctx.signal },
      );
      return { status: 200, body: appointmentJson(appointment) };
    },

    async getAppointmentCalendar(req, ctx) {
      const { params } = validated<{ appointmentId: string }>(req);
      const { ics } = await getAppointmentCalendar(
        deps,
        { appointmentId: params.appointmentId, personId: citizenOf(req).personId },
        { signal: ctx.signal },
      );
      return {
        status: 200,
        headers: { 'content-disposition': `attachment; filename="termin-${params.appointmentId}.ics"` },
        raw: { contentType: 'text/calendar; charset=utf-8', data: ics },
      };
    },

    async cancelAppointment(req) {
      const { params, body } = validated<
        { appointmentId: string },
        Record<string, unknown>,
        { reason?: string } | undefined
      >(req);
      const appointment = await cancelAppointment(deps, {
        appointmentId: params.appointmentId,
        personId: citizenOf(req).personId,
        ...(body?.reason ? { reason: body.reason } : {}),
      });
      return { status: 200, body: appointmentJson(appointment) };
    },

    async deleteAppointment(req) {
      const { params } = validated<{ appointmentId: string }>(req);
      const appointment = await cancelAppointment(deps, {
        appointmentId: params.appointmentId,
        personId: citizenOf(req).personId,
      });
      return { status: 200, body: appointmentJson(appointment) };
    },

    async rescheduleAppointment(req) {
      const { params, body } = validated<
        { appointmentId: string },
        Record<string, unknown>,
        { start: string; locationId?: string }
      >(req);
      const appointment = await rescheduleAppointment(deps, {
        appointmentId: params.appointmentId,
        personId: citizenOf(req).personId,
        start: new Date(body.start),
        ...(body.locationId ? { locationId: body.locationId } : {}),
      });
      return { status: 200, body: appointmentJson(appointment) };
    },
  };
}
