import { simpleParser, type ParsedMail } from 'mailparser';
import ical, { type VEvent } from 'node-ical';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailActivities } from '../../activities/email';
import { createSmtpSender } from '../../src/adapters/email/smtp-sender';
import { openLedger, type Ledger } from '../../src/adapters/ledger/ledger-factory';
import { createContactStore } from '../../src/adapters/ledger/sql-contacts';
import { createOutboxStore } from '../../src/adapters/outbox/outbox-store';
import { freePort } from '../../src/adapters/free-port';
import { waitFor } from '../support/patience';
import { demoBusiness } from '../support/time-skipping';

/**
 * Calendar emails through a real SMTP server (smtp-server on loopback), read back with mailparser and the .ics with
 * node-ical — independent parsers: a booking is an invitation, a move keeps its UID and raises SEQUENCE, a
 * cancellation is METHOD:CANCEL with the next SEQUENCE, and a repeated activity call sends nothing twice.
 */

const received: ParsedMail[] = [];
let server: SMTPServer;
let port: number;
let ledger: Ledger;
const business = demoBusiness();

beforeAll(async () => {
  port = await freePort();
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  ledger = await openLedger({ memory: true });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ledger?.close();
});

function activities() {
  return createEmailActivities({
    ledger,
    outbox: createOutboxStore(ledger.sql),
    contacts: createContactStore(ledger.sql),
    sender: createSmtpSender({ url: `smtp://127.0.0.1:${port}`, from: 'Maple Street Studio <bookings@maple.example>', logger: pino({ level: 'silent' }) }),
    business,
    from: 'Maple Street Studio <bookings@maple.example>',
  });
}

function weekdayAt(daysAhead: number, hour: number): string {
  let day = DateTime.now().setZone(business.timezone).plus({ days: daysAhead }).startOf('day');
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.set({ hour }).toUTC().toISO({ suppressMilliseconds: true })!;
}

async function book(customerKey: string, start: string) {
  const key = randomUUID();
  const end = DateTime.fromISO(start).plus({ minutes: 30 }).toUTC().toISO({ suppressMilliseconds: true })!;
  const held = await ledger.hold({ customerKey, serviceId: 'haircut', providerId: 'alex', start, end, bufferMinutes: 10, expiresAt: DateTime.now().plus({ minutes: 5 }).toUTC().toISO()!, idempotencyKey: `${key}:h` });
  if (!held.ok) throw new Error('hold refused');
  const confirmed = await ledger.confirm({ customerKey, bookingId: held.value.id, idempotencyKey: `${key}:c` });
  if (!confirmed.ok) throw new Error('confirm refused');
  return confirmed.value;
}

/** The mail to `to` whose subject starts with `prefix`, and its calendar event. */
async function mailFor(to: string, prefix: string): Promise<{ mail: ParsedMail; event: VEvent; method: string }> {
  const mail = await waitFor(() => received.find((m) => m.subject?.startsWith(prefix) && JSON.stringify(m.to).includes(to)), `the "${prefix}" email`);
  const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(ics, 'an iCalendar part').toBeDefined();
  const text = ics!.content.toString('utf8');
  const parsed = ical.sync.parseICS(text);
  const event = Object.values(parsed).find((c) => c?.type === 'VEVENT') as VEvent;
  const method = /^METHOD:(\w+)/m.exec(text)![1]!;
  expect(Object.values(parsed).some((c) => c?.type === 'VTIMEZONE' && (c as { tzid?: string }).tzid === business.timezone), 'the business zone as a VTIMEZONE').toBe(true);
  return { mail, event, method };
}

describe('calendar emails over SMTP', () => {
  it('a booking, a move and a cancellation: one UID, SEQUENCE rising, METHOD:CANCEL; a repeat sends nothing', async () => {
    const email = activities();
    const customerKey = `chat:${randomUUID()}`;
    const to = `dana+${randomUUID().slice(0, 8)}@example.com`;
    await createContactStore(ledger.sql).setEmail(customerKey, to);
    const booking = await book(customerKey, weekdayAt(5, 10));

    expect(await email.sendBookingEmail({ bookingId: booking.id, locale: 'en', zone: business.timezone })).toMatchObject({ status: 'sent', kind: 'booked', sequence: 0 });
    const first = await mailFor(to, 'Booked');
    expect(first.method).toBe('REQUEST');
    expect(first.event.uid).toBe(`${booking.id}@maple.example`);
    expect(Number(first.event.sequence)).toBe(0);
    expect(first.event.start.toISOString()).toBe(new Date(booking.start).toISOString());
    expect((first.event.start as { tz?: string }).tz).toBe(business.timezone);
    expect(first.mail.text).toContain('Haircut with Alex');

    // A repeated call (a retried activity) finds the outbox row: no second email.
    await email.sendBookingEmail({ bookingId: booking.id, locale: 'en', zone: business.timezone });

    const moved = await ledger.reschedule({
      bookingId: booking.id,
      customerKey,
      providerId: 'alex',
      start: weekdayAt(6, 14),
      end: DateTime.fromISO(weekdayAt(6, 14)).plus({ minutes: 30 }).toUTC().toISO({ suppressMilliseconds: true })!,
      bufferMinutes: 10,
      idempotencyKey: randomUUID(),
    });
    if (!moved.ok) throw new Error('move refused');
    // The old booking's workflow asks too: the ledger says it moved, so nothing is sent for it.
    expect(await email.sendBookingEmail({ bookingId: booking.id, locale: 'en', zone: business.timezone })).toEqual({ status: 'superseded' });
    expect(await email.sendBookingEmail({ bookingId: moved.value.booking.id, locale: 'en', zone: business.timezone })).toMatchObject({ status: 'sent', kind: 'moved', sequence: 1 });
    const second = await mailFor(to, 'Moved');
    expect(second.method).toBe('REQUEST');
    expect(second.event.uid).toBe(first.event.uid);
    expect(Number(second.event.sequence)).toBe(1);
    expect(second.event.start.toISOString()).toBe(new Date(moved.value.booking.start).toISOString());

    const cancelled = await ledger.cancel({ bookingId: moved.value.booking.id, customerKey, idempotencyKey: randomUUID() });
    if (!cancelled.ok) throw new Error('cancel refused');
    expect(await email.sendBookingEmail({ bookingId: moved.value.booking.id, locale: 'en', zone: business.timezone })).toMatchObject({ status: 'sent', kind: 'cancelled', sequence: 2 });
    const third = await mailFor(to, 'Cancelled');
    expect(third.method).toBe('CANCEL');
    expect(third.event.uid).toBe(first.event.uid);
    expect(Number(third.event.sequence)).toBe(2);
    expect(String(third.event.status)).toBe('CANCELLED');

    expect(received.filter((m) => JSON.stringify(m.to).includes(to))).toHaveLength(3);
  });

  it('a customer without an address gets nothing, and the outbox records nothing', async () => {
    const email = activities();
    const customerKey = `chat:${randomUUID()}`;
    const booking = await book(customerKey, weekdayAt(7, 11));
    expect(await email.sendBookingEmail({ bookingId: booking.id, locale: 'es', zone: business.timezone })).toEqual({ status: 'no_address' });
    expect(await email.sendEmail({ scope: 'x', purpose: 'y', customerKey, subject: 'Hi', text: 'Hello' })).toEqual({ status: 'no_address' });
  });

  it('Spanish, and a plain email (a reminder) through the same outbox', async () => {
    const email = activities();
    const customerKey = `chat:${randomUUID()}`;
    const to = `lucia+${randomUUID().slice(0, 8)}@example.com`;
    await createContactStore(ledger.sql).setEmail(customerKey, to);
    const booking = await book(customerKey, weekdayAt(8, 12));
    await email.sendBookingEmail({ bookingId: booking.id, locale: 'es', zone: business.timezone });
    const { mail } = await mailFor(to, 'Reserva confirmada');
    expect(mail.text).toContain('Corte de pelo con Alex');
    expect(await email.sendEmail({ scope: `appointment:${booking.id}`, purpose: 'email:reminder', customerKey, subject: 'Recordatorio', text: 'Mañana tienes cita.' })).toEqual({ status: 'sent' });
    expect(await email.sendEmail({ scope: `appointment:${booking.id}`, purpose: 'email:reminder', customerKey, subject: 'Recordatorio', text: 'Mañana tienes cita.' })).toEqual({ status: 'sent' });
    await waitFor(() => received.find((m) => m.subject === 'Recordatorio'), 'the reminder');
    expect(received.filter((m) => m.subject === 'Recordatorio')).toHaveLength(1);
  });
});
