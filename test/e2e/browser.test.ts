import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessionKey } from '../../src/adapters/addressing';
import { conversationWorkflowId } from '../../src/domain/messaging/addressing';
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

/** Types a message into the composer and sends it with the Enter key, as a person would. */
async function type(page: Page, text: string): Promise<void> {
  const input = page.getByLabel('Your message');
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
