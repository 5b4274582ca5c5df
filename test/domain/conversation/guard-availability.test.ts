import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBusiness } from '../../../src/domain/booking/business';
import { Conversation } from '../../../src/domain/conversation/conversation';
import { guardToolCall } from '../../../src/domain/conversation/guard';
import { parseToolCall, type ParsedToolCall } from '../../../src/domain/tools';

/** The guard on get_availability's range: a model's backwards or impossible range never reaches the ledger. */

const business = parseBusiness(JSON.parse(readFileSync(new URL('../../../config/business.json', import.meta.url), 'utf8')));
const now = '2026-11-29T15:00:00Z';
const zone = 'America/New_York';
const call = (args: object): ParsedToolCall => {
  const parsed = parseToolCall({ id: 'c1', name: 'get_availability', arguments: JSON.stringify(args) });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.call;
};
const guard = (args: object) => guardToolCall(call(args), new Conversation(), business, now, zone);

describe('guard: get_availability ranges', () => {
  it('lets a range, weekdays, excluded dates and a booking being moved through', () => {
    expect(guard({ service: 'haircut', date: '2026-11-30', dateTo: '2026-12-06', weekdays: ['tue', 'thu'], excludeDates: ['2026-12-03'], forBooking: 'bk_1' })).toEqual({ ok: true });
    expect(guard({ service: 'haircut', dateTo: '2026-12-06' })).toEqual({ ok: true });
  });

  it('refuses a range that ends before it starts, or an impossible last day', () => {
    expect(guard({ service: 'haircut', date: '2026-12-06', dateTo: '2026-11-30' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(guard({ service: 'haircut', dateTo: '2026-11-28' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(guard({ service: 'haircut', date: '2026-11-30', dateTo: '2026-02-30' })).toMatchObject({ ok: false, error: 'invalid_date' });
  });

  it('refuses a weekday that is not one', () => {
    expect(parseToolCall({ id: 'c1', name: 'get_availability', arguments: JSON.stringify({ service: 'haircut', weekdays: ['monday'] }) }).ok).toBe(false);
  });
});
