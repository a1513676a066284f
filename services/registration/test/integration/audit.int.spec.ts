import { RegistrationEvents, registration } from '@buergerservice/contracts';
import { waitUntil } from '@buergerservice/testing';
import { status } from '@grpc/grpc-js';
import { purgeAuditLog } from '../../src/app/purge-audit-log.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { fixedClock } from '../../src/domain/clock.js';
import { access, annasMove, call, type Running, startRegistration } from './support/harness.js';

const RECIPIENTS = ['vehicle', 'document', 'appointment', 'portal-gateway'];

describe('BMG §40 transmission log', () => {
  let reg: Running;
  let supervisor: registration.RegistrationServiceClient;
  let portal: registration.RegistrationServiceClient;

  beforeAll(async () => {
    reg = await startRegistration({ env: { AUDIT_PURGE_INTERVAL_MS: '1000' } });
    supervisor = reg.client('supervisor');
    portal = reg.client('portal-gateway');
  });
  afterAll(async () => {
    await reg?.stop();
  });

  async function logOf(filter: { recipient: string } | { personId: string }, client = supervisor) {
    const { entries } = await call(
      client,
      'listAuditEntries',
      registration.ListAuditEntriesRequest.fromPartial({ ...filter, pageSize: 100 }),
    );
    return entries;
  }

  it('logs every read through the API with recipient, fields sent, persons, purpose, file reference, user and hits', async () => {
    const vehicle = reg.client('vehicle');
    await call(vehicle, 'getResidence', registration.GetResidenceRequest.fromPartial({ personId: 'P0000004', access }));
    await call(
      vehicle,
      'getResidence',
      registration.GetResidenceRequest.fromPartial({ personId: 'P9999999', access }),
    ).catch(() => undefined);

    const entries = await logOf({ recipient: 'vehicle' });
    expect(entries).toHaveLength(2);
    const hit = entries.find((e) => e.hits === 1);
    const miss = entries.find((e) => e.hits === 0);
    expect(hit).toMatchObject({
      recipient: 'vehicle',
      channel: registration.AuditChannel.AUDIT_CHANNEL_GRPC,
      operation: 'GetResidence',
      personIds: ['P0000004'],
      fileReference: 'AZ 2025/0815',
      purpose: 'Halteranschrift prüfen',
      actingUserId: 'sb-17',
      hits: 1,
    });
    // Exactly the fields the vehicle authority received: the address, nothing about the validity.
    expect(hit?.fields).toEqual([
      'main_residence.address.country_code',
      'main_residence.address.district',
      'main_residence.address.house_number',
      'main_residence.address.municipality',
      'main_residence.address.municipality_key',
      'main_residence.address.postal_code',
      'main_residence.address.street',
      'main_residence.address.street_key',
    ]);
    expect(hit?.time).toBeInstanceOf(Date);
    expect(miss).toMatchObject({ operation: 'GetResidence', hits: 0, personIds: [], fields: [] });

    // The citizen sees the read in their own access log (through the portal).
    const own = await logOf({ personId: 'P0000004' }, portal);
    expect(own.map((e) => [e.recipient, e.operation])).toEqual([['vehicle', 'GetResidence']]);
  });

  it('logs every published event once per receiving body, and only once when it is published again', async () => {
    const request = annasMove(reg.clock);
    const { move } = await call(portal, 'submitChangeOfAddress', request);
    const moveId = move?.moveId ?? '';
    const [message] = await reg.recorder.waitFor((m) => m.headers.ce_correlationid === request.correlationId);
    const eventId = message?.headers.ce_id ?? '';

    const eventEntries = await waitUntil(async () => {
      const entries = (await logOf({ personId: 'P0000003' }, portal)).filter(
        (e) => e.channel === registration.AuditChannel.AUDIT_CHANNEL_EVENT,
      );
      return entries.length === RECIPIENTS.length ? entries : undefined;
    });
    expect(eventEntries.map((e) => e.recipient).sort()).toEqual([...RECIPIENTS].sort());
    for (const entry of eventEntries) {
      expect(entry).toMatchObject({
        entryId: `${eventId}:${entry.recipient}`,
        operation: RegistrationEvents.AddressChanged.typeName,
        personIds: ['P0000001', 'P0000002', 'P0000003'],
        fileReference: moveId,
        actingUserId: 'portal-gateway',
        hits: 3,
      });
      expect(entry.fields).toEqual(
        expect.arrayContaining([
          'persons.name.family_name',
          'persons.name.given_names',
          'new_address.street',
          'move_in_date',
        ]),
      );
      expect(entry.fields.some((f) => /birth|nationalit|religio/.test(f))).toBe(false);
    }

    // A relay that died after Kafka's acknowledgement but before recording the event as published
    // publishes it again: here by removing the relay's marker of the event.
    const markers = reg.connection.collection('outbox_published');
    expect((await markers.deleteOne({ _id: eventId as never })).deletedCount).toBe(1);
    reg.service.relay.kick();
    await reg.recorder.waitFor((m) => m.headers.ce_id === eventId, { count: 2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = (await logOf({ personId: 'P0000003' }, portal)).filter(
      (e) => e.channel === registration.AuditChannel.AUDIT_CHANNEL_EVENT,
    );
    expect(after.map((e) => e.entryId).sort()).toEqual(eventEntries.map((e) => e.entryId).sort());

    await call(portal, 'revokeChangeOfAddress', { moveId, personId: 'P0000001', reason: '' });
    await waitUntil(async () => {
      const revoked = (await logOf({ recipient: 'document' })).filter(
        (e) => e.operation === RegistrationEvents.AddressChangeRevoked.typeName,
      );
      return revoked.length === 1 ? revoked : undefined;
    });
  });

  it('lets the portal read by person only and the supervisor by recipient only', async () => {
    const byRecipient = registration.ListAuditEntriesRequest.fromPartial({ recipient: 'vehicle' });
    const byPerson = registration.ListAuditEntriesRequest.fromPartial({ personId: 'P0000004' });
    await expect(call(portal, 'listAuditEntries', byRecipient)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    await expect(call(supervisor, 'listAuditEntries', byPerson)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    await expect(call(reg.client('vehicle'), 'listAuditEntries', byRecipient)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
  });

  it('purges entries after twelve months by the job, with the injected clock', async () => {
    const now = reg.clock.now();
    const month = 30 * 86_400_000;
    const entry = (id: string, ageMs: number): AuditEntry => ({
      entryId: id,
      time: new Date(now.getTime() - ageMs),
      recipient: 'purge-test',
      channel: 'grpc',
      operation: 'GetResidence',
      fields: ['main_residence.address.street'],
      personIds: ['P0000010'],
      fileReference: '',
      purpose: 'Test',
      actingUserId: '',
      hits: 1,
    });
    await reg.service.app.audit.append([
      entry('purge-old', 13 * month),
      entry('purge-11m', 11 * month),
      entry('purge-new', 0),
    ]);

    // The running job (every second, with the service's clock) removes the entry past retention.
    await waitUntil(async () => ((await logOf({ recipient: 'purge-test' })).length === 2 ? true : undefined));
    expect((await logOf({ recipient: 'purge-test' })).map((e) => e.entryId)).toEqual(['purge-new', 'purge-11m']);

    // One month later (by the injected clock) the next one is due.
    expect(
      await purgeAuditLog({ audit: reg.service.app.audit, clock: fixedClock(new Date(now.getTime() + 2 * month)) }),
    ).toBe(1);
    expect((await logOf({ recipient: 'purge-test' })).map((e) => e.entryId)).toEqual(['purge-new']);
  });
});
