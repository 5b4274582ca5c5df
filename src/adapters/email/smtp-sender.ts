import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { EmailSendError, type EmailSender } from './email-sender';
import { maskEmail } from './local-email-sender';

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://… (nodemailer's connection URL). */
  url: string;
  /** The From header, e.g. "Studio <bookings@example.com>". */
  from: string;
  logger?: Logger;
}

/**
 * Email over SMTP with nodemailer. The Message-ID is derived from the outbox row, so if a send whose outcome was
 * unknown is repeated, mail clients see the same message twice at most, never two different ones.
 */
export function createSmtpSender(settings: SmtpSettings): EmailSender {
  const transport = nodemailer.createTransport(settings.url);
  const domain = settings.from.match(/@([^>\s]+)/)?.[1] ?? 'localhost';
  return {
    mode: 'smtp',
    async send(email) {
      const messageId = `<outbox-${email.outboxId}@${domain}>`;
      try {
        await transport.sendMail({
          from: settings.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          messageId,
          ...(email.calendar
            ? {
                // The text/calendar part with its METHOD is what calendar clients act on; the attachment is for the rest.
                icalEvent: { method: email.calendar.method, filename: 'invite.ics', content: email.calendar.content },
              }
            : {}),
        });
        settings.logger?.info({ outboxId: email.outboxId, to: maskEmail(email.to) }, 'email sent');
        return { messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const message = `SMTP refused the email to ${maskEmail(email.to)}: ${(error as Error).message}`;
        // 5xx: permanent (bad recipient, refused content); anything else (connection, 4xx) may pass later.
        throw new EmailSendError(typeof code === 'number' && code >= 500 ? 'rejected' : 'not_sent', message);
      }
    },
  };
}
