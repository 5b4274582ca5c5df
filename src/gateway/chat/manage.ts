import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { html } from 'hono/html';
import type { Context } from 'hono';
import { clientAddress } from '../client-address';
import type { GatewayDeps } from '../deps';
import { ErrorBody } from '../errors';
import { rateLimit } from '../middleware/rate-limit';
import { validationHook } from '../validation';
import type { ManageLinkCheck } from '../ports';
import { chatPage } from './page';
import { ManageToken } from './schemas';

/**
 * `GET /manage/<token>`: a signed "manage my booking" link (GET /api/chat/sessions/{id}/manage-link) opened in any
 * tab or device. A good link reopens that chat session, starting its conversation again if it has closed (the same
 * key, so the same customer and bookings), and serves the chat page bound to it. A bad one is refused with a 4xx
 * that says why: an HTML page for a browser, `{error}` for an API client.
 */
type Refusal = Extract<ManageLinkCheck, { ok: false }>['reason'];

const REFUSALS: Record<Refusal, { status: 400 | 403 | 410; code: string; en: string; es: string }> = {
  malformed: {
    status: 400,
    code: 'manage_link_malformed',
    en: 'This is not a complete booking link. Copy the whole link again, or start a new chat.',
    es: 'Este enlace de reserva está incompleto. Copia el enlace entero otra vez o empieza un chat nuevo.',
  },
  bad_signature: {
    status: 403,
    code: 'manage_link_invalid',
    en: 'This booking link has been changed or was not made by us. Use the link exactly as you got it, or start a new chat.',
    es: 'Este enlace de reserva se ha modificado o no es nuestro. Usa el enlace tal como lo recibiste o empieza un chat nuevo.',
  },
  expired: {
    status: 410,
    code: 'manage_link_expired',
    // A new chat is a new customer to the assistant: a person finds the booking by its reference.
    en: 'This booking link has expired. Start a new chat, ask for a person and give them your booking reference.',
    es: 'Este enlace de reserva ha caducado. Empieza un chat nuevo, pide hablar con una persona y dale la referencia de tu reserva.',
  },
};

const htmlPage = { 'text/html': { schema: z.string() } };
const route = createRoute({
  method: 'get',
  path: '/{token}',
  summary: 'Open a "manage my booking" link: the web chat page bound to the signed session, with its bookings',
  request: { params: z.object({ token: ManageToken }) },
  responses: {
    200: { description: 'The chat page, reopened on the link\'s session', content: htmlPage },
    400: { description: 'Not a complete link (manage_link_malformed)', content: { ...htmlPage, 'application/json': { schema: ErrorBody } } },
    403: { description: 'Changed or not ours: the signature does not match (manage_link_invalid)', content: { ...htmlPage, 'application/json': { schema: ErrorBody } } },
    410: { description: 'Expired (manage_link_expired)', content: { ...htmlPage, 'application/json': { schema: ErrorBody } } },
    429: { description: 'Rate limited', content: { 'application/json': { schema: ErrorBody } } },
    503: { description: 'Temporal is out of reach; open the link again shortly', content: { 'application/json': { schema: ErrorBody } } },
  },
});

export function createManageRoutes(deps: GatewayDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  // A valid link may start a workflow: guessing is hopeless (HMAC), but keep the door narrow anyway.
  app.use('*', rateLimit({ capacity: 20, refillPerSecond: 0.2, what: 'manage links opened per client address', key: (c) => clientAddress(c) }));

  app.openapi(route, async (c) => {
    const { token } = c.req.valid('param');
    const check = deps.manageLinks.verify(token, new Date());
    noStore(c);
    if (!check.ok) return refuse(c, deps, check.reason) as never;
    const session = `${check.sessionId.slice(0, 6)}…`;
    try {
      await deps.conversations.open(deps.addressing.chatTarget(check.sessionId));
    } catch (error) {
      // Handled here, not by the app's error handler, which would log the path: the token is a credential.
      deps.logger.error({ err: error, session }, 'could not reopen a chat session from a manage link');
      return c.json({ error: { code: 'unavailable', message: 'the booking service is temporarily unavailable; open the link again shortly' } }, 503) as never;
    }
    deps.logger.info({ session }, 'chat session reopened from a manage link');
    return c.html(chatPage(deps.business, { resume: check.sessionId }), 200) as never;
  });
  return app;
}

/** The token is a credential: never cached, never passed on as a Referer. */
function noStore(c: Context) {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
}

function refuse(c: Context, deps: GatewayDeps, reason: Refusal) {
  const r = REFUSALS[reason];
  deps.logger.info({ reason }, 'manage link refused');
  const wantsJson = (c.req.header('accept') ?? '').includes('application/json') && !(c.req.header('accept') ?? '').includes('text/html');
  if (wantsJson) return c.json({ error: { code: r.code, message: r.en } }, r.status);
  const es = deps.business.locale === 'es';
  return c.html(
    html`<!doctype html>
<html lang="${deps.business.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${deps.business.name}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}a{color:#0a58e6}</style></head>
<body><h1>${deps.business.name}</h1>
<p id="reason" data-code="${r.code}">${es ? r.es : r.en}</p>
<p lang="${es ? 'en' : 'es'}">${es ? r.en : r.es}</p>
<p><a href="/">${es ? 'Empezar un chat nuevo' : 'Start a new chat'}</a></p></body></html>`,
    r.status,
  );
}
