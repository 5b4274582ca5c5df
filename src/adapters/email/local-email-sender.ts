import type { Logger } from 'pino';
import type { EmailSender } from './email-sender';

/** Without SMTP settings an email stays in the local outbox (its row ends `local`) and the log says so. */
export function createLocalEmailSender(logger: Logger): EmailSender {
  return {
    mode: 'local',
    async send(email) {
      logger.info(
        { outboxId: email.outboxId, to: maskEmail(email.to), subject: email.subject, calendar: email.calendar?.method },
        'local outbox: email not sent (no SMTP_URL)',
      );
      return { messageId: `local-${email.outboxId}` };
    },
  };
}

/** `dana@example.com` → `d***@example.com`: enough to recognise, not enough to leak. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
}
