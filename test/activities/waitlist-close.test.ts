import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWaitlistActivities } from '../../activities/waitlist';
import { openLedger, type Ledger } from '../../src/adapters/ledger';
import { createContactStore } from '../../src/adapters/ledger/sql-contacts';
import { createWaitlistStore } from '../../src/adapters/ledger/sql-waitlist';
import { testBusiness } from '../domain/booking/fixtures';

/**
 * A booking ends the customer's waitlist entries it satisfies. The call runs as a local activity inside a turn's
 * workflow task, so a worker that dies before that task completes has it run again: the repeat must name the same
 * entries, or their workflows are never told and keep offering slots to someone already booked.
 */
const now = new Date('2025-01-13T15:00:00Z');
let ledger: Ledger;
let activities: ReturnType<typeof createWaitlistActivities>;

beforeAll(async () => {
  ledger = await openLedger({ memory: true, clock: () => now });
  activities = createWaitlistActivities({
    ledger,
    waitlist: createWaitlistStore(ledger.sql, () => now),
    contacts: createContactStore(ledger.sql, () => now),
    business: testBusiness(),
    now: () => now,
  });
});
afterAll(() => ledger?.close());

const join = (customerKey: string, dateFrom: string, dateTo: string, step: string) =>
  activities.joinWaitlist({ customerKey, channel: 'chat', conversationKey: null, address: null, zone: 'America/New_York', locale: 'en', service: 'haircut', dateFrom, dateTo, idempotencyKey: `${customerKey}:${step}` });

describe('closeWaitlistOnBooking', () => {
  it('ends the entries the booking satisfies and names the same ones when it runs again', async () => {
    const customerKey = 'chat:waitlist-close';
    const thatDay = await join(customerKey, '2025-01-16', '2025-01-16', 'thursday');
    const otherDay = await join(customerKey, '2025-01-20', '2025-01-20', 'monday');
    if (!thatDay.ok || !otherDay.ok) throw new Error('joining failed');
    const booking = { id: 'booking-thursday', service: 'haircut', start: '2025-01-16T15:00:00Z' };

    const first = await activities.closeWaitlistOnBooking({ customerKey, booking });
    const again = await activities.closeWaitlistOnBooking({ customerKey, booking });

    expect(first).toEqual([thatDay.value.id]);
    expect(again).toEqual(first);
    expect(await activities.getWaitlistEntry({ entryId: otherDay.value.id })).toMatchObject({ status: 'waiting' });
  });
});
