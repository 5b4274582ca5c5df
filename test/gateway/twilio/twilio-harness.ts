import { OpenAPIHono } from '@hono/zod-openapi';
import pino from 'pino';
import { signTwilioRequest } from '../../../src/gateway/twilio/signature';
import { createTwilioRoutes, type InboundMessage, type TwilioRoutesDeps } from '../../../src/gateway/twilio/routes';

export const authToken = 'test-auth-token-0123456789abcdef';
export const publicBaseUrl = 'https://book.example.com';

/** Records what reached the conversations port; `voiceReplies` scripts the voice answers. */
export class RecordingConversations {
  delivered: InboundMessage[] = [];
  voiceTurns: { message: InboundMessage; waitMs: number }[] = [];
  failNext = 0;
  voiceAnswer: (message: InboundMessage) => Promise<{ replies: string[] } | null> = async (m) => ({ replies: [`You said: ${m.text}`] });

  async deliverInbound(message: InboundMessage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('Temporal is unavailable');
    }
    await new Promise((r) => setTimeout(r, 5));
    this.delivered.push(message);
  }

  async voiceTurn(message: InboundMessage, waitMs: number) {
    this.voiceTurns.push({ message, waitMs });
    return this.voiceAnswer(message);
  }

  get calls(): number {
    return this.delivered.length + this.voiceTurns.length;
  }
}

/** The routes mounted where the gateway mounts them. */
export function mountTwilio(overrides: Partial<TwilioRoutesDeps> = {}) {
  const conversations = new RecordingConversations();
  const app = new OpenAPIHono();
  app.route(
    '/webhooks/twilio',
    createTwilioRoutes({
      authToken,
      publicBaseUrl,
      conversations,
      business: { name: 'Maple Street Studio', locale: 'en' },
      logger: pino({ level: 'silent' }),
      ...overrides,
    }),
  );
  return { app, conversations };
}

export const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

/** A form POST signed as Twilio would sign it (or with `signature` forced). */
export function twilioRequest(
  path: string,
  params: Record<string, string>,
  options: { query?: string; signature?: string | null; token?: string; contentType?: string } = {},
): [string, RequestInit] {
  const query = options.query ? `?${options.query}` : '';
  const signature =
    options.signature === undefined
      ? signTwilioRequest({ authToken: options.token ?? authToken, publicBaseUrl, path, query, params })
      : options.signature;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  return [`http://localhost${path}${query}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() }];
}
