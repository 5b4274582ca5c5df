import type { PhoneConversationsPort as TwilioConversationsPort } from '../../domain/messaging/inbound';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { formatAddress, tryParseAddress } from '../../domain/messaging/address';
import { fromTwilioStatus } from '../../domain/messaging/delivery-status';
import type { DeliveryStatusRecorder } from '../ports';
import { webhookUrl } from './signature';
import { clientAddress } from '../client-address';
import { describeIssues, errorResponse } from '../errors';
import { rateLimit } from '../middleware/rate-limit';
import { inboundMessageSchema, statusCallbackSchema, statusQuerySchema, voiceQuerySchema, voiceRequestSchema } from './inbound';
import { SeenIds } from './seen-ids';
import { requireTwilioSignature, type TwilioEnv } from './signature-middleware';
import { emptyMessagingResponse, gatherResponse, hangupResponse, redirectResponse, type VoiceLanguage } from './twiml';
import { VOICE_TEXTS } from './voice-texts';

/**
 * Twilio's doors: `POST /messaging` (SMS and WhatsApp), `POST /voice` (a `<Gather input="speech">` loop) and
 * `POST /status` (delivery status callbacks). Mount with `app.route('/webhooks/twilio', createTwilioRoutes(deps))`.
 *
 * Every request must be form-encoded, within the body limit and signed for PUBLIC_BASE_URL + path; anything else
 * gets a 4xx `{error: {code, message}}` and reaches nothing. Valid requests are answered with TwiML at once:
 * messaging replies go out later through the messaging activity, voice replies are spoken in the next TwiML.
 */

export type { InboundMessage, PhoneConversationsPort as TwilioConversationsPort } from '../../domain/messaging/inbound';

export interface TwilioRoutesDeps {
  /** TWILIO_AUTH_TOKEN; unset: every request is refused with a reason. */
  authToken?: string;
  /** PUBLIC_BASE_URL. */
  publicBaseUrl: string;
  conversations: TwilioConversationsPort;
  /** Where status callbacks are recorded; without it they are acknowledged and dropped. */
  outbox?: DeliveryStatusRecorder;
  business: { name: string; locale: 'en' | 'es' };
  logger: Logger;
  /** How long a voice request waits for the assistant before saying "one moment" (default 8 s; Twilio waits 15). */
  voiceWaitMs?: number;
  /** Body limit in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Per sending number (default 20 burst, one per 3 s) and per client address (default 300 burst, 50/s). */
  perSender?: { capacity: number; refillPerSecond: number };
  perClient?: { capacity: number; refillPerSecond: number };
  now?: () => Date;
}

const XML = { 'content-type': 'text/xml; charset=utf-8' };
const MAX_VOICE_WAITS = 3;
const MAX_SILENCES = 2;

/** Builds the router. */
export function createTwilioRoutes(deps: TwilioRoutesDeps) {
  const app = new OpenAPIHono<TwilioEnv>();
  const now = deps.now ?? (() => new Date());
  const seen = new SeenIds();
  const language: VoiceLanguage = deps.business.locale === 'es' ? 'es-ES' : 'en-US';
  const say = VOICE_TEXTS[deps.business.locale];
  const maxSize = deps.maxBodyBytes ?? 64 * 1024;

  const twiml = (c: Context, body: string, status: 200 | 429 = 200) => c.body(body, status, XML);
  const fromOf = (c: Context<TwilioEnv>) => {
    const from = c.get('twilioParams').From;
    return typeof from === 'string' ? `from:${from.slice(0, 64)}` : undefined;
  };

  app.use(
    '*',
    rateLimit({
      ...(deps.perClient ?? { capacity: 300, refillPerSecond: 50 }),
      key: (c) => `client:${clientAddress(c)}`,
      what: 'webhook requests per client address',
    }),
    bodyLimit({ maxSize, onError: (c) => errorResponse(c, 413, 'body_too_large', `request body is larger than ${maxSize} bytes`) }),
    requireTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl }),
  );
  const perSender = rateLimit({
    ...(deps.perSender ?? { capacity: 20, refillPerSecond: 1 / 3 }),
    key: (c) => fromOf(c as Context<TwilioEnv>),
    what: 'messages per sender',
    onLimited: (c) => c.body(emptyMessagingResponse(), 429, XML),
  });

  app.post('/messaging', perSender, async (c) => {
    const parsed = inboundMessageSchema.safeParse(c.get('twilioParams'));
    if (!parsed.success) return errorResponse(c, 400, 'invalid_request', describeIssues(parsed.error.issues));
    const { MessageSid, From, Body } = parsed.data;
    if (Body.trim() === '') {
      deps.logger.info({ messageSid: MessageSid }, 'inbound message with no text (media only); acknowledged, not delivered');
      return twiml(c, emptyMessagingResponse());
    }
    try {
      const delivered = await seen.once(`message:${MessageSid}`, () =>
        deps.conversations.deliverInbound({
          channel: From.channel,
          address: formatAddress(From),
          messageId: MessageSid,
          text: Body,
          receivedAt: now().toISOString(),
        }),
      );
      if (!delivered) deps.logger.info({ messageSid: MessageSid }, 'repeated MessageSid; already delivered');
    } catch (error) {
      deps.logger.error({ err: error, messageSid: MessageSid }, 'could not deliver an inbound message');
      return errorResponse(c, 503, 'unavailable', 'the booking service could not take this message; Twilio may retry it');
    }
    return twiml(c, emptyMessagingResponse());
  });

  app.post('/voice', perSender, async (c) => {
    const body = voiceRequestSchema.safeParse(c.get('twilioParams'));
    const query = voiceQuerySchema.safeParse(Object.fromEntries(new URL(c.req.url).searchParams));
    if (!body.success || !query.success) {
      return errorResponse(c, 400, 'invalid_request', describeIssues([...(body.error?.issues ?? []), ...(query.error?.issues ?? [])]));
    }
    const { CallSid, From, SpeechResult } = body.data;
    const { turn, silence, wait } = query.data;
    const caller = tryParseAddress(From);
    if (!caller || caller.channel !== 'sms') return twiml(c, hangupResponse([say.hiddenNumber], language));

    const action = (next: Record<string, string | number>) =>
      webhookUrl(deps.publicBaseUrl, c.req.path, new URLSearchParams(Object.entries(next).map(([k, v]): [string, string] => [k, String(v)])).toString());

    const speech = (SpeechResult ?? query.data.speech ?? '').trim();
    if (turn === 0 && speech === '') return twiml(c, gatherResponse([say.greeting(deps.business.name)], action({ turn: 1 }), language));
    if (speech === '') {
      if (silence + 1 >= MAX_SILENCES) return twiml(c, hangupResponse([say.goodbye], language));
      return twiml(c, gatherResponse([say.notHeard], action({ turn, silence: silence + 1 }), language));
    }

    try {
      const result = await deps.conversations.voiceTurn(
        { channel: 'voice', address: caller.e164, messageId: `${CallSid}:${turn}`, text: speech, receivedAt: now().toISOString() },
        deps.voiceWaitMs ?? 8_000,
      );
      if (!result) {
        if (wait + 1 >= MAX_VOICE_WAITS) return twiml(c, gatherResponse([say.tooSlow], action({ turn: turn + 1 }), language));
        return twiml(c, redirectResponse([say.stillWorking], action({ turn, speech, wait: wait + 1 }), language));
      }
      const lines = result.replies.length > 0 ? result.replies : [say.anythingElse];
      return twiml(c, gatherResponse(lines, action({ turn: turn + 1 }), language));
    } catch (error) {
      deps.logger.error({ err: error, callSid: CallSid }, 'voice turn failed');
      return twiml(c, hangupResponse([say.unavailable], language));
    }
  });

  app.post('/status', async (c) => {
    const body = statusCallbackSchema.safeParse(c.get('twilioParams'));
    const query = statusQuerySchema.safeParse(Object.fromEntries(new URL(c.req.url).searchParams));
    if (!body.success || !query.success) {
      return errorResponse(c, 400, 'invalid_request', describeIssues([...(body.error?.issues ?? []), ...(query.error?.issues ?? [])]));
    }
    const status = fromTwilioStatus(body.data.MessageStatus);
    if (!status || !deps.outbox) return c.body(null, 204);
    try {
      const { changed } = await deps.outbox.recordStatus({
        id: query.data.outboxId,
        providerSid: body.data.MessageSid,
        status,
        errorCode: body.data.ErrorCode ? Number(body.data.ErrorCode) : null,
        errorMessage: body.data.ErrorMessage ?? null,
      });
      deps.logger.debug({ messageSid: body.data.MessageSid, status, changed }, 'delivery status');
    } catch (error) {
      deps.logger.error({ err: error }, 'could not record a delivery status');
      return errorResponse(c, 503, 'unavailable', 'the status could not be recorded; Twilio may retry it');
    }
    return c.body(null, 204);
  });

  registerDocs(app);
  return app;
}

/** OpenAPI entries (paths relative to the mount point; the parent prefixes them). */
function registerDocs(app: OpenAPIHono<TwilioEnv>): void {
  const form = (schema: z.ZodType) => ({ content: { 'application/x-www-form-urlencoded': { schema } }, required: true });
  const signed = { headers: z.object({ 'x-twilio-signature': z.string().openapi({ description: 'HMAC-SHA1 of PUBLIC_BASE_URL + path (+ query) and the sorted form fields' }) }) };
  const refusals = {
    400: { description: 'Signed but malformed' },
    403: { description: 'Bad or missing signature, or TWILIO_AUTH_TOKEN not set' },
    413: { description: 'Body too large' },
    415: { description: 'Not form-encoded' },
    429: { description: 'Rate limited' },
  };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/messaging',
    summary: 'Inbound SMS and WhatsApp (Twilio webhook); answers empty TwiML, the reply follows via the REST API',
    request: { ...signed, body: form(z.object({ MessageSid: z.string(), From: z.string(), To: z.string().optional(), Body: z.string().optional() })) },
    responses: { 200: { description: 'Empty TwiML', content: { 'text/xml': { schema: z.string() } } }, ...refusals },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/voice',
    summary: 'Voice call (Twilio webhook): a <Gather input="speech"> loop over the conversation',
    request: { ...signed, body: form(z.object({ CallSid: z.string(), From: z.string(), SpeechResult: z.string().optional() })) },
    responses: { 200: { description: 'TwiML', content: { 'text/xml': { schema: z.string() } } }, ...refusals },
  });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/status',
    summary: 'Delivery status callback (Twilio webhook); stored forward-only',
    request: { ...signed, body: form(z.object({ MessageSid: z.string(), MessageStatus: z.string(), ErrorCode: z.string().optional() })) },
    responses: { 204: { description: 'Recorded (or ignored when not a forward move)' }, ...refusals },
  });
}
