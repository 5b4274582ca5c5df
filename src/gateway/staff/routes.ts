import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { DateTime, IANAZone } from 'luxon';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Business } from '../../domain/booking/business';
import { MAX_PHONE_BODY } from '../../domain/messaging/text-length';
import { errorResponse } from '../errors';
import { staffPage } from './page';
import type { ClosedDaysPort, StaffLedgerPort, StaffTemporalPort } from './ports';
import { buildSchedule } from './schedule';
import { issueSession, readSession, SESSION_COOKIE, SESSION_HOURS, signIn, staffDeskEnabled, type StaffCredentials } from './session';

/**
 * The staff desk (`/staff`): a sign-in, the day and week grid per provider, the business's actions on the calendar
 * (cancel, move, block, time off, close a day), the needs-human queue with take over / reply / hand back, and a
 * server-sent event stream that tells the page when any of it changed. Every action is recorded with who did it.
 * JSON bodies only: together with the SameSite=Strict cookie that keeps other sites from acting for staff.
 */
export interface StaffDeskDeps {
  business: Business;
  ledger: StaffLedgerPort;
  /** The business file's closed days (holidays, listed dates). */
  closures: ClosedDaysPort;
  temporal: StaffTemporalPort;
  credentials: StaffCredentials;
  logger: Logger;
  /** The event stream looks for changes this often; default 2 s. */
  eventsPollMs?: number;
  now?: () => Date;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM (24 h)');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id');
const conversationId = z.string().regex(/^conversation:(sms|whatsapp|voice|chat):[A-Za-z0-9_-]{1,128}$/, 'a conversation workflow id');
const reason = z.string().trim().max(200).optional();

const bodies = {
  signIn: z.object({ name: z.string().trim().min(1, 'your name').max(64), password: z.string().min(1, 'the password').max(500) }),
  move: z.object({ date: isoDate, time: clock, provider: id.optional() }),
  block: z
    .object({ provider: id, date: isoDate, toDate: isoDate.optional(), from: clock.optional(), to: clock.optional(), kind: z.enum(['block', 'time_off']), reason })
    .refine((b) => b.kind === 'time_off' || (b.from && b.to && b.from < b.to), { message: 'a block needs from and to (HH:MM), from before to' }),
  closure: z.object({ date: isoDate, reason }),
  reply: z.object({ text: z.string().trim().min(1).max(MAX_PHONE_BODY, `at most ${MAX_PHONE_BODY} characters, what one SMS or WhatsApp message can carry`) }),
};

type Env = { Variables: { operator: string } };

function registerPage(app: OpenAPIHono<Env>): void {
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/',
    summary: 'The staff desk: schedule grid per provider, needs-human queue, business actions (sign-in first; its JSON API under /staff/api is for the page)',
    responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
  });
}

/** /staff where this gateway cannot reach the ledger (a lone gateway on PGlite): the page says why and what to do. */
export function createStaffUnavailableRoutes(business: Business) {
  const app = new OpenAPIHono<Env>();
  registerPage(app);
  const why = 'The staff desk needs the ledger: run it with npm start, or give this gateway DATABASE_URL (the worker’s PostgreSQL).';
  app.get('/', (c) => c.html(staffPage(business, why)));
  app.all('/*', (c) => errorResponse(c, 503, 'staff_desk_unavailable', why));
  return app;
}

export function createStaffRoutes(deps: StaffDeskDeps) {
  const app = new OpenAPIHono<Env>();
  registerPage(app);
  const now = deps.now ?? (() => new Date());
  const zone = deps.business.timezone;
  const closures = deps.closures;
  const providers = new Set(deps.business.providers.map((p) => p.id));
  if (!IANAZone.isValidZone(zone)) throw new Error(`business timezone ${zone} is not an IANA zone`);
  const local = (date: string, time = '00:00') => DateTime.fromISO(`${date}T${time === '24:00' ? '00:00' : time}`, { zone }).plus({ days: time === '24:00' ? 1 : 0 });

  const parse = async <T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> => {
    if (!c.req.header('content-type')?.includes('application/json')) return errorResponse(c, 415, 'json_only', 'send the request as application/json');
    const raw: unknown = await c.req.json().catch(() => undefined);
    const result = schema.safeParse(raw ?? {});
    if (!result.success) {
      const message = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return errorResponse(c, 400, 'invalid_request', message);
    }
    return result.data;
  };

  const off = staffDeskEnabled(deps.credentials) ? null : 'The staff desk is off: set OPS_TOKEN (sign in with it and your name) or STAFF_PASSWORDS.';
  app.get('/', (c) => c.html(staffPage(deps.business, off)));

  app.post('/session', async (c) => {
    if (!staffDeskEnabled(deps.credentials)) return errorResponse(c, 503, 'staff_desk_disabled', 'the staff desk is off: set OPS_TOKEN or STAFF_PASSWORDS');
    const body = await parse(c, bodies.signIn);
    if (body instanceof Response) return body;
    const operator = signIn(deps.credentials, body.name, body.password);
    if (!operator) {
      deps.logger.warn({ name: body.name.slice(0, 32) }, 'staff sign-in refused');
      return errorResponse(c, 401, 'unauthorized', 'wrong name or password; use your staff password, or the operator token with your name');
    }
    setCookie(c, SESSION_COOKIE, issueSession(deps.credentials, operator, now()), {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/staff',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.json({ operator });
  });

  app.post('/session/end', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/staff' });
    return c.body(null, 204);
  });

  // Everything under /staff/api needs a session.
  app.use('/api/*', async (c, next) => {
    const operator = readSession(deps.credentials, getCookie(c, SESSION_COOKIE), now());
    if (!operator) return errorResponse(c, 401, 'unauthorized', 'sign in at /staff first');
    c.set('operator', operator);
    return next();
  });

  app.get('/api/me', (c) => c.json({ operator: c.get('operator'), business: deps.business.name, zone, today: DateTime.fromJSDate(now(), { zone }).toISODate() }));

  app.get('/api/schedule', async (c) => {
    const date = c.req.query('date') ?? DateTime.fromJSDate(now(), { zone }).toISODate()!;
    const days = Number(c.req.query('days') ?? '1');
    if (!isoDate.safeParse(date).success || !local(date).isValid) return errorResponse(c, 400, 'invalid_request', 'date must be YYYY-MM-DD');
    if (!Number.isInteger(days) || days < 1 || days > 14) return errorResponse(c, 400, 'invalid_request', 'days must be 1 to 14');
    return c.json(await buildSchedule(deps.ledger, deps.business, closures, date, days));
  });

  app.get('/api/bookings/:id', async (c) => {
    const bookingId = c.req.param('id');
    if (!id.safeParse(bookingId).success) return errorResponse(c, 400, 'invalid_request', 'not a booking id');
    const booking = await deps.ledger.getBooking(bookingId);
    if (!booking || booking.status === 'released') return errorResponse(c, 404, 'not_found', `no booking ${bookingId}`);
    const customer = await deps.ledger.getCustomer(booking.customerKey);
    const history = await deps.ledger.listStaffActions({ bookingIds: [bookingId] });
    const at = (iso: string) => DateTime.fromISO(iso, { zone });
    const providerName = (pid: unknown) => deps.business.providers.find((p) => p.id === pid)?.name ?? String(pid);
    const local = (iso: unknown) => (typeof iso === 'string' ? at(iso).toFormat('ccc d LLL, HH:mm') : '?');
    const summary = (a: (typeof history)[number]) =>
      a.action === 'move'
        ? `moved it from ${local(a.details.from)} (${providerName(a.details.providerFrom)}) to ${local(a.details.to)} (${providerName(a.details.providerTo)})`
        : a.action === 'cancel'
          ? 'cancelled it as the business'
          : a.action;
    return c.json({
      booking: {
        ...booking,
        customerKey: undefined,
        serviceName: deps.business.services.find((s) => s.id === booking.serviceId)?.name ?? booking.serviceId,
        providerName: providerName(booking.providerId),
        date: at(booking.start).toISODate(),
        time: at(booking.start).toFormat('HH:mm'),
        when: `${at(booking.start).toFormat('ccc d LLL yyyy, HH:mm')}–${at(booking.end).toFormat('HH:mm')}`,
      },
      customerName: customer.name,
      history: history.map((a) => ({ ...a, when: at(a.at).toFormat('ccc d LLL, HH:mm'), summary: summary(a) })),
    });
  });

  app.post('/api/bookings/:id/cancel', async (c) => {
    const bookingId = c.req.param('id');
    if (!id.safeParse(bookingId).success) return errorResponse(c, 400, 'invalid_request', 'not a booking id');
    const booking = await deps.ledger.getBooking(bookingId);
    if (!booking) return errorResponse(c, 404, 'not_found', `no booking ${bookingId}`);
    if (booking.status !== 'confirmed') return errorResponse(c, 409, 'not_cancellable', `the booking is ${booking.status}; only a confirmed booking can be cancelled`);
    const sent = await deps.temporal.cancelAsBusiness(bookingId, c.get('operator'));
    if (!sent) return errorResponse(c, 404, 'not_followed', 'no appointment workflow follows this booking any more; cancel it from the Temporal Web UI or ask an engineer');
    return c.json({ ok: true }, 202);
  });

  app.post('/api/bookings/:id/move', async (c) => {
    const bookingId = c.req.param('id');
    if (!id.safeParse(bookingId).success) return errorResponse(c, 400, 'invalid_request', 'not a booking id');
    const body = await parse(c, bodies.move);
    if (body instanceof Response) return body;
    if (body.provider && !providers.has(body.provider)) return errorResponse(c, 400, 'invalid_request', `no provider ${body.provider}`);
    const start = local(body.date, body.time);
    if (!start.isValid) return errorResponse(c, 400, 'invalid_request', 'no such local date and time');
    const result = await deps.temporal.moveAsBusiness(bookingId, { start: start.toUTC().toISO()!, providerId: body.provider, operator: c.get('operator') });
    if (!result) return errorResponse(c, 404, 'not_followed', 'no appointment workflow follows this booking any more (it ended or was cancelled)');
    if (!result.ok) {
      const alternatives = result.alternatives.map((a) => ({ ...a, label: `${DateTime.fromISO(a.start, { zone }).toFormat('ccc d LLL, HH:mm')} with ${deps.business.providers.find((p) => p.id === a.provider)?.name ?? a.provider}` }));
      return c.json({ error: { code: result.code, message: result.message }, alternatives }, 409);
    }
    return c.json({ booking: result.booking, previous: result.previous });
  });

  app.post('/api/blocks', async (c) => {
    const body = await parse(c, bodies.block);
    if (body instanceof Response) return body;
    if (!providers.has(body.provider)) return errorResponse(c, 400, 'invalid_request', `no provider ${body.provider}`);
    const [start, end] =
      body.kind === 'time_off'
        ? [local(body.date), local(body.toDate ?? body.date).plus({ days: 1 }).startOf('day')]
        : [local(body.date, body.from), local(body.date, body.to)];
    if (!start.isValid || !end.isValid || end <= start) return errorResponse(c, 400, 'invalid_request', 'the block must end after it starts');
    if (end.diff(start, 'days').days > 62) return errorResponse(c, 400, 'invalid_request', 'block at most two months at a time');
    return blockOutcome(c, await deps.ledger.addBlock({ providerId: body.provider, kind: body.kind, start: start.toUTC().toISO()!, end: end.toUTC().toISO()!, reason: body.reason, operator: c.get('operator') }));
  });

  app.post('/api/closures', async (c) => {
    const body = await parse(c, bodies.closure);
    if (body instanceof Response) return body;
    const start = local(body.date);
    if (!start.isValid) return errorResponse(c, 400, 'invalid_request', 'no such date');
    const end = start.plus({ days: 1 }).startOf('day');
    return blockOutcome(c, await deps.ledger.addBlock({ providerId: null, kind: 'closure', start: start.toUTC().toISO()!, end: end.toUTC().toISO()!, reason: body.reason, operator: c.get('operator') }));
  });

  const blockOutcome = (c: Context<Env>, outcome: Awaited<ReturnType<StaffDeskDeps['ledger']['addBlock']>>) => {
    if (outcome.ok) return c.json({ block: outcome.block }, 201);
    const conflicts = outcome.conflicts.map((b) => ({ id: b.id, provider: b.providerId, status: b.status, time: DateTime.fromISO(b.start, { zone }).toFormat('ccc d LLL, HH:mm') }));
    return c.json({ error: { code: 'bookings_in_the_way', message: `move or cancel these first: ${conflicts.map((b) => `${b.time} (${b.provider}, ${b.status})`).join('; ')}` }, conflicts }, 409);
  };

  app.delete('/api/blocks/:id', async (c) => {
    const blockId = c.req.param('id');
    if (!id.safeParse(blockId).success) return errorResponse(c, 400, 'invalid_request', 'not a block id');
    const removed = await deps.ledger.removeBlock({ blockId, operator: c.get('operator') });
    if (!removed) return errorResponse(c, 404, 'not_found', 'no such block (already lifted?)');
    return c.json({ block: removed });
  });

  app.get('/api/queue', async (c) => {
    const listed = await deps.temporal.needsHuman(20);
    const conversations = await Promise.all(
      listed.map(async (q) => {
        const view = await deps.temporal.view(q.workflowId).catch(() => null);
        return { ...q, state: view?.state ?? null, transcript: (view?.transcript ?? []).map(({ role, text, at }) => ({ role, text, at })) };
      }),
    );
    return c.json({ conversations });
  });

  const conversationAction = (path: string, act: (c: Context<Env>, workflowId: string) => Promise<Response>) =>
    app.post(`/api/conversations/:workflowId/${path}`, async (c) => {
      const workflowId = c.req.param('workflowId');
      if (!conversationId.safeParse(workflowId).success) return errorResponse(c, 400, 'invalid_request', 'not a conversation workflow id');
      return act(c, workflowId);
    });
  const recorded = async (c: Context<Env>, ok: boolean, action: string, workflowId: string) => {
    if (!ok) return errorResponse(c, 404, 'not_found', `no running conversation ${workflowId}`);
    await deps.ledger.recordStaffAction({ operator: c.get('operator'), action, subject: workflowId });
    return c.json({ ok: true }, 202);
  };
  conversationAction('take-over', async (c, wid) => recorded(c, await deps.temporal.takeOver(wid, c.get('operator')), 'take_over', wid));
  conversationAction('hand-back', async (c, wid) => recorded(c, await deps.temporal.handBack(wid), 'hand_back', wid));
  conversationAction('reply', async (c, wid) => {
    const body = await parse(c, bodies.reply);
    if (body instanceof Response) return body;
    return recorded(c, await deps.temporal.reply(wid, body.text, c.get('operator')), 'reply', wid);
  });

  /**
   * Tells the page what changed: `schedule` when the ledger's bookings, holds, blocks or staff actions around today
   * changed, `queue` when the needs-human queue or one of its transcripts did. The page then reads what it shows.
   */
  app.get('/api/events', (c) => {
    const pollMs = deps.eventsPollMs ?? 2000;
    return streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      let schedulePrint = '';
      let queuePrint = '';
      let beat = 0;
      while (open) {
        try {
          const today = DateTime.fromJSDate(now(), { zone }).startOf('day');
          const range = { start: today.minus({ days: 7 }).toUTC().toISO()!, end: today.plus({ days: 15 }).toUTC().toISO()! };
          const [bookings, blocks, actions] = await Promise.all([deps.ledger.listSchedule(range), deps.ledger.listBlocks(range), deps.ledger.listStaffActions({ limit: 1 })]);
          const s = JSON.stringify([bookings.map((b) => `${b.id}:${b.status}`), blocks.map((b) => b.id), actions[0]?.id ?? 0]);
          if (s !== schedulePrint) {
            if (schedulePrint) await stream.writeSSE({ event: 'schedule', data: '{}' });
            schedulePrint = s;
          }
          const queue = await deps.temporal.needsHuman(20);
          const lengths = await Promise.all(queue.map(async (q) => `${q.workflowId}:${(await deps.temporal.view(q.workflowId).catch(() => null))?.transcript.length ?? 0}`));
          const qp = JSON.stringify(lengths);
          if (qp !== queuePrint) {
            if (queuePrint) await stream.writeSSE({ event: 'queue', data: '{}' });
            queuePrint = qp;
          }
          // A comment now and then keeps proxies from closing a quiet stream.
          if (++beat % 15 === 0) await stream.write(': keep-alive\n\n');
        } catch (error) {
          deps.logger.warn({ err: error }, 'staff events: a poll failed; trying again');
        }
        await stream.sleep(pollMs);
      }
    });
  });

  return app;
}
