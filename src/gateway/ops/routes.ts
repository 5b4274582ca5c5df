import { MAX_PHONE_BODY } from '../../domain/messaging/text-length';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { GatewayDeps } from '../deps';
import { requireOpsToken } from './auth';
import { ErrorBody, errorResponse } from '../errors';
import { validationHook } from '../validation';
import { ConversationResponse } from '../chat/schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const errors = {
  400: { description: 'Invalid request', content: json(ErrorBody) },
  401: { description: 'Missing or wrong bearer token', content: json(ErrorBody) },
  404: { description: 'Not found', content: json(ErrorBody) },
};
const WorkflowIdParam = z.object({
  workflowId: z
    .string()
    .regex(/^conversation:(sms|whatsapp|voice|chat):[A-Za-z0-9_-]{1,128}$/, 'a conversation workflow id, conversation:<channel>:<key>')
    .openapi({ param: { name: 'workflowId', in: 'path' } }),
});

const listRoute = createRoute({
  method: 'get',
  path: '/conversations',
  summary: 'List conversations from Temporal visibility',
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      status: z.enum(['open', 'holding', 'booked', 'human', 'closed']).optional(),
      needsHuman: z.enum(['true', 'false']).optional(),
      address: z.string().max(64).optional().openapi({ description: 'E.164 number or whatsapp:+… address' }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: 'Conversations',
      content: json(
        z.object({
          conversations: z.array(z.object({ workflowId: z.string(), channel: z.string(), status: z.string(), needsHuman: z.boolean(), updatedAt: z.string() })),
        }),
      ),
    },
    ...errors,
  },
});

const viewRoute = createRoute({
  method: 'get',
  path: '/conversations/{workflowId}',
  summary: 'Transcript and state of one conversation',
  security: [{ bearer: [] }],
  request: { params: WorkflowIdParam },
  responses: { 200: { description: 'The conversation', content: json(ConversationResponse) }, ...errors },
});

const replyRoute = createRoute({
  method: 'post',
  path: '/conversations/{workflowId}/messages',
  summary: 'Reply as staff (takes the conversation over)',
  security: [{ bearer: [] }],
  request: {
    params: WorkflowIdParam,
    body: { required: true, content: json(z.object({ text: z.string().trim().min(1).max(MAX_PHONE_BODY, `must be at most ${MAX_PHONE_BODY} characters, what one SMS or WhatsApp message can carry`), operator: z.string().trim().min(1).max(64).optional() })) },
  },
  responses: { 202: { description: 'Sent to the conversation', content: json(z.object({ ok: z.literal(true) })) }, ...errors },
});

const handBackRoute = createRoute({
  method: 'post',
  path: '/conversations/{workflowId}/hand-back',
  summary: 'Return the conversation to the assistant',
  security: [{ bearer: [] }],
  request: { params: WorkflowIdParam },
  responses: { 202: { description: 'Handed back', content: json(z.object({ ok: z.literal(true) })) }, ...errors },
});

const attendanceRoute = createRoute({
  method: 'post',
  path: '/bookings/{id}/attendance',
  summary: 'Mark whether the customer came (drives the no-show follow-up)',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a booking id').openapi({ param: { name: 'id', in: 'path' } }) }),
    body: { required: true, content: json(z.object({ attended: z.boolean() })) },
  },
  responses: { 202: { description: 'Recorded', content: json(z.object({ ok: z.literal(true) })) }, ...errors },
});

const cancelBookingRoute = createRoute({
  method: 'post',
  path: '/bookings/{id}/cancel',
  summary: 'Cancel a booking as the business: the policy window does not apply; the customer is told on their channel',
  security: [{ bearer: [] }],
  request: {
    params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a booking id').openapi({ param: { name: 'id', in: 'path' } }) }),
    body: { required: false, content: json(z.object({ operator: z.string().trim().min(1).max(80).optional() })) },
  },
  responses: { 202: { description: 'Cancelling', content: json(z.object({ ok: z.literal(true) })) }, ...errors },
});

/** The operator API (DESIGN.md): bearer OPS_TOKEN; conversations found by status, hand-off flag or phone number. */
export function createOpsRoutes(deps: GatewayDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app.use('*', requireOpsToken(deps.opsToken));

  app.openapi(listRoute, async (c) => {
    const { status, needsHuman, address, limit } = c.req.valid('query');
    let workflowIds: string[] | undefined;
    if (address) {
      try {
        workflowIds = deps.addressing.identify(address).conversationIds;
      } catch {
        return errorResponse(c, 400, 'invalid_address', 'address must be an E.164 number such as +15551234567, whatsapp:+15551234567 or chat:<session id>');
      }
    }
    if (!deps.visibility) return errorResponse(c, 404, 'no_visibility', 'visibility is not configured on this gateway');
    const conversations = await deps.visibility.find({ status, needsHuman: needsHuman === undefined ? undefined : needsHuman === 'true', workflowIds, limit });
    return c.json({ conversations }, 200);
  });

  app.openapi(viewRoute, async (c) => {
    const { workflowId } = c.req.valid('param');
    const view = await deps.conversations.view(workflowId);
    if (!view) return errorResponse(c, 404, 'not_found', `no conversation ${workflowId}`);
    return c.json({ transcript: view.transcript.map(({ role, text, at }) => ({ role, text, at })), state: view.state }, 200);
  });

  app.openapi(replyRoute, async (c) => {
    const { workflowId } = c.req.valid('param');
    const { text, operator } = c.req.valid('json');
    const ok = await deps.conversations.operatorReply(workflowId, text, operator ?? 'staff');
    if (!ok) return errorResponse(c, 404, 'not_found', `no running conversation ${workflowId}`);
    return c.json({ ok: true as const }, 202);
  });

  app.openapi(handBackRoute, async (c) => {
    const { workflowId } = c.req.valid('param');
    const ok = await deps.conversations.handBack(workflowId);
    if (!ok) return errorResponse(c, 404, 'not_found', `no running conversation ${workflowId}`);
    return c.json({ ok: true as const }, 202);
  });

  app.openapi(attendanceRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { attended } = c.req.valid('json');
    const ok = await deps.conversations.markAttendance(id, attended);
    if (!ok) return errorResponse(c, 404, 'not_found', `no appointment ${id} is being followed`);
    return c.json({ ok: true as const }, 202);
  });

  app.openapi(cancelBookingRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
    const ok = await deps.conversations.cancelAsBusiness(id, body?.operator ?? 'staff');
    if (!ok) return errorResponse(c, 404, 'not_found', `no appointment ${id} is being followed (it may have ended or been cancelled already)`);
    return c.json({ ok: true as const }, 202);
  });
  return app;
}
