import { DateTime } from 'luxon';
import type { Business } from '../../domain/booking/business';
import { openingIntervals } from '../../domain/booking/hours';
import type { ClosureCalendar } from '../../domain/booking/closures';
import type { StaffLedgerPort } from './ports';

/**
 * The day or week grid's data, from the ledger (bookings, live holds, blocks, closures made at the desk) and the
 * business file (opening hours, closed days). Every time is given as business-local minutes of its local day, so
 * the page draws it without knowing zones; the customer's name is shown when the ledger has one.
 */

export type ScheduleLedger = Pick<StaffLedgerPort, 'listSchedule' | 'listBlocks'>;

export interface GridItem {
  /** Booking or block id. */
  id: string;
  kind: 'booking' | 'hold' | 'block' | 'time_off' | 'closure';
  provider: string | null;
  date: string;
  startMin: number;
  endMin: number;
  /** "10:00–10:30" in the business's zone. */
  time: string;
  title: string;
  status?: string;
  customerName?: string | null;
  service?: string;
  reason?: string;
  by?: string;
  start: string;
  end: string;
}

export interface Schedule {
  zone: string;
  from: string;
  days: { date: string; label: string; closed: { reason: string; source: 'file' | 'desk'; blockId?: string } | null }[];
  providers: { id: string; name: string; open: Record<string, [number, number][]> }[];
  items: GridItem[];
}

const minutesOf = (dt: DateTime, day: DateTime) => Math.round(dt.diff(day, 'minutes').minutes);

export async function buildSchedule(ledger: ScheduleLedger, business: Business, closures: ClosureCalendar, from: string, dayCount: number): Promise<Schedule> {
  const zone = business.timezone;
  const first = DateTime.fromISO(from, { zone }).startOf('day');
  const dates = Array.from({ length: dayCount }, (_, i) => first.plus({ days: i }).startOf('day'));
  const range = { start: first.toUTC().toISO()!, end: first.plus({ days: dayCount }).startOf('day').toUTC().toISO()! };
  const [bookings, blocks] = await Promise.all([ledger.listSchedule(range), ledger.listBlocks(range)]);
  const fileClosed = new Map(closures.closedDays(range).map((d) => [d.date, d.reason]));

  const items: GridItem[] = [];
  /** Cuts [start, end) at local midnights, one item per day it touches inside the range. */
  const place = (base: Omit<GridItem, 'date' | 'startMin' | 'endMin' | 'time'>) => {
    const s = DateTime.fromISO(base.start, { zone });
    const e = DateTime.fromISO(base.end, { zone });
    for (const day of dates) {
      const next = day.plus({ days: 1 }).startOf('day');
      if (e <= day || s >= next) continue;
      const a = s < day ? day : s;
      const b = e > next ? next : e;
      items.push({ ...base, date: day.toISODate()!, startMin: minutesOf(a, day), endMin: minutesOf(b, day), time: `${a.toFormat('HH:mm')}–${b.toFormat('HH:mm')}` });
    }
  };
  const serviceName = (id: string) => business.services.find((s) => s.id === id)?.name ?? id;
  for (const b of bookings) {
    const held = b.status === 'held';
    place({
      id: b.id,
      kind: held ? 'hold' : 'booking',
      provider: b.providerId,
      title: `${serviceName(b.serviceId)}${b.customerName ? ` · ${b.customerName}` : ''}`,
      status: b.status,
      customerName: b.customerName,
      service: b.serviceId,
      start: b.start,
      end: b.end,
    });
  }
  const deskClosed = new Map<string, { reason: string; blockId: string }>();
  for (const k of blocks) {
    if (k.kind === 'closure') {
      for (const day of dates) {
        const next = day.plus({ days: 1 }).startOf('day');
        if (Date.parse(k.start) < next.toMillis() && Date.parse(k.end) > day.toMillis()) deskClosed.set(day.toISODate()!, { reason: k.reason || 'closed', blockId: k.id });
      }
      continue;
    }
    place({ id: k.id, kind: k.kind, provider: k.providerId, title: k.kind === 'time_off' ? 'Time off' : 'Blocked', reason: k.reason, by: k.createdBy, start: k.start, end: k.end });
  }

  return {
    zone,
    from: first.toISODate()!,
    days: dates.map((day) => {
      const date = day.toISODate()!;
      const desk = deskClosed.get(date);
      const file = fileClosed.get(date);
      return {
        date,
        label: day.toFormat('ccc d LLL'),
        closed: desk ? { reason: desk.reason, source: 'desk' as const, blockId: desk.blockId } : file !== undefined ? { reason: file, source: 'file' as const } : null,
      };
    }),
    providers: business.providers.map((p) => ({
      id: p.id,
      name: p.name,
      open: Object.fromEntries(
        dates.map((day) => [day.toISODate()!, openingIntervals(p, day).map((i): [number, number] => [minutesOf(DateTime.fromMillis(i.open, { zone }), day), minutesOf(DateTime.fromMillis(i.close, { zone }), day)])]),
      ),
    })),
    items,
  };
}
