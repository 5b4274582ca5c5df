import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { createOfflineModel } from '../../src/adapters/offline-model';
import { createWaitlistStore } from '../../src/adapters/ledger/sql-waitlist';
import { conversationWorkflow, type ConversationInput } from '../../workflows/conversation';
import { postMessageUpdate, type TurnResult } from '../../workflows/messages';
import { waitlistEntryWorkflow, waitlistOfferStateQuery, type WaitlistOfferState } from '../../workflows/waitlist';
import { waitlistEndsAt } from '../../src/domain/booking/waitlist';
import { CalendarPlan } from '../conversations/calendar';
import { waitFor } from '../support/patience';
import { demoBusiness, startTimeSkipping, type TimeSkippingHarness } from '../support/time-skipping';

/**
 * The waitlist on the time-skipping server, through real conversations (offline interpreter), the real ledger and
 * the real appointment and waitlist workflows: a full day is offered as a waitlist, a cancellation frees the slot,
 * offers go out in order of joining and move on when their hold ends, two "yes" at once make exactly one booking,
 * and an entry whose days pass ends and says so.
 */

let h: TimeSkippingHarness | undefined;
afterEach(async () => {
  await h?.teardown();
  h = undefined;
});

let phone = 0;
function customer(zone: string) {
  const key = randomUUID().replace(/-/g, '');
  const address = `+1555${String(7_000_000 + ++phone).padStart(7, '0')}`;
  const input: ConversationInput = { channel: 'sms', key, customerKey: `phone:${key}`, address, zone };
  return { input, workflowId: `conversation:sms:${key}`, customerKey: input.customerKey, address };
}

const trace = (line: string) => process.env.WAITLIST_TRACE && fs.appendFileSync(process.env.WAITLIST_TRACE, `${new Date().toISOString()} ${line}\n`);

function talk(t: TimeSkippingHarness, taskQueue: string, c: ReturnType<typeof customer>) {
  return async (text: string): Promise<string> => {
    trace(`${c.address} says ${text}`);
    const handle = await t.env.client.workflow.start(conversationWorkflow, { taskQueue, workflowId: c.workflowId, args: [c.input], workflowIdConflictPolicy: 'USE_EXISTING' });
    const turn: TurnResult = await handle.executeUpdate(postMessageUpdate, { args: [{ messageId: randomUUID(), text, receivedAt: new Date().toISOString(), channel: 'sms' }] });
    trace(`  -> ${turn.replies.map((r) => r.text).join(' | ')}`);
    return turn.replies.map((r) => r.text).join('\n');
  };
}

/** What the outbox holds for one phone number (every channel message the workflows sent it). */
async function sentTo(t: TimeSkippingHarness, address: string): Promise<string[]> {
  const { rows } = await t.ledger.sql.query<{ body: string }>('SELECT body FROM outbox_messages WHERE to_address = $1 ORDER BY id', [address]);
  return rows.map((r) => r.body);
}

async function offerState(t: TimeSkippingHarness, workflowId: string): Promise<WaitlistOfferState | undefined> {
  try {
    return await t.env.client.workflow.getHandle(workflowId).query(waitlistOfferStateQuery);
  } catch {
    return undefined;
  }
}

describe('waitlist (time-skipping)', () => {
  it('three waitlisted, one cancellation: offers in joining order, an unanswered offer moves on, two "yes" at once make one booking and the other is told', async () => {
    const business = demoBusiness();
    h = await startTimeSkipping({ business, model: createOfflineModel(business) });
    const t = h;
    const plan = new CalendarPlan(business);
    const day = plan.uniqueDay('haircut', { provider: 'alex', times: ['10:00'] });
    const slotStart = DateTime.fromISO(`${day.date}T10:00`, { zone: business.timezone }).toUTC().toISO({ suppressMilliseconds: true })!;
    const [x, a, b, c] = [0, 1, 2, 3].map(() => customer(business.timezone)) as [ReturnType<typeof customer>, ReturnType<typeof customer>, ReturnType<typeof customer>, ReturnType<typeof customer>];

    await t.withWorker(async (taskQueue) => {
      const [sayX, sayA, sayB, sayC] = [x, a, b, c].map((who) => talk(t, taskQueue, who)) as [ReturnType<typeof talk>, ReturnType<typeof talk>, ReturnType<typeof talk>, ReturnType<typeof talk>];
      expect(await sayX(`haircut with Alex on ${day.en} at 10am`)).toMatch(/On hold/);
      expect(await sayX('yes')).toMatch(/booked/i);

      // The day is full at 10: each of the three is offered the waitlist and joins (in English and Spanish).
      expect(await sayA(`haircut with Alex on ${day.en} at 10am`)).toMatch(/waitlist/);
      expect(await sayA('put me on the waitlist')).toMatch(/You're on the waitlist for a haircut with Alex/);
      expect(await sayB(`haircut with Alex on ${day.en} at 10am`)).toMatch(/waitlist/);
      expect(await sayB('yes please')).toMatch(/You're on the waitlist/);
      expect(await sayC(`quiero un corte con Alex el ${day.es} a las 10`)).toMatch(/lista de espera/);
      expect(await sayC('sí')).toMatch(/Estás en la lista de espera/);
      const store = createWaitlistStore(t.ledger.sql);
      expect((await store.waitingFor('haircut')).map((e) => e.customerKey)).toEqual([a.customerKey, b.customerKey, c.customerKey]);

      // X cancels: the freed 10:00 is held for A (first to join) and offered.
      const xBooking = (await t.ledger.listCustomerBookings(x.customerKey, { statuses: ['confirmed'] }))[0]!;
      expect(await sayX('cancel my appointment')).toMatch(/Cancel this appointment\?/);
      expect(await sayX('yes')).toMatch(/Cancelled/);
      const round = `waitlist-offer:${xBooking.id}`;
      trace(`round ${round} appointment:${xBooking.id}`);
      const first = await waitFor(async () => {
        const s = await offerState(t, round);
        return s?.offers.length === 1 ? s : undefined;
      }, 'the first offer');
      expect(first.offers[0]!.entryId).toBe((await store.waitingOf(a.customerKey))[0]!.id);
      expect((await t.ledger.getBooking(first.offers[0]!.holdId))).toMatchObject({ status: 'held', customerKey: a.customerKey, start: slotStart });
      await waitFor(async () => (await sentTo(t, a.address)).some((m) => /opened up/.test(m)), 'the offer to A');

      // A does not answer: when the hold ends the slot goes to B (hold released, B's held).
      await t.sleep(business.policies.waitlistOfferSeconds * 1000 + 5_000);
      const second = await waitFor(async () => {
        const s = await offerState(t, round);
        return s?.offers.length === 2 ? s : undefined;
      }, 'the offer moving on to B');
      expect(second.offers[0]!.outcome).toBe('lapsed');
      expect((await t.ledger.getBooking(second.offers[0]!.holdId))?.status).toBe('released');
      expect((await t.ledger.getBooking(second.offers[1]!.holdId))).toMatchObject({ status: 'held', customerKey: b.customerKey });
      await waitFor(async () => (await sentTo(t, a.address)).some((m) => /offered it to the next person/.test(m)), 'A told the offer moved on');
      expect((await sentTo(t, c.address)).some((m) => /abierto|liberado/.test(m))).toBe(false);

      // A (late) and B say yes at the same moment: the ledger decides; exactly one booking.
      const [late, onTime] = await Promise.all([sayA('yes'), sayB('yes')]);
      const booked = (
        await Promise.all([a, b, c].map(async (who) => (await t.ledger.listCustomerBookings(who.customerKey, { statuses: ['confirmed'] })).filter((bk) => bk.start === slotStart)))
      ).flat();
      expect(booked).toHaveLength(1);
      const winner = booked[0]!.customerKey === a.customerKey ? 'a' : 'b';
      expect(winner).toBe('b'); // B held it; A's fresh insert met B's row in the exclusion constraint
      expect(onTime).toMatch(/booked/i);
      // A is told either way: by the ledger's refusal of their fresh insert, or (when B's booking ended the round
      // before A's turn read its notices) by the "gone" message checked below.
      trace(`late yes: ${late}`);
      const done = await waitFor(async () => {
        const s = await offerState(t, round);
        return s?.done ? s : undefined;
      }, 'the round to end');
      expect(done.offers.map((o) => o.outcome)).toEqual(['gone', 'booked']);
      await waitFor(async () => (await sentTo(t, a.address)).some((m) => /has been taken by someone else/.test(m)), 'A told the slot is gone');
      expect((await store.get(done.offers[1]!.entryId))?.status).toBe('booked');
      expect((await store.waitingOf(c.customerKey))).toHaveLength(1); // C was never offered and still waits
    });
  });

  it('an entry whose days pass ends as expired and the customer is told', async () => {
    const business = demoBusiness();
    h = await startTimeSkipping({ business, model: createOfflineModel(business) });
    const t = h;
    const a = customer(business.timezone);
    // Waiting for today only (in the business's zone): the range passes at the coming midnight.
    const today = DateTime.fromMillis(await t.env.currentTimeMs(), { zone: business.timezone }).toFormat('yyyy-MM-dd');
    const store = createWaitlistStore(t.ledger.sql);
    const entry = await store.join(
      {
        customerKey: a.customerKey,
        channel: 'sms',
        conversationKey: null,
        address: a.address,
        zone: business.timezone,
        locale: 'en',
        service: 'haircut',
        dateFrom: today,
        dateTo: today,
        window: { start: '16:00', end: '18:00' },
        endsAt: waitlistEndsAt({ dateTo: today }, business.timezone),
      },
      `test:${randomUUID()}`,
    );
    await t.withWorker(async (taskQueue) => {
      const handle = await t.env.client.workflow.start(waitlistEntryWorkflow, { taskQueue, workflowId: `waitlist:${entry.id}`, args: [{ entry }] });
      await t.sleep(Date.parse(entry.endsAt) - (await t.env.currentTimeMs()) + 60_000);
      // Polled, not awaited with result(): that lets the test server skip on to the next timer.
      await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED', 'the entry workflow to end');
      expect(await handle.result()).toEqual({ status: 'expired' });
      expect((await store.get(entry.id))?.status).toBe('expired');
      await waitFor(async () => (await sentTo(t, a.address)).some((m) => /has ended without a free time/.test(m)), 'the customer told');
    });
  });
});
