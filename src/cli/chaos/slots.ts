import { DateTime } from 'luxon';
import { WEEKDAYS, type Business } from '../../domain/booking/business';

/**
 * The slots chaos customers ask for: a haircut with one provider, 2–4 weeks ahead, on days that provider works, back
 * to back (duration plus buffer) within the opening hours — every slot distinct, so no two requests compete and any
 * second confirmed row can only be a duplicate, never a lost race.
 */

export interface PlannedSlot {
  /** Local date and time in the business's zone. */
  date: string;
  time: string;
  /** The instant, for matching ledger rows. */
  start: string;
  /** What the customer types. */
  request: string;
}

export class SlotPlanError extends Error {
  override name = 'SlotPlanError';
}

export function planSlots(business: Business, options: { serviceId: string; providerId: string; now?: DateTime }): PlannedSlot[] {
  const service = business.services.find((s) => s.id === options.serviceId);
  const provider = business.providers.find((p) => p.id === options.providerId);
  if (!service || !provider || !provider.serviceIds.includes(service.id)) {
    throw new SlotPlanError(`the business has no ${options.serviceId} with ${options.providerId}; chaos needs both in BUSINESS_CONFIG`);
  }
  const zone = business.timezone;
  const step = service.durationMinutes + service.bufferMinutes;
  const today = (options.now ?? DateTime.now()).setZone(zone).startOf('day');
  const slots: PlannedSlot[] = [];
  for (let day = 14; day <= 28 && day <= business.policies.maxDaysAhead; day++) {
    const date = today.plus({ days: day });
    const hours = provider.hours[WEEKDAYS[date.weekday - 1]!] ?? [];
    for (const [open, close] of hours) {
      const closing = DateTime.fromISO(`${date.toISODate()}T${close}`, { zone });
      for (let t = DateTime.fromISO(`${date.toISODate()}T${open}`, { zone }); t.plus({ minutes: step }) <= closing; t = t.plus({ minutes: step })) {
        slots.push({
          date: t.toISODate()!,
          time: t.toFormat('HH:mm'),
          start: t.toUTC().toISO()!,
          request: `I'd like a ${service.name.toLowerCase()} with ${provider.name} on ${t.toFormat('cccc, LLLL d')} at ${t.toFormat('h:mma').toLowerCase()}`,
        });
      }
    }
  }
  if (slots.length === 0) throw new SlotPlanError(`${provider.name} has no opening hours 2–4 weeks ahead; chaos needs some in BUSINESS_CONFIG`);
  // Spread over the days: consecutive customers ask for different dates, so the calendar fills evenly.
  const byDay = new Map<string, PlannedSlot[]>();
  for (const s of slots) byDay.set(s.date, [...(byDay.get(s.date) ?? []), s]);
  const days = [...byDay.values()];
  const spread: PlannedSlot[] = [];
  for (let i = 0; spread.length < slots.length; i++) for (const d of days) if (d[i]) spread.push(d[i]!);
  return spread;
}
