import { ApplicationFailure } from '@temporalio/common';
import { IANAZone } from 'luxon';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Ledger } from '../src/adapters/ledger';
import { parseActivityInput } from '../src/adapters/ledger/activity-failures';
import type { ContactStore } from '../src/adapters/ledger/sql-contacts';
import type { OutboxMessage, OutboxStore } from '../src/adapters/outbox/outbox-store';
import { EmailSendError, type EmailSender, type OutboundEmail } from '../src/adapters/email/email-sender';
import { buildInvitation } from '../src/adapters/email/ics';
import type { Business } from '../src/domain/booking/business';
import { toBookingView } from '../src/domain/booking/views';
import { bookingEmail, type CalendarEmailKind } from '../src/domain/language/templates/email';

/**
 * Email through the same idempotent outbox as every other message: the row for (scope, purpose) is written before
 * anything is sent, so a retried activity finds it and never sends twice; the SMTP Message-ID is derived from the
 * row. The address is the customer's (customers.email); without one nothing is sent and the answer says so.
 *
 * `sendBookingEmail` decides from the ledger alone what the customer's calendar needs: a confirmed booking is an
 * invitation (METHOD:REQUEST; SEQUENCE 0, or the number of moves behind it), a cancelled one a METHOD:CANCEL with the
 * next SEQUENCE, and a booking cancelled because it moved sends nothing (its successor's invitation updates the same
 * UID). The UID is the first booking of the chain, so it survives every move.
 */

/** Retryable: nothing certain was sent (SMTP unreachable, 4xx). */
export const EMAIL_SEND_FAILED = 'EmailSendFailed';
/** The SMTP server refused this email for good (5xx). */
export const EMAIL_REJECTED = 'EmailRejected';

export interface EmailDeps {
  ledger: Ledger;
  outbox: OutboxStore;
  contacts: ContactStore;
  sender: EmailSender;
  business: Business;
  /** The From address of invitations' ORGANIZER (MAIL_FROM). */
  from: string;
  logger?: Logger;
  now?: () => Date;
  /** How long a send may still be in flight before a row left `submitting` is sent again (same Message-ID). */
  inFlightGraceMs?: number;
}

export type EmailStatus = 'sent' | 'local' | 'no_address' | 'superseded' | 'nothing_to_send';

const locale = z.enum(['en', 'es']);
const zone = z.string().refine((z) => IANAZone.isValidZone(z), 'an IANA time zone such as "America/New_York"');
const schemas = {
  sendBookingEmail: z.object({ bookingId: z.string().min(1), locale, zone }),
  sendEmail: z.object({
    scope: z.string().min(1).max(200),
    purpose: z.string().min(1).max(200),
    customerKey: z.string().min(1).max(200),
    subject: z.string().min(1).max(300),
    text: z.string().min(1).max(20_000),
  }),
};

export type SendBookingEmailInput = z.input<typeof schemas.sendBookingEmail>;
export type SendEmailInput = z.input<typeof schemas.sendEmail>;

export function createEmailActivities(deps: EmailDeps) {
  const clock = deps.now ?? (() => new Date());
  const grace = deps.inFlightGraceMs ?? 60_000;
  const domain = deps.from.match(/@([^>\s]+)/)?.[1] ?? 'booking.local';
  const organizerEmail = deps.from.match(/<([^>]+)>/)?.[1] ?? deps.from;

  /** Sends the row once: claim it, hand it over, record the outcome. A row already past `pending` is answered as is. */
  async function drive(row: OutboxMessage, email: Omit<OutboundEmail, 'outboxId'>): Promise<EmailStatus> {
    let claimed = row.status === 'pending' ? await deps.outbox.claim(row.id) : null;
    if (!claimed && row.status === 'submitting') claimed = await deps.outbox.reclaimStale(row.id, grace);
    if (!claimed) {
      const now = (await deps.outbox.get(row.id)) ?? row;
      if (now.status === 'submitting') {
        throw ApplicationFailure.create({ message: `email ${row.id} may still be in flight; checking again before any resend`, type: EMAIL_SEND_FAILED, nextRetryDelay: grace });
      }
      return now.status === 'local' ? 'local' : 'sent';
    }
    try {
      const { messageId } = await deps.sender.send({ ...email, outboxId: claimed.id });
      const local = deps.sender.mode === 'local';
      await deps.outbox.recordSubmitted(claimed.id, { providerSid: local ? null : messageId, status: local ? 'local' : 'sent' });
      return local ? 'local' : 'sent';
    } catch (error) {
      if (!(error instanceof EmailSendError)) throw error;
      if (error.kind === 'rejected') {
        await deps.outbox.markFailed(claimed.id, { message: error.message });
        throw ApplicationFailure.nonRetryable(error.message, EMAIL_REJECTED);
      }
      await deps.outbox.release(claimed.id, { message: error.message });
      throw ApplicationFailure.retryable(error.message, EMAIL_SEND_FAILED);
    }
  }

  async function send(scope: string, purpose: string, to: string, email: Omit<OutboundEmail, 'outboxId' | 'to'>): Promise<EmailStatus> {
    const existing = await deps.outbox.find(scope, purpose);
    const row =
      existing ??
      (await deps.outbox.enqueue({ scope, purpose, channel: 'email', toAddress: to, body: `${email.subject}\n\n${email.text}` })).message;
    return drive(row, { ...email, to: row.toAddress });
  }

  return {
    /** The calendar email a booking's current state calls for (booked, moved, cancelled), once. See above. */
    async sendBookingEmail(raw: SendBookingEmailInput): Promise<{ status: EmailStatus; kind?: CalendarEmailKind; sequence?: number }> {
      const input = parseActivityInput('sendBookingEmail', schemas.sendBookingEmail, raw);
      const booking = await deps.ledger.getBooking(input.bookingId);
      if (!booking || (booking.status !== 'confirmed' && booking.status !== 'cancelled')) return { status: 'nothing_to_send' };
      const to = await deps.contacts.emailOf(booking.customerKey);
      if (!to) return { status: 'no_address' };
      const { chain, movedTo } = await deps.contacts.lineage(booking.id);
      if (booking.status === 'cancelled' && movedTo) return { status: 'superseded' };
      const kind: CalendarEmailKind = booking.status === 'cancelled' ? 'cancelled' : chain.length > 1 ? 'moved' : 'booked';
      // Every move adds one to the chain; a cancellation is one more revision of the last.
      const sequence = chain.length - 1 + (kind === 'cancelled' ? 1 : 0);
      const view = toBookingView(booking);
      const opts = { locale: input.locale, zone: input.zone, business: deps.business };
      const { subject, text } = bookingEmail({ kind, booking: view, previousStart: kind === 'moved' ? chain[chain.length - 2]?.start : undefined }, opts);
      const calendar = buildInvitation({
        method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
        uid: `${chain[0]!.id}@${domain}`,
        sequence,
        start: booking.start,
        end: booking.end,
        timezone: deps.business.timezone,
        summary: subject.replace(/^[^:]+:\s*/, ''),
        description: text,
        organizer: { name: deps.business.name, email: organizerEmail },
        attendee: to,
        stamp: clock().toISOString(),
      });
      const status = await send(`email:${chain[0]!.id}`, `${kind}:${booking.id}`, to, { subject, text, calendar: { method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST', content: calendar } });
      return { status, kind, sequence };
    },

    /** A plain email (a reminder, a waitlist offer) to the customer's address, once per (scope, purpose). */
    async sendEmail(raw: SendEmailInput): Promise<{ status: EmailStatus }> {
      const input = parseActivityInput('sendEmail', schemas.sendEmail, raw);
      const to = await deps.contacts.emailOf(input.customerKey);
      if (!to) return { status: 'no_address' };
      return { status: await send(input.scope, input.purpose, to, { subject: input.subject, text: input.text }) };
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
