import { textLength } from '../src/domain/messaging/text-length';
import { CHANNELS, traitsOf, type Channel } from '../src/domain/messaging/channel';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { tryParseAddress } from '../src/domain/messaging/address';
import type { DeliveryStatus } from '../src/domain/messaging/delivery-status';
import { chooseWhatsappContent } from '../src/domain/messaging/whatsapp-window';
import { SendError, type MessageSender, type OutboundMessage } from '../src/adapters/outbox/message-sender';
import type { OutboxMessage, OutboxStore } from '../src/adapters/outbox/outbox-store';

/**
 * The messaging activity: every outbound message of every channel goes through `sendMessage`.
 *
 * Idempotent by construction: the outbox row for (scope, purpose) is written before anything is sent, and a
 * repeated call — a Temporal retry, a replayed workflow, a second worker — finds that row and carries on from its
 * state instead of sending again. The Twilio MessageSid is stored the moment it is known. A submit whose outcome is
 * unknown (timeout, reset, 5xx) is reconciled against Twilio's message list before anything is resent, and is
 * resent only once no earlier attempt can still be in flight.
 *
 * Business refusals come back as values (`suppressed_opt_out`, `template_required`) so the
 * workflow can carry on; failures that retrying cannot fix are non-retryable ApplicationFailures of the types below.
 */

/** The input was malformed (a bug in the caller): fix the call. */
export const INVALID_MESSAGE_REQUEST = 'InvalidMessageRequest';
/** The provider refused this message for good (e.g. 21211 invalid number); the outbox row is `failed`. */
export const MESSAGE_REJECTED = 'MessageRejected';
/** Twilio refused the account credentials: fix TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN. */
export const TWILIO_CREDENTIALS_REJECTED = 'TwilioCredentialsRejected';
/** Retryable: nothing was sent (Twilio unreachable, rate limited). */
export const MESSAGE_SEND_FAILED = 'MessageSendFailed';
/** Retryable: an earlier submit may still be in flight; the retry reconciles before sending. */
export const MESSAGE_SEND_IN_FLIGHT = 'MessageSendInFlight';

export type MessageChannel = Channel;

/** Who a message is for, as the opt-out callbacks see it. */
export interface Recipient {
  customerKey: string;
  /** As given to sendMessage: E.164, `whatsapp:+…`, or `chat:<key>`. */
  address: string;
  channel: MessageChannel;
}

export interface MessagingActivityDeps {
  outbox: OutboxStore;
  /** Twilio, or the local outbox when there are no credentials. */
  sender: MessageSender;
  /** True when the customer has opted out (STOP). Asked before every SMS and WhatsApp message. */
  isOptedOut(recipient: Recipient): Promise<boolean>;
  /** Told when Twilio says the recipient opted out (error 21610), so the ledger can record it. */
  onOptedOut?(recipient: Recipient): Promise<void>;
  logger?: Logger;
  /**
   * How long a submit may still be in flight (sender timeout plus margin; default 30 s). Until then an
   * unresolved submit is not resent; after it, a submit Twilio has no trace of is sent again.
   */
  inFlightGraceMs?: number;
  /** Clock for the WhatsApp window (tests). */
  now?: () => Date;
}

const MAX_CHAT_BODY = 20_000;

const sendMessageInputSchema = z
  .object({
    scope: z.string().min(1).max(200),
    purpose: z.string().min(1).max(200),
    channel: z.enum(CHANNELS),
    to: z.string().min(1).max(200),
    customerKey: z.string().min(1).max(200),
    text: z.string().max(MAX_CHAT_BODY),
    whatsappTemplate: z
      .object({ contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Twilio Content SID: "HX" + 32 hex digits'), variables: z.record(z.string(), z.string()) })
      .optional(),
    lastInboundAt: z.string().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.text.trim() === '' && !input.whatsappTemplate) ctx.addIssue({ code: 'custom', path: ['text'], message: 'the message is empty' });
    const limit = traitsOf(input.channel).bodyLimit;
    if (limit !== null && textLength(input.text) > limit) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: `longer than Twilio's ${limit} characters; split it into several messages` });
    }
  });

export interface SendMessageInput {
  /** Conversation workflow id or booking id. */
  scope: string;
  /** Unique within the scope: `turn:3:0`, `confirmation`, `reminder:PT24H@<start>`. The idempotency key. */
  purpose: string;
  channel: MessageChannel;
  /** E.164 or `whatsapp:+…` for phone channels; anything (e.g. `chat:<key>`) for chat. */
  to: string;
  customerKey: string;
  text: string;
  /** Sent instead of `text` on WhatsApp outside the 24 h window. */
  whatsappTemplate?: { contentSid: string; variables: Record<string, string> };
  /** When the customer last wrote (ISO-8601): opens the WhatsApp window. */
  lastInboundAt?: string;
}

export type SendMessageStatus =
  /** Twilio accepted it (or had already: a repeated call). */
  | 'sent'
  /** Written to the local outbox (no Twilio credentials). */
  | 'local'
  /** Chat and voice: recorded for the transcript, which is the delivery. */
  | 'recorded'
  /** Not sent: the customer opted out (here or at Twilio, 21610). */
  | 'suppressed_opt_out'
  /** Not sent: WhatsApp outside the 24 h window and no template given (or Twilio said 63016). */
  | 'template_required';

export interface SendMessageResult {
  status: SendMessageStatus;
  /** The outbox row; null when nothing was recorded (template_required before sending, deferred). */
  outboxId: number | null;
  providerSid?: string | null;
  deliveryStatus?: DeliveryStatus;
}

/** Builds the messaging activities over the outbox, a sender and the opt-out store. */
export function createMessagingActivities(deps: MessagingActivityDeps) {
  const graceMs = deps.inFlightGraceMs ?? 30_000;
  const now = deps.now ?? (() => new Date());

  function resultOf(row: OutboxMessage): SendMessageResult {
    const base = { outboxId: row.id, providerSid: row.providerSid, deliveryStatus: row.status };
    switch (row.status) {
      case 'recorded':
        return { ...base, status: 'recorded' };
      case 'local':
        return { ...base, status: 'local' };
      case 'suppressed':
        return { ...base, status: 'suppressed_opt_out' };
      case 'failed':
        if (row.providerSid) return { ...base, status: 'sent' }; // delivery failed after Twilio took it
        if (row.errorCode === 21610) return { ...base, status: 'suppressed_opt_out' };
        if (row.errorCode === 63016) return { ...base, status: 'template_required' };
        throw ApplicationFailure.nonRetryable(
          `message ${row.scope}/${row.purpose} was refused by the provider${row.errorCode ? ` (error ${row.errorCode})` : ''}: ${row.errorMessage ?? 'no reason given'}`,
          MESSAGE_REJECTED,
        );
      default:
        return { ...base, status: 'sent' };
    }
  }

  function outbound(row: OutboxMessage): OutboundMessage {
    const address = tryParseAddress(row.toAddress);
    if (!address) throw ApplicationFailure.nonRetryable(`outbox row ${row.id} has no phone address`, INVALID_MESSAGE_REQUEST);
    const channel = row.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    return row.templateSid
      ? { outboxId: row.id, channel, to: address.e164, template: { contentSid: row.templateSid, variables: row.templateVars ?? {} } }
      : { outboxId: row.id, channel, to: address.e164, body: row.body ?? '' };
  }

  async function submit(row: OutboxMessage, recipient: Recipient): Promise<SendMessageResult> {
    try {
      const submitted = await deps.sender.submit(outbound(row));
      return resultOf(await deps.outbox.recordSubmitted(row.id, submitted));
    } catch (error) {
      if (!(error instanceof SendError)) throw error;
      switch (error.kind) {
        case 'opted_out': {
          await deps.outbox.markFailed(row.id, { code: error.code ?? 21610, message: error.message });
          await deps.onOptedOut?.(recipient);
          deps.logger?.info({ outboxId: row.id }, 'recipient opted out at Twilio (21610); recorded, not retried');
          return { status: 'suppressed_opt_out', outboxId: row.id, deliveryStatus: 'failed' };
        }
        case 'window_closed':
          await deps.outbox.markFailed(row.id, { code: error.code ?? 63016, message: error.message });
          return { status: 'template_required', outboxId: row.id, deliveryStatus: 'failed' };
        case 'rejected':
        case 'credentials':
          await deps.outbox.markFailed(row.id, { code: error.code ?? null, message: error.message });
          throw ApplicationFailure.nonRetryable(error.message, error.kind === 'credentials' ? TWILIO_CREDENTIALS_REJECTED : MESSAGE_REJECTED);
        case 'not_sent':
          await deps.outbox.release(row.id, { code: error.code ?? null, message: error.message });
          throw ApplicationFailure.retryable(error.message, MESSAGE_SEND_FAILED);
        case 'ambiguous':
          return reconcile(row, recipient);
      }
    }
  }

  /**
   * A row left in `submitting`: find the message at Twilio, or — once no earlier submit can still be in flight —
   * send it again. Never two sends at once: the resend first retakes the row atomically.
   */
  async function reconcile(row: OutboxMessage, recipient: Recipient): Promise<SendMessageResult> {
    const message = outbound(row);
    let candidates;
    try {
      candidates = await deps.sender.findSubmitted(message, new Date(row.createdAt));
    } catch (error) {
      throw ApplicationFailure.retryable(
        `could not check whether message ${row.id} reached Twilio: ${error instanceof Error ? error.message : String(error)}`,
        MESSAGE_SEND_IN_FLIGHT,
      );
    }
    const owned = await deps.outbox.claimedProviderSids(candidates.map((c) => c.providerSid));
    const found = candidates.find((c) => !owned.has(c.providerSid));
    if (found) {
      deps.logger?.info({ outboxId: row.id, attempts: row.attempts }, 'ambiguous submit reconciled: Twilio has the message');
      return resultOf(await deps.outbox.recordSubmitted(row.id, found));
    }
    const retaken = await deps.outbox.reclaimStale(row.id, graceMs);
    if (retaken) {
      deps.logger?.warn({ outboxId: row.id, attempts: retaken.attempts }, 'earlier submit never reached Twilio; sending again');
      return submit(retaken, recipient);
    }
    const current = await deps.outbox.get(row.id);
    if (current && current.status !== 'submitting') return drive(current, recipient);
    const startedAt = Date.parse(current?.submitStartedAt ?? row.submitStartedAt ?? row.createdAt);
    const waitMs = Math.min(Math.max(startedAt + graceMs - now().getTime(), 1000), graceMs);
    throw ApplicationFailure.create({
      message: `message ${row.id} may still be in flight to Twilio; checking again before any resend`,
      type: MESSAGE_SEND_IN_FLIGHT,
      nextRetryDelay: waitMs,
    });
  }

  async function drive(row: OutboxMessage, recipient: Recipient): Promise<SendMessageResult> {
    if (row.status === 'pending') {
      const claimed = await deps.outbox.claim(row.id);
      if (claimed) return submit(claimed, recipient);
      const latest = await deps.outbox.get(row.id);
      if (!latest) throw new Error(`outbox row ${row.id} disappeared while sending`);
      return drive(latest, recipient);
    }
    if (row.status === 'submitting' && !row.providerSid) return reconcile(row, recipient);
    return resultOf(row);
  }

  return {
    /**
     * Sends one message once. See {@link SendMessageInput} and {@link SendMessageResult}; safe to call again
     * with the same (scope, purpose) any number of times.
     */
    async sendMessage(raw: SendMessageInput): Promise<SendMessageResult> {
      const parsed = sendMessageInputSchema.safeParse(raw);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
        throw ApplicationFailure.nonRetryable(`sendMessage input is invalid — ${problems}`, INVALID_MESSAGE_REQUEST);
      }
      const input = parsed.data;
      const recipient: Recipient = { customerKey: input.customerKey, address: input.to, channel: input.channel };

      const existing = await deps.outbox.find(input.scope, input.purpose);
      if (existing) return drive(existing, recipient);

      const row = { scope: input.scope, purpose: input.purpose, channel: input.channel, toAddress: input.to };
      if (!traitsOf(input.channel).phoneMessaging) {
        const { message } = await deps.outbox.enqueue({ ...row, body: input.text, status: 'recorded' });
        return drive(message, recipient);
      }

      const address = tryParseAddress(input.to);
      if (!address) {
        throw ApplicationFailure.nonRetryable(`"to" must be E.164 or whatsapp:+E.164 for ${input.channel}, got ${JSON.stringify(input.to.slice(0, 40))}`, INVALID_MESSAGE_REQUEST);
      }
      const phoneRow = { ...row, toAddress: address.e164 };

      if (await deps.isOptedOut(recipient)) {
        const { message } = await deps.outbox.enqueue({ ...phoneRow, body: input.text, status: 'suppressed', errorMessage: 'not sent: the customer opted out (STOP)' });
        return drive(message, recipient);
      }

      const at = now();
      let content: { body: string } | { body: null; templateSid: string; templateVars: Record<string, string> } = { body: input.text };
      if (traitsOf(input.channel).templateOutsideWindow) {
        const choice = chooseWhatsappContent({ text: input.text, template: input.whatsappTemplate, lastInboundAt: input.lastInboundAt, now: at });
        if (choice.kind === 'template_required') return { status: 'template_required', outboxId: null };
        if (choice.kind === 'template') content = { body: null, templateSid: choice.template.contentSid, templateVars: choice.template.variables };
      }
      const { message } = await deps.outbox.enqueue({ ...phoneRow, ...content });
      return drive(message, recipient);
    },
  };
}

export type MessagingActivities = ReturnType<typeof createMessagingActivities>;
