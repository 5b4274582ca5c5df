import { describe, expect, it } from 'vitest';
import { businessTime, describeAppointment, describeConversation } from '../../workflows/details';
import { demoBusiness } from '../support/time-skipping';

/** What the Temporal Web UI shows for an execution: names, the business's local time and the state in words. */
describe('Web UI details', () => {
  const business = demoBusiness();
  const booking = { id: 'b-1', service: 'color', provider: 'sam', start: '2026-12-01T19:00:00Z', end: '2026-12-01T20:30:00Z', status: 'confirmed' as const };

  it('describes an appointment in the business zone, not UTC', () => {
    const text = describeAppointment(booking, business, { next: { label: 'reminder 24 h before', at: '2026-11-30T19:00:00Z' } });
    expect(text).toBe('**Hair colour** with Sam — Tue 1 Dec 2026, 14:00 EST\nConfirmed\nNext: reminder 24 h before, Mon 30 Nov 2026, 14:00 EST');
    expect(describeAppointment({ ...booking, status: 'cancelled' }, business, { cancelledBy: 'Dana' })).toContain('Cancelled by the business (Dana)');
    expect(describeAppointment({ ...booking, status: 'cancelled' }, business, { movedTo: { ...booking, id: 'b-2', start: '2026-12-02T15:00:00Z' } })).toContain(
      'Moved by the business to Wed 2 Dec 2026, 10:00 EST with Sam (appointment:b-2)',
    );
    expect(businessTime('2026-07-01T16:00:00Z', business)).toBe('Wed 1 Jul 2026, 12:00 EDT');
  });

  it('describes a conversation in words, with times local to the business when it is known', () => {
    const state = {
      status: 'holding' as const,
      slots: { service: 'haircut' },
      hold: { bookingId: 'h-1', service: 'haircut', provider: 'alex', start: '2026-12-01T15:00:00Z', end: '2026-12-01T15:30:00Z', expiresAt: '2026-11-30T12:01:30Z' },
      bookings: [],
      needsHuman: false,
      locale: 'en' as const,
      usage: { promptTokens: 0, completionTokens: 0, modelCalls: 2 },
    };
    const text = describeConversation(state, 'sms', null, business);
    expect(text).toContain('**sms** conversation — Holding a slot, waiting for the customer to confirm');
    expect(text).toContain('Holding Haircut with Alex at Tue 1 Dec 2026, 10:00 EST until Mon 30 Nov 2026, 07:01 EST');
  });
});
