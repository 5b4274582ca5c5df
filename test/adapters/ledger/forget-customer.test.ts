import { afterAll, describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../../src/adapters/ledger';
import { createCustomerRecords } from '../../../src/adapters/customer-records';
import { createOutboxStore } from '../../../src/adapters/outbox/outbox-store';
import { startTestPostgres, type TestPostgres } from '../../support/postgres';

/**
 * Forgetting a customer in the ledger and outbox, on PGlite and PostgreSQL: their record, memory, notices,
 * idempotency records and messages go; their bookings stay with the same times under an anonymous key; another
 * customer's rows are untouched.
 */
let server: TestPostgres | undefined;
afterAll(async () => server?.stop());

const targets: [string, () => Promise<Ledger>][] = [
  ['PGlite', () => openLedger({ memory: true })],
  ['PostgreSQL', async () => openLedger({ databaseUrl: (server ??= await startTestPostgres()).url })],
];

describe.each(targets)('forgetting a customer on %s', (_name, open) => {
  it('deletes their personal data, keeps their bookings anonymised, leaves others alone', async () => {
    const ledger = await open();
    const outbox = createOutboxStore(ledger.sql);
    const run = Math.random().toString(36).slice(2);
    const rosa = `phone:rosa-${run}`;
    const sam = `phone:sam-${run}`;
    const book = async (customerKey: string, start: string, end: string, step: string) => {
      const held = await ledger.hold({ customerKey, serviceId: 'haircut', providerId: `p-${run}`, start, end, bufferMinutes: 0, expiresAt: '2031-01-01T00:00:00Z', idempotencyKey: `${run}:${step}:hold` });
      if (!held.ok) throw new Error(JSON.stringify(held));
      const confirmed = await ledger.confirm({ bookingId: held.value.id, customerKey, idempotencyKey: `${run}:${step}:confirm` });
      if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
      return confirmed.value;
    };
    const rosaBooking = await book(rosa, '2031-03-04T15:00:00Z', '2031-03-04T15:30:00Z', 'rosa');
    const samBooking = await book(sam, '2031-03-04T16:00:00Z', '2031-03-04T16:30:00Z', 'sam');
    await ledger.setCustomerPreferences({ customerKey: rosa, zone: 'America/New_York', locale: 'es', name: 'Rosa Quintanilla' });
    await ledger.setOptOut({ customerKey: rosa, optedOut: true });
    await ledger.setCustomerPreferences({ customerKey: sam, zone: 'America/Chicago', name: 'Sam' });
    const rosaConversation = `conversation:sms:rosa-${run}`;
    await ledger.saveConversationMemory({ workflowId: rosaConversation, customerKey: rosa, snapshot: { transcript: [{ role: 'customer', text: 'soy Rosa' }] } as never });
    await ledger.addConversationNotice({ workflowId: rosaConversation, customerKey: rosa, noticeKey: 'reminder', notice: { text: 'see you tomorrow' } as never });
    await outbox.enqueue({ scope: rosaConversation, purpose: 'turn:1:0', channel: 'sms', toAddress: '+15550001111', body: 'Hola Rosa', status: 'recorded' });
    await outbox.enqueue({ scope: rosaBooking.id, purpose: 'confirmation', channel: 'sms', toAddress: '+15550001111', body: 'Booked, Rosa', status: 'recorded' });
    await outbox.enqueue({ scope: samBooking.id, purpose: 'confirmation', channel: 'sms', toAddress: '+15550002222', body: 'Booked, Sam', status: 'recorded' });

    const records = createCustomerRecords(ledger);
    expect(await records.bookingIds(rosa)).toEqual([rosaBooking.id]);
    const result = await records.forget({ customerKey: rosa, conversationIds: [rosaConversation], addresses: ['+15550001111', 'whatsapp:+15550001111'] });

    expect(result.ledger.deleted).toEqual({ customers: 1, conversationMemories: 1, conversationNotices: 1, idempotencyRecords: 2, waitlistEntries: 0 });
    expect(result.outboxMessages).toBe(2);
    expect(result.ledger.anonymousKey).toMatch(/^forgotten:[0-9a-f-]{36}$/);
    expect(result.keptBookings).toEqual([{ ...rosaBooking, customerKey: result.ledger.anonymousKey }]);

    // What remains of Rosa: a booking with its times, under a key that names nobody; nothing under her key.
    expect(await ledger.getBooking(rosaBooking.id)).toMatchObject({ start: rosaBooking.start, end: rosaBooking.end, status: 'confirmed', customerKey: result.ledger.anonymousKey });
    expect(await ledger.listCustomerBookings(rosa)).toEqual([]);
    expect(await ledger.getCustomer(rosa)).toMatchObject({ optedOut: false, zone: null, locale: null, name: null });
    expect(await ledger.loadConversationMemory(rosaConversation)).toBeNull();
    expect(await ledger.listConversationNotices(rosaConversation, 0)).toEqual([]);
    expect(await outbox.listByScope(rosaConversation)).toEqual([]);
    expect(await outbox.listByScope(rosaBooking.id)).toEqual([]);
    const mentions = await ledger.sql.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM ledger_requests WHERE position($1 in fingerprint) > 0 OR position($1 in result::text) > 0',
      [rosa],
    );
    expect(Number(mentions.rows[0]!.n)).toBe(0);
    // The slot is still taken: the calendar stays right.
    expect(await ledger.listBusy([`p-${run}`], { start: '2031-03-04T00:00:00Z', end: '2031-03-05T00:00:00Z' })).toHaveLength(2);

    // Sam is untouched.
    expect(await ledger.listCustomerBookings(sam)).toEqual([samBooking]);
    expect(await ledger.getCustomer(sam)).toMatchObject({ zone: 'America/Chicago', name: 'Sam' });
    expect(await outbox.listByScope(samBooking.id)).toHaveLength(1);

    // Forgetting again, or someone never seen, changes nothing.
    expect((await records.forget({ customerKey: rosa, conversationIds: [rosaConversation], addresses: [] })).ledger).toEqual({
      anonymousKey: null,
      bookingIds: [],
      deleted: { customers: 0, conversationMemories: 0, conversationNotices: 0, idempotencyRecords: 0, waitlistEntries: 0 },
    });
    await ledger.close();
  });
});
