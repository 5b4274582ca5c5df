import type { Logger } from 'pino';
import type { MessageSender } from './message-sender';

/**
 * The sender used when Twilio credentials are absent: each message is written to the log and its outbox row ends
 * as `local`, where the transcript and `npm run sms` show it. Nothing leaves the machine, so nothing is ambiguous.
 */
export function createLocalSender(logger: Logger): MessageSender {
  return {
    mode: 'local',
    async submit(message) {
      logger.info(
        {
          outboxId: message.outboxId,
          channel: message.channel,
          to: maskNumber(message.to),
          body: message.body,
          template: message.template?.contentSid,
        },
        'local outbox: message not sent (no Twilio credentials)',
      );
      return { providerSid: null, status: 'local' };
    },
    async findSubmitted() {
      return [];
    },
  };
}

/** `+15551234567` → `+1******4567`: enough for an operator to recognise, not enough to leak the number. */
export function maskNumber(e164: string): string {
  return e164.length <= 6 ? '***' : e164.slice(0, 2) + '*'.repeat(e164.length - 6) + e164.slice(-4);
}
