import { appointment } from '@buergerservice/contracts';
import { Metadata, status } from '@grpc/grpc-js';
import ICAL from 'ical.js';
import { DEMO_INVITATION_CODE } from '../../src/seed.js';
import { call, rpcError, startTestService, type TestService } from './support.js';

/** The gRPC API on the real server and database: invitations, validation, authorization, the iCalendar export. */
describe('the appointment API', () => {
  let svc: TestService;
  let portal: appointment.AppointmentServiceClient;
  let jobcenter: appointment.AppointmentServiceClient;

  beforeAll(async () => {
    svc = await startTestService('appt-api');
    portal = svc.client('portal-gateway');
    jobcenter = svc.client('jobcenter');
  });

  afterAll(async () => {
    await svc?.stop();
  });

  const TUESDAY_0900 = new Date('2026-11-24T08:00:00Z');

  function bookJobcenter(key: string, personId: string, invitationCode: string, start = TUESDAY_0900) {
    return call(portal, 'bookAppointment', {
      idempotencyKey: key,
      personId,
      serviceId: 'jobcenter-erstgespraech',
      locationId: 'jobcenter-leipzig',
      start,
      interpreterLanguage: '',
      invitationCode,
      moveId: '',
    });
  }

  describe('invitation-only services', () => {
    it('are booked with the invitation the Jobcenter created, and refuse a used or foreign code', async () => {
      const { invitation } = await call(jobcenter, 'createInvitation', {
        personId: 'P0000042',
        serviceId: 'jobcenter-erstgespraech',
        validUntil: '2026-12-18',
        invitingAuthority: 'jobcenter-leipzig',
      });
      expect(invitation).toMatchObject({ personId: 'P0000042', used: false, invitingAuthority: 'jobcenter-leipzig' });
      const code = invitation?.invitationCode ?? '';
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

      // Foreign: another person tries the code.
      const foreign = await rpcError(bookJobcenter('jc-foreign', 'P0000043', code));
      expect(foreign.code).toBe(status.PERMISSION_DENIED);
      expect(foreign.details).toBe('the invitation code is not valid for this person and service');
      // Unknown codes read the same as foreign ones.
      expect((await rpcError(bookJobcenter('jc-unknown', 'P0000042', 'ZZZZ-ZZZZ'))).code).toBe(
        status.PERMISSION_DENIED,
      );
      // No code at all.
      const missing = await rpcError(bookJobcenter('jc-none', 'P0000042', ''));
      expect(missing.code).toBe(status.INVALID_ARGUMENT);
      expect(missing.violations).toEqual([
        { field: 'invitation_code', description: 'this service is booked by invitation only' },
      ]);

      const { appointment: booked } = await bookJobcenter('jc-ok', 'P0000042', code);
      expect(booked?.status).toBe(appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED);

      // Used: a second booking with the same code.
      const used = await rpcError(bookJobcenter('jc-again', 'P0000042', code, new Date('2026-11-25T08:00:00Z')));
      expect(used.code).toBe(status.FAILED_PRECONDITION);
      expect(used.details).toBe('the invitation has already been used for a booking');

      // The seeded demo invitation works for the demo citizen it was made for.
      const demo = await bookJobcenter('jc-demo', 'P0000004', DEMO_INVITATION_CODE.toLowerCase());
      expect(demo.appointment?.status).toBe(appointment.AppointmentStatus.APPOINTMENT_STATUS_BOOKED);
    });

    it('are created only by the inviting authority', async () => {
      const denied = await rpcError(
        call(portal, 'createInvitation', {
          personId: 'P0000042',
          serviceId: 'jobcenter-erstgespraech',
          validUntil: '2026-12-18',
          invitingAuthority: 'jobcenter-leipzig',
        }),
      );
      expect(denied.code).toBe(status.PERMISSION_DENIED);
      const notInvitationOnly = await rpcError(
        call(jobcenter, 'createInvitation', {
          personId: 'P0000042',
          serviceId: 'meldebescheinigung',
          validUntil: '2026-12-18',
          invitingAuthority: 'jobcenter-leipzig',
        }),
      );
      expect(notInvitationOnly.code).toBe(status.INVALID_ARGUMENT);
      expect(notInvitationOnly.violations[0]?.field).toBe('service_id');
    });
  });

  describe('bad requests', () => {
    it('answer INVALID_ARGUMENT with every field violation', async () => {
      const error = await rpcError(
        call(portal, 'bookAppointment', {
          idempotencyKey: '',
          personId: 'Anna Müller',
          serviceId: '',
          locationId: '',
          start: undefined,
          interpreterLanguage: 'Arabic',
          invitationCode: '',
          moveId: '',
        }),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.violations).toEqual([
        { field: 'idempotency_key', description: 'is required' },
        { field: 'person_id', description: 'must be a person id (letters, digits, - or _)' },
        { field: 'service_id', description: 'is required' },
        { field: 'location_id', description: 'is required' },
        { field: 'start', description: 'is required' },
        { field: 'interpreter_language', description: 'must be an ISO 639-1 code' },
      ]);
      const range = await rpcError(
        call(portal, 'listFreeSlots', {
          serviceId: 'meldebescheinigung',
          locationId: '',
          district: '',
          fromDate: '24.11.2026',
          toDate: '',
          limit: 500,
        }),
      );
      expect(range.violations.map((v) => v.field)).toEqual(['from_date', 'to_date', 'limit']);
    });

    it('name the field a rule of the domain refuses', async () => {
      const lunch = await rpcError(
        call(portal, 'bookAppointment', {
          idempotencyKey: 'lunch',
          personId: 'P0000001',
          serviceId: 'meldebescheinigung',
          locationId: 'bb-zentrum',
          start: new Date('2026-11-24T11:00:00Z'), // 12:00, the lunch break
          interpreterLanguage: '',
          invitationCode: '',
          moveId: '',
        }),
      );
      expect(lunch.code).toBe(status.INVALID_ARGUMENT);
      expect(lunch.violations).toEqual([
        { field: 'start', description: 'no appointment of this service starts at this time and place' },
      ]);
      expect((await rpcError(call(portal, 'getAppointment', { appointmentId: 'nope' }))).code).toBe(status.NOT_FOUND);
    });
  });

  describe('authorization', () => {
    it('gives each client only its RPCs and fields', async () => {
      const { appointment: booked } = await call(portal, 'bookAppointment', {
        idempotencyKey: 'authz',
        personId: 'P0000001',
        serviceId: 'meldebescheinigung',
        locationId: 'bb-zentrum',
        start: TUESDAY_0900,
        interpreterLanguage: '',
        invitationCode: '',
        moveId: '',
      });
      const hotline = svc.client('hotline-115');
      const seen = await call(hotline, 'getAppointment', { appointmentId: booked?.appointmentId ?? '' });
      expect(seen.appointment).toMatchObject({
        locationId: 'bb-zentrum',
        start: TUESDAY_0900,
        bookingCode: '',
        personId: '',
      });
      expect(
        (await rpcError(call(hotline, 'cancelAppointment', { appointmentId: 'x', personId: 'P1', reason: '' }))).code,
      ).toBe(status.PERMISSION_DENIED);
      expect((await rpcError(call(svc.client('unknown-system'), 'listServices', {}))).code).toBe(
        status.PERMISSION_DENIED,
      );
    });
  });

  describe('the iCalendar export', () => {
    it('parses with an independent parser to the booked appointment', async () => {
      const metadata = new Metadata();
      metadata.set('x-correlation-id', 'bundle-ics');
      const { appointment: booked } = await call(
        portal,
        'bookAppointment',
        {
          idempotencyKey: 'ics',
          personId: 'P0000001',
          serviceId: 'standesamt-geburt-beurkunden',
          locationId: 'standesamt-leipzig',
          start: new Date('2026-11-26T12:30:00Z'), // Thursday 13:30
          interpreterLanguage: 'uk',
          invitationCode: '',
          moveId: '',
        },
        { metadata },
      );
      const { ics } = await call(portal, 'getAppointmentCalendar', { appointmentId: booked?.appointmentId ?? '' });
      expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
      expect(ics).toMatch(/\r\nEND:VCALENDAR\r\n$/);
      for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

      const calendar = new ICAL.Component(ICAL.parse(ics));
      const timezone = calendar.getFirstSubcomponent('vtimezone');
      if (timezone) ICAL.TimezoneService.register(timezone);
      const vevent = calendar.getFirstSubcomponent('vevent');
      if (!vevent) throw new Error('no VEVENT');
      const event = new ICAL.Event(vevent);
      expect(event.startDate.toJSDate()).toEqual(new Date('2026-11-26T12:30:00Z'));
      expect(event.endDate.toJSDate()).toEqual(new Date('2026-11-26T13:00:00Z'));
      expect(event.uid).toBe(`${booked?.appointmentId}@termine.buergerservice.leipzig.de`);
      expect(event.summary).toBe('Geburt beurkunden – Standesamt Leipzig');
      expect(event.location).toBe('Standesamt Leipzig, Martin-Luther-Ring 4, 04109 Leipzig');
      expect(event.description).toContain(`Buchungscode: ${booked?.bookingCode}`);
      expect(event.description).toContain('Videodolmetschen (kostenfrei) in der Sprache: uk');

      // Cancelled, the export says so.
      await call(portal, 'cancelAppointment', {
        appointmentId: booked?.appointmentId ?? '',
        personId: 'P0000001',
        reason: '',
      });
      const { ics: cancelled } = await call(portal, 'getAppointmentCalendar', {
        appointmentId: booked?.appointmentId ?? '',
      });
      const status_ = new ICAL.Component(ICAL.parse(cancelled))
        .getFirstSubcomponent('vevent')
        ?.getFirstPropertyValue('status');
      expect(status_).toBe('CANCELLED');
    });
  });

  describe('the catalogue', () => {
    it('lists locations with the Bürgerkoffer dates, services, and free slots of an area', async () => {
      const { locations } = await call(portal, 'listLocations', { serviceId: 'personalausweis-adressaenderung' });
      const plagwitz = locations.find((l) => l.locationId === 'koffer-plagwitz');
      expect(plagwitz).toMatchObject({
        kind: appointment.LocationKind.LOCATION_KIND_MOBILE_STOP,
        district: 'Plagwitz',
        // Within the 90-day horizon; from 6 January 2027 every fourth Wednesday.
        nextDates: ['2026-11-25', '2026-12-09', '2026-12-23', '2027-01-06', '2027-02-03'],
      });
      expect(locations.map((l) => l.locationId)).not.toContain('jobcenter-leipzig');
      const { services } = await call(portal, 'listServices', {});
      expect(services.find((s) => s.serviceId === 'standesamt-eheschliessung-anmelden')).toMatchObject({
        durationMinutes: 60,
        interpreterAvailable: true,
        invitationOnly: false,
      });
      const { slots } = await call(portal, 'listFreeSlots', {
        serviceId: 'personalausweis-adressaenderung',
        locationId: '',
        district: 'Grünau-Mitte',
        fromDate: '2026-11-24',
        toDate: '2026-12-31',
        limit: 3,
      });
      expect(slots.map((s) => [s.locationId, s.start?.toISOString()])).toEqual([
        ['bb-gruenau', '2026-11-24T08:00:00.000Z'],
        ['bb-gruenau', '2026-11-24T08:15:00.000Z'],
        ['bb-gruenau', '2026-11-24T08:30:00.000Z'],
      ]);
    });
  });
});
