import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser';
import { serveApp, type HttpServer } from '../support/http-server';
import { startSystem, type TestSystem } from '../support/system';
import { waitFor } from '../support/patience';
import { CalendarPlan } from '../conversations/calendar';
import { ChatClient } from '../conversations/chat-client';

/**
 * The staff desk in headless Chromium over a real HTTP server, the product behind it on the real dev server: sign in,
 * today's bookings on the grid with the customer's name, block an hour, move and cancel a booking as the business
 * and watch the customer's conversation hear of it, the needs-human queue with reply and hand back; the grid works
 * from the keyboard and at 375 px. Screenshots of the day grid go to .test-artifacts/staff-desk/ for review.
 */

const ZONE = 'America/New_York';
const SHOTS = path.resolve('.test-artifacts/staff-desk');
const STAFF_PASSWORDS = 'Dana:dana-password-1,Sam:sam-password-2';

describe('the staff desk', () => {
  let system: TestSystem;
  let server: HttpServer;
  let browser: Browser;
  beforeAll(async () => {
    system = await startSystem({ STAFF_PASSWORDS });
    server = await serveApp(system.app);
    browser = await launchBrowser();
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await system?.stop();
  });

  const signIn = async (page: Page, name: string, password: string) => {
    await page.goto(`${server.url}/staff`);
    await page.waitForSelector('body[data-ready="signin"]');
    await page.getByLabel('Your name').fill(name);
    await page.getByLabel('Password or operator token').fill(password);
    await page.getByLabel('Password or operator token').press('Enter');
    await page.waitForSelector('body[data-ready="true"]');
  };

  it('refuses the API without a session, signs in with a staff password or the operator token, and sets a strict cookie', async () => {
    const api = (p: string, init?: RequestInit) => system.app.request(p, init);
    expect((await api('/staff/api/schedule')).status).toBe(401);
    const wrong = await api('/staff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Dana', password: 'nope-nope-nope' }) });
    expect(wrong.status).toBe(401);
    const form = await api('/staff/session', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Dana&password=dana-password-1' });
    expect(form.status).toBe(415);
    const ok = await api('/staff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Dana', password: 'dana-password-1' }) });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^staff_session=v1\./);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/staff/);
    const session = cookie.split(';')[0]!;
    const me = await api('/staff/api/me', { headers: { cookie: session } });
    expect(await me.json()).toMatchObject({ operator: 'Dana', zone: ZONE });
    // A tampered session is refused; the operator token signs in under the name given.
    expect((await api('/staff/api/me', { headers: { cookie: session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } })).status).toBe(401);
    const token = await api('/staff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Robin', password: 'test-ops-token' }) });
    expect(await token.json()).toEqual({ operator: 'Robin' });
    expect(((await (await api('/openapi.json')).json()) as { paths: Record<string, unknown> }).paths).toHaveProperty(['/staff']);
  });

  it('shows today, blocks an hour, moves and cancels as the business; the customer hears of both; keyboard and 375 px', async () => {
    // Today's booking, straight in the ledger, with a name: today's grid shows it at any hour of the day the test runs.
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const noon = today.set({ hour: 12 });
    const todayKey = 'customer-today';
    await system.infra.ledger.setCustomerPreferences({ customerKey: todayKey, name: 'Marta Díaz' });
    const held = await system.infra.ledger.hold({ customerKey: todayKey, serviceId: 'haircut', providerId: 'sam', start: noon.toUTC().toISO()!, end: noon.plus({ minutes: 30 }).toUTC().toISO()!, bufferMinutes: 10, expiresAt: DateTime.now().plus({ minutes: 5 }).toUTC().toISO()!, idempotencyKey: 'staff-e2e:today:hold' });
    if (!held.ok) throw new Error(`today's hold refused: ${JSON.stringify(held.rejection)}`);
    await system.infra.ledger.confirm({ bookingId: held.value.id, customerKey: todayKey, idempotencyKey: 'staff-e2e:today:confirm' });

    // A customer books by chat on a day of their own.
    const customer = new ChatClient(system.app, '192.0.2.40');
    const sessionId = await customer.open(ZONE);
    const day = new CalendarPlan(system.config.business).uniqueDay('haircut', { provider: 'alex', times: ['10:00'], alsoOpenAt: ['11:00', '13:00', '14:00'] });
    expect((await customer.say(sessionId, `haircut with Alex on ${day.en} at 10am`)).state.hold).not.toBeNull();
    const bookingId = (await customer.say(sessionId, 'yes')).state.bookings[0]!.id;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Madrid', locale: 'en-GB' });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'Dana', 'dana-password-1');
    await expect.poll(() => page.locator('#operator').textContent()).toBe('Signed in as Dana');

    // Today: the booking in Sam's column at 12:00 business time (the browser is in Madrid), with the customer's name.
    const todays = page.locator(`#grid .col[data-provider="sam"] .item[data-id="${held.value.id}"]`);
    await todays.waitFor();
    expect(await todays.textContent()).toContain('12:00–12:30');
    expect(await todays.textContent()).toContain('Marta Díaz');
    await page.screenshot({ path: path.join(SHOTS, 'day-grid-desktop.png'), fullPage: true });

    // The chat customer's day.
    await page.locator('#date').fill(day.date);
    await page.locator('#date').dispatchEvent('change');
    const item = page.locator(`#grid .item[data-id="${bookingId}"]`);
    await item.waitFor();

    // Block 13:00–14:00 for Alex from the form.
    await page.locator('#block-provider').selectOption('alex');
    await page.locator('#block-date').fill(day.date);
    await page.locator('#block-from').fill('13:00');
    await page.locator('#block-to').fill('14:00');
    await page.locator('#block-reason').fill('supplier visit');
    await page.getByRole('button', { name: 'Block', exact: true }).click();
    await page.locator('#grid .col[data-provider="alex"] .item[data-kind="block"]').waitFor();
    const blocks = await system.infra.ledger.listBlocks({ start: `${day.date}T00:00:00Z`, end: DateTime.fromISO(day.date).plus({ days: 2 }).toISODate()! + 'T00:00:00Z' });
    expect(blocks).toEqual([expect.objectContaining({ providerId: 'alex', kind: 'block', reason: 'supplier visit', createdBy: 'Dana' })]);
    // The customer cannot have it now: the assistant's availability skips it.
    const blockedHour = DateTime.fromISO(`${day.date}T13:15`, { zone: ZONE }).toUTC().toISO()!;
    expect((await system.infra.activities.holdSlot({ customerKey: 'someone-else', service: 'haircut', provider: 'alex', start: blockedHour, idempotencyKey: 'staff-e2e:blocked' })).ok).toBe(false);

    // From the keyboard: focus the booking, Enter opens it, Escape closes it and gives focus back.
    await item.focus();
    await page.keyboard.press('Enter');
    await page.locator('#detail:not([hidden])').waitFor();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('detail');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("data-id")')).toBe(bookingId);

    // Into the blocked hour: refused with what the ledger said. To 11:00: moved, the customer told.
    await item.click();
    await page.locator('#move-time').fill('13:30');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => page.locator('#detail-error').textContent()).toMatch(/taken or blocked/);
    await page.locator('#move-time').fill('11:00');
    // A schedule change arriving while staff type (here a block on another provider) refreshes the open booking live,
    // and must not put its old time back into the form: the move would then go to 10:00, its own time.
    const refreshed = page.waitForResponse((r) => r.url().endsWith(`/staff/api/bookings/${bookingId}`) && r.request().method() === 'GET');
    const liveBlock = await system.infra.ledger.addBlock({ providerId: 'sam', kind: 'block', start: DateTime.fromISO(`${day.date}T16:00`, { zone: ZONE }).toUTC().toISO()!, end: DateTime.fromISO(`${day.date}T16:30`, { zone: ZONE }).toUTC().toISO()!, reason: 'live refresh', operator: 'Dana' });
    expect(liveBlock.ok).toBe(true);
    await refreshed;
    expect(await page.locator('#move-time').inputValue()).toBe('11:00');
    expect(await page.locator('#detail-error').textContent()).toMatch(/taken or blocked/);
    // A move to where it already is is refused (it would rebook in place and tell the customer it had to move).
    const inPlace = await page.request.post(`${server.url}/staff/api/bookings/${bookingId}/move`, { data: { date: day.date, time: '10:00', provider: 'alex' } });
    expect(inPlace.status()).toBe(409);
    expect(((await inPlace.json()) as { error: { code: string } }).error.code).toBe('unchanged');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => page.locator('#detail').getAttribute('data-booking-id')).not.toBe(bookingId);
    const movedId = (await page.locator('#detail').getAttribute('data-booking-id'))!;
    expect(await page.locator('#detail-history').textContent()).toMatch(/Dana: moved it from .* 10:00 \(Alex\) to .* 11:00 \(Alex\)/);
    const moved = await system.infra.ledger.getBooking(movedId);
    expect(DateTime.fromISO(moved!.start, { zone: ZONE }).toFormat('HH:mm')).toBe('11:00');
    await waitFor(async () => (await system.infra.outbox.listByScope(`appointment:${bookingId}`)).some((r) => /had to move your appointment/.test(r.body ?? '')), 'the move notice');

    // Cancel the moved booking as the business; the grid follows live and the customer's conversation hears of it.
    await page.getByRole('button', { name: 'Cancel as the business' }).click();
    await page.locator(`#grid .item[data-id="${movedId}"][data-status="cancelled"]`).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#detail').getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    expect(await page.locator('#detail-history').textContent()).toMatch(/Dana: cancelled it as the business/);
    await waitFor(async () => (await customer.view(sessionId)).state.bookings.find((b) => b.id === movedId)?.status === 'cancelled', 'the conversation to show the cancellation', { intervalMs: 300 });
    await waitFor(async () => (await system.infra.outbox.listByScope(`appointment:${movedId}`)).some((r) => /had to cancel/.test(r.body ?? '')), 'the cancellation notice');
    expect((await system.infra.ledger.listStaffActions({ bookingIds: [movedId] })).map((a) => [a.operator, a.action])).toEqual([
      ['Dana', 'move'],
      ['Dana', 'cancel'],
    ]);
    // The customer's next message is read with the notice in context: it is in their transcript.
    await customer.say(sessionId, 'ok, thanks');
    expect((await customer.view(sessionId)).transcript.map((l) => l.text).join('\n')).toMatch(/had to cancel your appointment/);

    // 375 px wide: the grid scrolls sideways, nothing spills off the page.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.locator('#date').fill(today.toISODate()!);
    await page.locator('#date').dispatchEvent('change');
    await todays.waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(SHOTS, 'day-grid-375.png'), fullPage: true });
    await context.close();
  });

  it('the needs-human queue: the transcript, a reply that reaches the customer, hand back', async () => {
    const customer = new ChatClient(system.app, '192.0.2.41');
    const sessionId = await customer.open(ZONE);
    await customer.say(sessionId, 'I want to talk to a person');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, 'Sam', 'sam-password-2');
    // Visibility is eventually consistent; the page hears of the queue over its event stream.
    const conv = page.locator('#queue .conv', { hasText: 'I want to talk to a person' });
    await conv.waitFor({ timeout: 60_000 });
    await conv.getByLabel('Reply to this customer').fill('Hi, Sam here from the studio. How can I help?');
    await conv.getByRole('button', { name: 'Send reply' }).click();
    await waitFor(async () => (await customer.view(sessionId)).transcript.some((l) => l.role === 'operator' && /Sam here/.test(l.text)), 'the reply to reach the customer', { intervalMs: 300 });
    await page.locator('#queue .conv', { hasText: 'Sam here' }).getByRole('button', { name: 'Hand back' }).click();
    await waitFor(async () => !(await customer.view(sessionId)).state.needsHuman, 'the hand-back', { intervalMs: 300 });
    const actions = await system.infra.ledger.listStaffActions({ limit: 10 });
    expect(actions.filter((a) => a.operator === 'Sam').map((a) => a.action).reverse()).toEqual(['reply', 'hand_back']);
    await context.close();
  });
});
