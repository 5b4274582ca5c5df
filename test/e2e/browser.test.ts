import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionKey } from '../../src/adapters/addressing';
import { createManageLinks } from '../../src/adapters/manage-links';
import { bookingReference } from '../../src/domain/booking/reference';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
import * as templates from '../../src/domain/language/templates';
import { launchBrowser, startSystemOn, startTemporalWithUi, type TemporalWithUi } from '../support/browser';
import { serveApp, type HttpServer } from '../support/http-server';
import { freePort } from '../../src/adapters/free-port';
import { startSystem, type TestSystem } from '../support/system';

/**
 * The web chat page in a real headless Chromium over a real HTTP server, the product behind it on a real Temporal
 * dev server; then the Temporal Web UI finding that conversation by its search attribute, as an operator would.
 */

const OPS = { authorization: 'Bearer test-ops-token', 'content-type': 'application/json' };

/**
 * A phone-sized page in New York: the page must be usable there, and the session takes the browser's zone, so "10am"
 * means 10:00 in New York (the demo business's zone and opening hours).
 */
async function phonePage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/New_York', locale: 'en-US' });
  return { context, page: await context.newPage() };
}

/** The smallest phone the page is made for (iPhone SE width), in New York like phonePage. */
async function smallPhonePage(browser: Browser, locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, timezoneId: 'America/New_York', locale });
  return { context, page: await context.newPage() };
}

/** Screenshots for people to look at (not compared): /tmp/e-shots/<name>.png. */
async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('/tmp/e-shots', { recursive: true });
  await page.screenshot({ path: `/tmp/e-shots/${name}.png` });
}

/**
 * Whether the newest line of the transcript can be read: its bottom edge is inside the log's visible box and the
 * viewport, above the hold panel, and what the browser would hit there is that line (nothing covers it).
 */
async function newestLineVisible(page: Page): Promise<{ ok: boolean; why: string }> {
  // A string: these tests compile without the DOM's types (as the other evaluate calls here do).
  return page.evaluate(`(() => {
    const log = document.getElementById('log');
    const lines = log.querySelectorAll('.msg');
    const last = lines[lines.length - 1];
    const r = last.getBoundingClientRect(), l = log.getBoundingClientRect();
    const hold = document.getElementById('hold');
    const h = hold.hidden ? null : hold.getBoundingClientRect();
    const y = r.bottom - 4, x = r.left + Math.min(20, r.width / 2);
    const hit = document.elementFromPoint(x, y);
    const composer = document.getElementById('composer').getBoundingClientRect();
    const checks = [
      [composer.bottom <= window.innerHeight + 1, 'the composer is pushed off the screen (bottom ' + composer.bottom + ')'],
      [r.height > 0, 'the line has no height'],
      [r.bottom <= l.bottom + 1 && r.bottom > l.top, 'line bottom ' + r.bottom + ' outside the log ' + l.top + '..' + l.bottom],
      [r.bottom <= window.innerHeight, 'line bottom ' + r.bottom + ' below the viewport ' + window.innerHeight],
      [!h || r.bottom <= h.top + 1, 'line bottom ' + r.bottom + ' under the hold panel at ' + (h && h.top)],
      [Boolean(hit && last.contains(hit)), 'at (' + x + ', ' + y + ') the page shows ' + (hit && (hit.id || hit.className || hit.tagName)) + ', not the newest line'],
    ];
    const failed = checks.find((c) => !c[0]);
    return { ok: !failed, why: failed ? failed[1] : '' };
  })()`);
}

/** Books `request` by typing it and confirming the hold; waits for the confirmation with its reference. */
async function bookByTyping(page: Page, request: string, yes = 'yes', booked = /^(Assistant|Asistente)(You're booked|Reserva confirmada): /) {
  const before = (await page.locator('.msg.assistant').allTextContents()).filter((t) => booked.test(t)).length;
  await type(page, request, yes === 'sí' ? 'Tu mensaje' : 'Your message');
  await page.locator('#hold[data-state="held"]').waitFor({ state: 'visible', timeout: 30_000 });
  await type(page, yes, yes === 'sí' ? 'Tu mensaje' : 'Your message');
  await expect
    .poll(async () => (await page.locator('.msg.assistant').allTextContents()).filter((t) => booked.test(t)).length, { timeout: 30_000 })
    .toBe(before + 1);
  await expect.poll(() => page.locator('#hold').isHidden()).toBe(true);
}

/** Types a message into the composer and sends it with the Enter key, as a person would. */
async function type(page: Page, text: string, label = 'Your message'): Promise<void> {
  const input = page.getByLabel(label);
  await input.fill(text);
  await input.press('Enter');
}

/** Opens the page, books "a haircut next Tuesday at 10am" by typing, and returns the session and what was seen. */
async function bookThroughPage(page: Page, server: HttpServer) {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  const sessionId = (await page.evaluate('sessionStorage.getItem("chatSession")')) as string | null;
  expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await type(page, 'A haircut next Tuesday at 10am');
  await expect.poll(() => page.locator('.msg.customer').allTextContents()).toEqual([expect.stringContaining('A haircut next Tuesday at 10am')]);

  // The hold: shown with a countdown that really counts down.
  const hold = page.locator('#hold[data-state="held"]');
  await hold.waitFor({ state: 'visible', timeout: 30_000 });
  const holdText = await hold.textContent();
  const seconds = async () => Number(await page.locator('#countdown').getAttribute('data-seconds'));
  const first = await seconds();
  expect(first).toBeGreaterThan(30);
  expect(first).toBeLessThanOrEqual(90);
  await expect.poll(seconds, { timeout: 5_000, interval: 250 }).toBeLessThan(first);
  expect(await page.locator('#countdown').textContent()).toMatch(/^\d+:\d\d$/);

  // The assistant's read-back arrived in the log before we confirm.
  await expect.poll(() => page.locator('.msg.assistant').allTextContents()).toContainEqual(expect.stringMatching(/YES to confirm/));

  await type(page, 'yes');
  const booking = page.locator('#booking');
  await booking.waitFor({ state: 'visible', timeout: 30_000 });
  await expect.poll(() => page.locator('#hold').isHidden()).toBe(true);
  await expect.poll(() => page.locator('.msg.assistant').allTextContents()).toContainEqual(expect.stringMatching(/^Assistant.*booked/));
  return { sessionId: sessionId!, holdText: holdText ?? '', bookingText: (await booking.textContent()) ?? '', bookingId: await booking.getAttribute('data-booking-id') };
}

describe('the web chat page in headless Chromium', () => {
  let system: TestSystem;
  let server: HttpServer;
  let browser: Browser;
  beforeAll(async () => {
    system = await startSystem();
    server = await serveApp(system.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await system?.stop();
  });

  it('books a slot by typing: the hold with a live countdown, then the confirmed booking from the ledger', async () => {
    const { context, page } = await phonePage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const seen = await bookThroughPage(page, server);
    expect(seen.holdText).toMatch(/Haircut with (Alex|Sam), Tue/);
    expect(seen.bookingText).toMatch(/Haircut with (Alex|Sam), Tue, \w+ \d+, 10:00\sAM/);

    // The booking the page shows is the one the ledger holds, confirmed, for this session's customer only.
    const view = (await (await system.app.request(`/api/chat/sessions/${seen.sessionId}`)).json()) as {
      state: { bookings: { id: string; status: string; start: string }[]; hold: unknown };
    };
    expect(view.state.hold).toBeNull();
    const confirmed = view.state.bookings.filter((b) => b.status === 'confirmed');
    expect(confirmed.map((b) => b.id)).toEqual([seen.bookingId]);
    const row = await system.infra.ledger.getBooking(seen.bookingId!);
    expect(row).toMatchObject({ status: 'confirmed' });
    expect(Date.parse(row!.start)).toBe(Date.parse(confirmed[0]!.start));

    // The composer fits the phone width (no horizontal scrolling) and is reachable from the keyboard.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.locator('#send').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('text');

    // Messages no request of the page waits for arrive over server-sent events: a staff reply appears on its own.
    const workflowId = conversationWorkflowId('chat', chatSessionKey(system.keySecret, seen.sessionId));
    const sent = await system.app.request(`/api/ops/conversations/${encodeURIComponent(workflowId)}/messages`, {
      method: 'POST',
      headers: OPS,
      body: JSON.stringify({ text: 'See you on Tuesday! — Dana', operator: 'dana' }),
    });
    expect(sent.status).toBe(202);
    await page.locator('.msg.operator', { hasText: 'See you on Tuesday! — Dana' }).waitFor({ timeout: 15_000 });

    // A reload keeps the conversation (same session) and shows the booking again.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('#booking').waitFor({ state: 'visible' });
    expect(await page.locator('.msg.customer').count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps a line "sending…" through gateway failures, retries with the same id, and shows a refusal as not sent', async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const sessionId = (await page.evaluate('sessionStorage.getItem("chatSession")')) as string;
    // The first two posts fail as a restarting gateway would (503, then a dropped connection); the third goes through.
    const ids: string[] = [];
    let failures = 0;
    await page.route('**/messages', async (route) => {
      ids.push((route.request().postDataJSON() as { clientMessageId: string }).clientMessageId);
      if (failures === 0) {
        failures++;
        return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"try again"}}' });
      }
      if (failures === 1) {
        failures++;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await type(page, 'hello');
    await expect.poll(() => page.locator('.msg.customer').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('sent');
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    await page.locator('.msg.assistant').first().waitFor({ timeout: 30_000 });
    const view = (await (await system.app.request(`/api/chat/sessions/${sessionId}`)).json()) as { transcript: { role: string; text: string }[] };
    expect(view.transcript.filter((l) => l.role === 'customer').map((l) => l.text)).toEqual(['hello']);

    // A refusal (4xx) is never shown as sent: the line says why, and the text is back in the composer.
    await page.unroute('**/messages');
    await page.route('**/messages', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":{"code":"invalid_request","message":"text: must be at most 2000 characters"}}' }));
    await type(page, 'too long, pretend');
    const refused = page.locator('.msg.customer').nth(1);
    await expect.poll(() => refused.getAttribute('data-status')).toBe('failed');
    expect(await refused.textContent()).toMatch(/Not sent: text: must be at most 2000 characters/);
    expect(await page.getByLabel('Your message').inputValue()).toBe('too long, pretend');
    await context.close();
  });

  it("shows the gateway's \"still working\" at once when a turn outlives the wait, with the typing line until the replies arrive", async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const ack = templates.stillWorking(null, { locale: 'en', zone: system.config.business.timezone, business: system.config.business, channel: 'chat' });
    const acknowledged = page.locator('.msg.assistant[data-ack]', { hasText: ack });
    // The page gets the answer a slow turn gets, 202 with the acknowledgement, and has shown it before the message
    // reaches the workflow: the replies can only come after it, as they do when a turn outlives the wait.
    await page.route('**/messages', async (route) => {
      const request = route.request();
      await route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify({ accepted: true, messageId: 'chat:x', message: 'still working on it', acknowledgement: ack }) });
      await acknowledged.waitFor({ timeout: 30_000 });
      await fetch(request.url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.postData() ?? '' });
    });
    await type(page, 'hello');
    await acknowledged.waitFor({ timeout: 30_000 });
    // The replies come over the event stream; the typing line goes with them.
    await page.locator('.msg.customer ~ .msg.assistant:not([data-ack])').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#typing').isHidden()).toBe(true);
    expect(await page.locator('.msg.assistant', { hasText: ack }).count()).toBe(1);
    await page.screenshot({ path: path.join(os.tmpdir(), 'chat-acknowledged-375.png') });
    await context.close();
  });

  it('drops a "still working" whose turn was already answered on the event stream, and hides the typing line', async () => {
    const { context, page } = await phonePage(browser);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    const ack = templates.stillWorking(null, { locale: 'en', zone: system.config.business.timezone, business: system.config.business, channel: 'chat' });
    const replied = page.locator('.msg.customer ~ .msg.assistant');
    // The turn finishes and its reply reaches the page over the event stream before the 202 does.
    await page.route('**/messages', async (route) => {
      await route.fetch();
      await replied.first().waitFor({ timeout: 30_000 });
      await route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify({ accepted: true, messageId: 'chat:x', message: 'still working on it', acknowledgement: ack }) });
    });
    await type(page, 'hello');
    await expect.poll(() => page.locator('.msg.customer').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    await expect.poll(() => page.locator('#typing').isHidden()).toBe(true);
    expect(await page.locator('.msg.assistant', { hasText: ack }).count()).toBe(0);
    await context.close();
  });

  it('works inside an iframe on another origin', async () => {
    const page = await browser.newPage();
    // A different origin (localhost vs 127.0.0.1) embeds the chat, as a business's own site would.
    const host = await serveApp({ fetch: () => new Response(`<!doctype html><iframe title="chat" src="${server.url}/" width="380" height="600"></iframe>`, { headers: { 'content-type': 'text/html' } }) });
    try {
      await page.goto(host.url.replace('127.0.0.1', 'localhost'));
      const frame = page.frameLocator('iframe[title="chat"]');
      await frame.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
      await frame.getByLabel('Your message').fill('Hello');
      await frame.getByLabel('Your message').press('Enter');
      await frame.locator('.msg.assistant').first().waitFor({ timeout: 30_000 });
    } finally {
      await page.close();
      await host.close();
    }
  });

  it("follows the conversation into Spanish: an English business's page relabels itself when the customer writes Spanish", async () => {
    const { context, page } = await smallPhonePage(browser, 'es-ES');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await type(page, 'hola, ¿qué horas tenéis para un corte el próximo jueves?');
    await expect.poll(() => page.getAttribute('html', 'lang'), { timeout: 30_000 }).toBe('es');
    expect(await page.locator('#greeting').textContent()).toMatch(/^Asistente¡Hola! Soy el asistente de reservas de Maple Street Studio/);
    expect(await page.getByLabel('Tu mensaje').count()).toBe(1);
    expect(await page.locator('.msg.customer .who').first().textContent()).toBe('Tú');
    await context.close();
  });

  it('at 375 px with a hold open and two confirmed bookings: the newest line is in view above the hold, both bookings are listed with their references, and the manage link opens them in a fresh browser', async () => {
    const { context, page } = await smallPhonePage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    // The greeting says what the assistant can do, before the customer says anything.
    expect(await page.locator('#greeting').textContent()).toMatch(/book, move or cancel an appointment, and answer questions about us/);
    expect(await page.locator('#greeting').textContent()).toContain('Services: Haircut, Hair colour, Beard trim');
    await shot(page, 'phone-375-greeting');
    const sessionId = (await page.evaluate('sessionStorage.getItem("chatSession")')) as string;

    await bookByTyping(page, 'A haircut next Thursday at 3pm');
    await bookByTyping(page, 'A beard trim next Thursday at 5pm');
    await type(page, 'A haircut next Friday at 11am');
    await page.locator('#hold[data-state="held"]').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.locator('.msg.assistant').last().textContent()).toMatch(/YES to confirm/);

    // The newest line (the read-back) is readable above the hold panel, on the phone and on a desktop.
    await expect.poll(() => newestLineVisible(page), { timeout: 5_000 }).toEqual({ ok: true, why: '' });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot(page, 'phone-375-hold-two-bookings');

    // Both bookings, each with the reference its confirmation gave, which is the ledger's booking's.
    const view = (await (await system.app.request(`/api/chat/sessions/${sessionId}`)).json()) as { state: { bookings: { id: string; status: string; start: string }[] } };
    const confirmed = view.state.bookings.filter((b) => b.status === 'confirmed').sort((a, b) => a.start.localeCompare(b.start));
    expect(confirmed).toHaveLength(2);
    const references = confirmed.map((b) => bookingReference(b.id));
    const items = page.locator('#booking-list li');
    expect(await Promise.all((await items.all()).map((li) => li.getAttribute('data-booking-id')))).toEqual(confirmed.map((b) => b.id));
    const texts = await items.allTextContents();
    expect(texts[0]).toMatch(new RegExp(`^Haircut with (Alex|Sam), Thu, .+3:00\\sPM Ref.\\s${references[0]}$`));
    expect(texts[1]).toMatch(new RegExp(`^Beard trim with (Alex|Sam), Thu, .+5:00\\sPM Ref.\\s${references[1]}$`));
    for (const b of confirmed) expect(await system.infra.ledger.getBooking(b.id)).toMatchObject({ status: 'confirmed' });
    const said = await page.locator('.msg.assistant').allTextContents();
    for (const reference of references) expect(said).toContainEqual(expect.stringMatching(new RegExp(`You're booked: .+ Reference: ${reference}\\.`)));
    for (const box of await items.all()) expect(await box.isVisible()).toBe(true);

    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => newestLineVisible(page), { timeout: 5_000 }).toEqual({ ok: true, why: '' });
    await shot(page, 'desktop-1280-hold-two-bookings');

    // The way back: the signed link, opened in a browser that has never seen this chat.
    const link = page.locator('#manage-link');
    await expect.poll(() => link.getAttribute('href')).toMatch(/\/manage\/v1\./);
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(server.url)).toBe(true);
    const other = await browser.newContext({ viewport: { width: 375, height: 667 }, timezoneId: 'America/New_York', locale: 'en-US' });
    const fresh = await other.newPage();
    await fresh.goto(href);
    await fresh.waitForSelector('body[data-ready="true"]');
    expect(await fresh.evaluate('sessionStorage.getItem("chatSession")')).toBe(sessionId);
    expect(new URL(fresh.url()).pathname).toBe('/'); // the token left the address bar
    await expect.poll(async () => Promise.all((await fresh.locator('#booking-list li').all()).map((li) => li.getAttribute('data-reference')))).toEqual(references);
    expect(await fresh.locator('.msg.customer').allTextContents()).toContainEqual(expect.stringContaining('A beard trim next Thursday at 5pm'));
    await expect.poll(() => newestLineVisible(fresh), { timeout: 5_000 }).toEqual({ ok: true, why: '' });
    await shot(fresh, 'phone-375-manage-link-fresh-context');
    await other.close();

    // A changed, expired or cut-short link is refused with a 4xx that says why, and opens nothing.
    const token = href.split('/manage/')[1]!;
    const changed = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
    const expired = createManageLinks(system.keySecret).issue(sessionId, new Date(Date.now() - 1000));
    const json = { accept: 'application/json' };
    for (const [t, status, code] of [[changed, 403, 'manage_link_invalid'], [expired, 410, 'manage_link_expired'], [token.split('.').slice(0, 2).join('.'), 400, 'manage_link_malformed']] as const) {
      const r = await system.app.request(`/manage/${t}`, { headers: json });
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code, message: expect.stringMatching(/link/) });
    }
    const refusal = await fresh.context().browser()!.newPage();
    const response = await refusal.goto(`${server.url}/manage/${changed}`);
    expect(response?.status()).toBe(403);
    expect(await refusal.locator('#reason').textContent()).toMatch(/has been changed or was not made by us/);
    await refusal.setViewportSize({ width: 375, height: 667 });
    await shot(refusal, 'phone-375-manage-link-refused');
    await refusal.close();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the web chat page of a Spanish business', () => {
  let system: TestSystem;
  let server: HttpServer;
  let browser: Browser;
  beforeAll(async () => {
    // The demo business, in Spanish: its services have Spanish names (config/business.json, names.es).
    const business = JSON.parse(fs.readFileSync('config/business.json', 'utf8'));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'business-es-')), 'business.json');
    fs.writeFileSync(file, JSON.stringify({ ...business, name: 'Estudio Calle Arce', locale: 'es' }));
    system = await startSystem({ BUSINESS_CONFIG: file });
    server = await serveApp(system.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await system?.stop();
  });

  it('greets, labels and lists bookings in Spanish, service names included, at 375 px and on a desktop', async () => {
    const { context, page } = await smallPhonePage(browser, 'es-ES');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.locator('#greeting').textContent()).toMatch(/Puedo reservar, cambiar o cancelar una cita, y responder preguntas sobre nosotros/);
    expect(await page.locator('#greeting').textContent()).toContain('Servicios: Corte de pelo, Tinte, Arreglo de barba, Consulta, Masaje.');
    expect(await page.getByRole('button', { name: 'Enviar' }).count()).toBe(1);
    await shot(page, 'phone-375-spanish-greeting');

    await bookByTyping(page, 'quiero un corte de pelo el próximo jueves a las 3', 'sí');
    await type(page, 'y un masaje el próximo viernes a las 11 de la mañana', 'Tu mensaje');
    await page.locator('#hold[data-state="held"]').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('#hold-title').textContent()).toBe('Reservado provisionalmente');
    expect(await page.getByRole('button', { name: 'Confirmar' }).isVisible()).toBe(true);
    expect(await page.locator('#hold-what').textContent()).toMatch(/^Masaje con (Jordan|Sam), vie/);
    await expect.poll(() => newestLineVisible(page), { timeout: 5_000 }).toEqual({ ok: true, why: '' });

    expect(await page.locator('#booking-title').textContent()).toBe('Tus próximas citas');
    const item = page.locator('#booking-list li');
    expect(await item.count()).toBe(1);
    const reference = await item.getAttribute('data-reference');
    expect(await item.textContent()).toMatch(new RegExp(`^Corte de pelo con (Alex|Sam), jue, .+15:00 Ref.\\s${reference}$`));
    expect(await page.locator('.msg.assistant').allTextContents()).toContainEqual(expect.stringMatching(new RegExp(`Reserva confirmada: Corte de pelo con .+ Referencia: ${reference}\\.`)));
    expect(await page.locator('#manage-link').textContent()).toMatch(/Gestiona tus citas desde otro dispositivo/);
    await shot(page, 'phone-375-spanish');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => newestLineVisible(page), { timeout: 5_000 }).toEqual({ ok: true, why: '' });
    await shot(page, 'desktop-1280-spanish');
    await context.close();
  });
});

describe('the Temporal Web UI finds the conversation by its search attributes', () => {
  let temporal: TemporalWithUi;
  let system: TestSystem;
  let server: HttpServer;
  let browser: Browser;
  beforeAll(async () => {
    // Payloads, summaries and details are encrypted in Temporal: the UI reads them through our codec server, as an
    // operator's UI does, so the gateway's port is chosen before the server that points at it.
    const gatewayPort = await freePort();
    const uiKey = 'browser-test-codec-ui-key-0123456789abcdef';
    temporal = await startTemporalWithUi({ codecEndpoint: `http://127.0.0.1:${gatewayPort}/codec/ui/${uiKey}` });
    system = await startSystemOn(temporal.address, { CODEC_UI_KEY: uiKey, TEMPORAL_UI_ORIGIN: temporal.uiUrl });
    server = await serveApp(system.app, gatewayPort);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await system?.stop();
    await temporal?.teardown();
  });

  it('lists the booked conversation under BookingStatus = "booked"; its page shows the attributes and current details', async () => {
    const { context, page } = await phonePage(browser);
    const { sessionId } = await bookThroughPage(page, server);
    const workflowId = conversationWorkflowId('chat', chatSessionKey(system.keySecret, sessionId));

    // Visibility is eventually consistent: reload the operator's query until the conversation is listed.
    const url = `${temporal.uiUrl}/namespaces/default/workflows?query=BookingStatus%3D%22booked%22`;
    const row = page.getByText(workflowId).first();
    await expect
      .poll(
        async () => {
          await page.goto(url);
          return row.waitFor({ timeout: 5_000 }).then(() => true, () => false);
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe(true);
    // The session id itself never reaches the UI: the workflow id is a keyed hash of it.
    expect(await page.content()).not.toContain(sessionId);

    // The conversation's own page: what it is, then the operator's tabs: search attributes and user metadata.
    await page.getByRole('link', { name: workflowId }).first().click();
    await page.getByText('conversationWorkflow').first().waitFor({ timeout: 20_000 });
    await page.locator('a[href$="/search-attributes"]').first().click();
    await page.getByText('"BookingStatus": "booked"').first().waitFor({ timeout: 20_000 });
    await page.getByText('"NeedsHuman": false').first().waitFor();
    await page.locator('a[href$="/user-metadata"]').first().click();
    await page.getByText('Current Details').first().waitFor({ timeout: 20_000 });
    // The UI renders summaries and details (markdown) in sandboxed frames: read every frame's text.
    const everything = async () => (await Promise.all(page.frames().map((f) => f.locator('body').innerText().catch(() => '')))).join('\n');
    await expect.poll(everything, { timeout: 20_000, interval: 500 }).toMatch(/Booking conversation over chat[\s\S]*Booked haircut with (alex|sam) at /i);
    await context.close();
  });
});
