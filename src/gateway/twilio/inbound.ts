import { z } from 'zod';
import { tryParseAddress, type PhoneAddress } from '../../domain/messaging/address';

/**
 * The webhook fields we act on, validated after the signature check. Twilio sends many more; they are ignored.
 * Every limit is generous for Twilio and tight for anyone else.
 */

const phone = z
  .string()
  .max(64)
  .transform((raw, ctx): PhoneAddress => {
    const parsed = tryParseAddress(raw);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'must be E.164 (e.g. "+15551234567") or "whatsapp:+…"' });
      return z.NEVER;
    }
    return parsed;
  });

/** An inbound SMS or WhatsApp message (`POST /messaging`). */
export const inboundMessageSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'a Twilio message SID ("SM" + 32 hex digits)'),
  From: phone,
  To: z.string().max(64).optional(),
  Body: z.string().max(1600, 'longer than Twilio allows (1600 characters)').default(''),
  NumMedia: z.string().regex(/^\d{1,2}$/).optional(),
});

/** A voice webhook: the call's first request, or a `<Gather>` result (`POST /voice`). */
export const voiceRequestSchema = z.object({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'a Twilio call SID ("CA" + 32 hex digits)'),
  From: z.string().max(64),
  SpeechResult: z.string().max(2000).optional(),
  Confidence: z.string().max(32).optional(),
});

/** The loop position the voice route keeps in its own (signed) action URL. */
export const voiceQuerySchema = z.object({
  turn: z.coerce.number().int().min(0).max(500).default(0),
  silence: z.coerce.number().int().min(0).max(10).default(0),
  /** Set on a redirect while the assistant is still thinking: the same utterance, asked for again. */
  speech: z.string().max(2000).optional(),
  wait: z.coerce.number().int().min(0).max(10).default(0),
});

/** A delivery status callback (`POST /status?outboxId=N`). */
export const statusCallbackSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'a Twilio message SID'),
  MessageStatus: z.string().max(32),
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional(),
  ErrorMessage: z.string().max(500).optional(),
});

export const statusQuerySchema = z.object({
  outboxId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});
