/**
 * The port outbound email goes through: SMTP (nodemailer) when SMTP_URL is set, otherwise the local outbox (the log
 * and the outbox row). Shaped to what the email activity needs: one message, with an optional calendar invitation.
 */
export interface OutboundEmail {
  /** The outbox row: it names the message (Message-ID), so a resend after an unknown outcome is the same email. */
  outboxId: number;
  to: string;
  subject: string;
  text: string;
  /** An iCalendar object (METHOD:REQUEST or METHOD:CANCEL), attached as invite.ics and as the text/calendar part. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** Why a send failed: `rejected` (the server refused this recipient or message for good) or `not_sent` (retry). */
export class EmailSendError extends Error {
  override name = 'EmailSendError';
  constructor(
    readonly kind: 'rejected' | 'not_sent',
    message: string,
  ) {
    super(message);
  }
}

export interface EmailSender {
  readonly mode: 'smtp' | 'local';
  /** Hands the message over once; throws {@link EmailSendError}. Returns the Message-ID used. */
  send(email: OutboundEmail): Promise<{ messageId: string }>;
}
