import { MAX_CUSTOMER_TEXT } from '../../domain/messaging/text-length';
import { z } from '@hono/zod-openapi';
import { IANAZone } from 'luxon';

/** Schemas of the web chat API (DESIGN.md, HTTP): they validate requests and generate /openapi.json. */

export const SessionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,86}$/, 'a session id as returned by POST /api/chat/sessions')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'h3Vx0r9…' });

/** Optional: confirmations, reminders and calendar invitations by email (web chat leaves no phone number). */
export const Email = z
  .email({ message: 'must be an email address such as "dana@example.com"' })
  .max(254, 'must be at most 254 characters')
  .openapi({ example: 'dana@example.com', description: 'Where confirmations, reminders and calendar invitations go.' });

export const CreateSessionBody = z
  .object({
    timezone: z
      .string()
      .max(64)
      .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as "America/New_York"')
      .optional()
      .openapi({ example: 'America/New_York' }),
    email: Email.optional(),
  })
  .openapi('CreateSession');

export const SetEmailBody = z.object({ email: Email.nullable() }).openapi('ChatEmail');

export const CreateSessionResponse = z.object({ sessionId: z.string() }).openapi('Session');

export const PostMessageBody = z
  .object({
    // Counted in code points (zod's way, and the workflow's: src/domain/messaging/text-length.ts).
    text: z.string().trim().min(1, 'must not be empty').max(MAX_CUSTOMER_TEXT, `must be at most ${MAX_CUSTOMER_TEXT} characters`),
    clientMessageId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _.:- only, at most 100')
      .optional()
      .openapi({ description: 'Retrying with the same id never sends the message twice.' }),
  })
  .openapi('PostMessage');

const Slots = z.object({ service: z.string().optional(), date: z.string().optional(), time: z.string().optional(), provider: z.string().optional() });
const Hold = z.object({ bookingId: z.string(), service: z.string(), provider: z.string(), start: z.string(), end: z.string(), expiresAt: z.string() });
const BookingItem = z.object({
  id: z.string(),
  service: z.string(),
  provider: z.string(),
  start: z.string(),
  end: z.string(),
  status: z.enum(['confirmed', 'cancelled', 'completed', 'no_show']),
});

export const State = z
  .object({
    status: z.string(),
    slots: Slots,
    hold: Hold.nullable(),
    bookings: z.array(BookingItem),
    needsHuman: z.boolean(),
  })
  .passthrough()
  .openapi('ConversationState');

export const Reply = z.object({ text: z.string(), at: z.string() });
export const TurnResponse = z.object({ replies: z.array(Reply), state: State }).openapi('Turn');
export const PendingResponse = z
  .object({
    accepted: z.literal(true),
    messageId: z.string(),
    message: z.string(),
    /** Words for the customer while the replies are on their way ("One moment — still working on that for you."). */
    acknowledgement: z.string(),
  })
  .openapi('TurnPending');

export const TranscriptLine = z.object({ role: z.enum(['customer', 'assistant', 'operator']), text: z.string(), at: z.string() });
export const ConversationResponse = z.object({ transcript: z.array(TranscriptLine), state: State }).openapi('Conversation');

/** A signed way back into this chat (and its bookings) from a new tab or device: the customer keeps it. */
export const ManageLinkResponse = z
  .object({
    url: z.string().openapi({ example: 'https://studio.example/manage/v1.h3Vx0r9….mq1x2a.Zk3…' }),
    path: z.string().openapi({ description: 'The same link without the origin: /manage/<token>' }),
    expiresAt: z.string().openapi({ description: 'ISO-8601 instant after which the link is refused (410).' }),
  })
  .openapi('ManageLink');

/** The signed token of a manage link, as /manage/<token> carries it. */
export const ManageToken = z
  .string()
  .max(200, 'a manage link token is at most 200 characters')
  .openapi({ param: { name: 'token', in: 'path' }, example: 'v1.h3Vx0r9….mq1x2a.Zk3…' });
