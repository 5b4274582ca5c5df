import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { acknowledgementFor } from './acknowledgement';
import { randomUUID } from 'node:crypto';
import { conversationWorkflowId } from '../../domain/messaging/addressing';
import { clientAddress } from '../client-address';
import type { GatewayDeps } from '../deps';
import { ErrorBody, errorResponse } from '../errors';
import { validationHook } from '../validation';
import { rateLimit } from '../middleware/rate-limit';
import {
  ConversationResponse,
  CreateSessionBody,
  CreateSessionResponse,
  ManageLinkResponse,
  PendingResponse,
  PostMessageBody,
  SessionId,
  SetEmailBody,
  TurnResponse,
} from './schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const errors = {
  400: { description: 'Invalid request', content: json(ErrorBody) },
  404: { description: 'No such session', content: json(ErrorBody) },
  429: { description: 'Rate limited', content: json(ErrorBody) },
};
const params = z.object({ id: SessionId });

const createSession = createRoute({
  method: 'post',
  path: '/sessions',
  summary: 'Open a chat session',
  request: { body: { content: json(CreateSessionBody), required: false } },
  responses: { 201: { description: 'Created', content: json(CreateSessionResponse) }, ...errors },
});

const postMessage = createRoute({
  method: 'post',
  path: '/sessions/{id}/messages',
  summary: 'Send a customer message and wait (bounded) for the replies',
  request: { params, body: { content: json(PostMessageBody), required: true } },
  responses: {
    200: { description: 'The turn finished', content: json(TurnResponse) },
    202: { description: 'Accepted; the replies will follow in the transcript and the event stream', content: json(PendingResponse) },
    ...errors,
  },
});

const setEmail = createRoute({
  method: 'put',
  path: '/sessions/{id}/email',
  summary: 'Give (or with null withdraw) an email address for confirmations, reminders and calendar invitations',
  request: { params, body: { content: json(SetEmailBody), required: true } },
  responses: { 204: { description: 'Remembered' }, ...errors },
});

const getSession = createRoute({
  method: 'get',
  path: '/sessions/{id}',
  summary: 'Transcript and state of a chat session',
  request: { params },
  responses: { 200: { description: 'The conversation', content: json(ConversationResponse) }, ...errors },
});

const events = createRoute({
  method: 'get',
  path: '/sessions/{id}/events',
  summary: 'Server-sent events: each assistant or staff message as it is sent',
  request: { params },
  responses: { 200: { description: 'An event stream (text/event-stream) of {role, text, at}', content: { 'text/event-stream': { schema: z.string() } } }, ...errors },
});

const manageLink = createRoute({
  method: 'get',
  path: '/sessions/{id}/manage-link',
  summary: 'A signed "manage my booking" link that reopens this chat and its bookings in another tab or device (GET /manage/{token})',
  request: { params },
  responses: { 200: { description: 'The link', content: json(ManageLinkResponse) }, ...errors },
});

/** How long a manage link works: as far ahead as a booking can be made, and a month past it. */
export function manageLinkLifetimeMs(deps: Pick<GatewayDeps, 'business'>): number {
  return (deps.business.policies.maxDaysAhead + 30) * 24 * 3600 * 1000;
}

/** The web chat API of DESIGN.md. The session id is a bearer secret: logged only as a short prefix. */
export function createChatRoutes(deps: GatewayDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const target = (sessionId: string, zone?: string) => deps.addressing.chatTarget(sessionId, zone);
  const workflowId = (sessionId: string) => conversationWorkflowId('chat', target(sessionId).key);
  const short = (sessionId: string) => `${sessionId.slice(0, 6)}…`;

  app.use('/sessions', rateLimit({ capacity: 10, refillPerSecond: 0.2, what: 'new sessions per client address', key: (c) => (c.req.method === 'POST' ? clientAddress(c) : undefined) }));
  app.use('/sessions/:id/*', rateLimit({ capacity: 120, refillPerSecond: 2, what: 'requests per client address', key: (c) => clientAddress(c) }));
  app.use('/sessions/:id/messages', rateLimit({ capacity: 8, refillPerSecond: 0.5, what: 'messages per session', key: (c) => c.req.param('id') }));

  app.openapi(createSession, async (c) => {
    const body = c.req.valid('json') ?? {};
    const sessionId = deps.addressing.newChatSession();
    const opened = target(sessionId, body.timezone);
    await deps.conversations.open(opened);
    if (body.email) await deps.conversations.rememberEmail(opened.customerKey, body.email);
    deps.logger.info({ session: short(sessionId) }, 'chat session opened');
    return c.json({ sessionId }, 201);
  });

  app.openapi(setEmail, async (c) => {
    const { id } = c.req.valid('param');
    const { email } = c.req.valid('json');
    if (!(await deps.conversations.exists(workflowId(id)))) return errorResponse(c, 404, 'session_not_found', 'no such chat session; open one with POST /api/chat/sessions');
    await deps.conversations.rememberEmail(target(id).customerKey, email);
    return c.body(null, 204);
  });

  app.openapi(postMessage, async (c) => {
    const { id } = c.req.valid('param');
    const { text, clientMessageId } = c.req.valid('json');
    // Only an open session can take messages: an unknown id must not start a workflow.
    if (!(await deps.conversations.exists(workflowId(id)))) return errorResponse(c, 404, 'session_not_found', 'no such chat session; open one with POST /api/chat/sessions');
    const message = { messageId: `chat:${clientMessageId ?? randomUUID()}`, text, receivedAt: new Date().toISOString(), channel: 'chat' as const };
    const outcome = await deps.conversations.post(target(id), message, deps.turnWaitMs);
    if (outcome.kind === 'pending') {
      return c.json(
        {
          accepted: true as const,
          messageId: outcome.messageId,
          message: 'still working on it; the replies will appear in the transcript and events',
          acknowledgement: acknowledgementFor(text, deps.business),
        },
        202,
      );
    }
    return c.json(outcome.result, 200);
  });

  app.openapi(getSession, async (c) => {
    const { id } = c.req.valid('param');
    const view = await deps.conversations.view(workflowId(id));
    if (!view) return errorResponse(c, 404, 'session_not_found', 'no such chat session; open one with POST /api/chat/sessions');
    return c.json({ transcript: view.transcript.map(({ role, text, at }) => ({ role, text, at })), state: view.state }, 200);
  });

  app.openapi(manageLink, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.conversations.exists(workflowId(id)))) return errorResponse(c, 404, 'session_not_found', 'no such chat session; open one with POST /api/chat/sessions');
    const expiresAt = new Date(Math.floor((Date.now() + manageLinkLifetimeMs(deps)) / 1000) * 1000); // the token keeps seconds
    const path = `/manage/${deps.manageLinks.issue(id, expiresAt)}`;
    c.header('Cache-Control', 'no-store');
    return c.json({ url: new URL(path, c.req.url).toString(), path, expiresAt: expiresAt.toISOString() }, 200);
  });

  app.openapi(events, async (c) => {
    const { id } = c.req.valid('param');
    const wid = workflowId(id);
    const first = await deps.conversations.transcriptAfter(wid, 0);
    if (first === null) return errorResponse(c, 404, 'session_not_found', 'no such chat session; open one with POST /api/chat/sessions');
    const lastEventId = Number(c.req.header('last-event-id') ?? Number.NaN);
    let cursor = Number.isFinite(lastEventId) ? lastEventId : (first.at(-1)?.seq ?? 0);
    const pollMs = deps.eventsPollMs ?? 500;
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      while (open) {
        const lines = await deps.conversations.transcriptAfter(wid, cursor).catch(() => null);
        for (const line of lines ?? []) {
          cursor = line.seq;
          if (line.role === 'customer') continue;
          await stream.writeSSE({ id: String(line.seq), event: 'message', data: JSON.stringify({ role: line.role, text: line.text, at: line.at }) });
        }
        await stream.sleep(pollMs);
      }
    }) as never;
  });

  return app;
}
