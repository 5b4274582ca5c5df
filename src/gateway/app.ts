import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { createChatRoutes } from './chat/routes';
import { createManageRoutes } from './chat/manage';
import { chatPage } from './chat/page';
import type { GatewayDeps } from './deps';
import { HttpError, errorResponse } from './errors';
import { createHealthRoutes } from './health';
import { createOpsRoutes } from './ops/routes';
import { createCodecRoutes } from './codec/routes';
import { createForgetRoutes } from './ops/forget';
import { createTwilioRoutes } from './twilio/routes';
import { createStaffRoutes, createStaffUnavailableRoutes } from './staff/routes';
import { validationHook } from './validation';

/**
 * The Hono gateway: one router per resource, mounted with app.route(). It validates, forwards to Temporal and
 * answers; it holds no business rule.
 */
export function createApp(deps: GatewayDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  // Chat pages may be embedded as an iframe on the business's own site, so frame-ancestors stays open.
  app.use('*', secureHeaders({ xFrameOptions: false, crossOriginEmbedderPolicy: false, contentSecurityPolicy: undefined }));
  app.use(
    '/api/*',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => errorResponse(c, 413, 'body_too_large', 'request body is larger than 16 KiB') }),
  );

  app.route('/', createHealthRoutes());
  app.route('/api/chat', createChatRoutes(deps));
  app.route('/manage', createManageRoutes(deps));
  app.route('/api/ops', createOpsRoutes(deps));
  app.route('/codec', createCodecRoutes(deps));
  app.route('/staff', deps.staffDesk ? createStaffRoutes(deps.staffDesk) : createStaffUnavailableRoutes(deps.business));
  app.route('/api/ops', createForgetRoutes(deps));
  app.route(
    '/webhooks/twilio',
    createTwilioRoutes({
      authToken: deps.twilio?.authToken,
      publicBaseUrl: deps.twilio?.publicBaseUrl ?? 'http://localhost:3000', // main and the gateway CLI pass their own port
      conversations: deps.phoneConversations,
      outbox: deps.outbox,
      business: deps.business,
      logger: deps.logger,
    }),
  );
  app.get('/', (c) => c.html(chatPage(deps.business)));
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/',
    summary: 'The web chat page (embeddable as an iframe)',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI document',
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: `${deps.business.name} booking assistant`, version: '0.1.0', description: 'Web chat, operator and webhook API.' },
  });

  app.notFound((c) => errorResponse(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}; see /openapi.json`));
  app.onError((error, c) => {
    if (error instanceof HttpError) return errorResponse(c, error.status, error.code, error.message);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status as 400, 'bad_request', error.message || 'bad request');
    }
    if (error instanceof SyntaxError) return errorResponse(c, 400, 'invalid_json', 'the body is not valid JSON');
    deps.logger.error({ err: error, path: c.req.path }, 'request failed');
    return errorResponse(c, 503, 'unavailable', 'the booking service is temporarily unavailable; try again shortly');
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
