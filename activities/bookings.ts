import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import type { Ledger } from '../src/adapters/ledger';
import { createClosureCalendar } from '../src/adapters/closures';
import { failForGoodOnKeyReuse, parseActivityInput } from '../src/adapters/ledger/activity-failures';
import type { Business } from '../src/domain/booking/business';
import { findService } from '../src/domain/booking/business';
import type { CalendarSync } from '../src/domain/booking/calendar-sync';
import { isFree, nearestAlternatives, type BusyInterval } from '../src/domain/booking/availability';
import { providersFor } from '../src/domain/booking/hours';
import { offerSlots } from '../src/domain/booking/offers';
import type { OfferingOutcome } from '../src/domain/booking/outcome';
import { ok, reject } from '../src/domain/booking/outcome';
import { checkActiveBookingLimit, checkCancellation, checkRequest, checkSlot } from '../src/domain/booking/rules';
import { localDate, toInstant } from '../src/domain/booking/time';
import type { Booking, Outcome, Rejection, Slot } from '../src/domain/booking/types';
import { instant, isoDate, localTime, timeWindow, weekday, type AvailabilityRequested } from '../src/domain/tools';
import { closedDay, type ClosedNotice } from '../src/domain/booking/closed-day';
import { CHANNELS, traitsOf } from '../src/domain/messaging/channel';

/**
 * The booking activities: every ledger operation the workflows need, behind the business rules. Identity is the
 * channel's `customerKey`, never something the model said: a customer sees and changes only their own bookings.
 * Business refusals (slot taken, outside hours, policy) are returned as Outcome values, never thrown, so Temporal
 * does not retry them; bad input and key reuse throw non-retryable ApplicationFailures; infrastructure errors throw
 * plainly and are retried. Every mutation takes an `idempotencyKey` (workflow id + step).
 */

export interface BookingDeps {
  ledger: Ledger;
  business: Business;
  /** Google Calendar mirror (GOOGLE_CALENDAR_ID): its other events make time busy; bookings are copied to it. */
  calendarSync?: CalendarSync;
  /** The clock; default the system clock. */
  now?: () => Date;
}

/** How far past the requested day alternatives are looked for. */
const ALTERNATIVE_DAYS = 14;
/** After a closed day, the next open days are looked for this far. */
const AFTER_CLOSED_DAYS = 7;

const customerKey = z.string().min(1).max(200);
const idempotencyKey = z.string().min(1).max(500);
const zone = z.string().refine((z) => IANAZone.isValidZone(z), 'an IANA time zone such as "America/New_York"');

const schemas = {
  findAvailability: z.object({
    customerKey,
    service: z.string().min(1),
    provider: z.string().min(1).optional(),
    date: isoDate.optional(),
    time: localTime.optional(),
    window: timeWindow.optional(),
    /** Last local date of a range, inclusive. */
    dateTo: isoDate.optional(),
    /** Only these local weekdays. */
    weekdays: z.array(weekday).min(1).max(7).optional(),
    /** Local dates the customer ruled out. */
    excludeDates: z.array(isoDate).max(31).optional(),
    /** The customer's booking being moved: its own time is not taken (only when it is theirs). */
    forBooking: z.string().min(1).optional(),
    /** The customer's zone: date, time and window are read in it. Default: the business's. */
    zone: zone.optional(),
    /** The channel the list is shown on: how many times it offers (CHANNEL_TRAITS.offersAtOnce). */
    channel: z.enum(CHANNELS).optional(),
    limit: z.number().int().min(1).max(20).optional(),
  }),
  holdSlot: z.object({ customerKey, service: z.string().min(1), provider: z.string().min(1), start: instant, idempotencyKey, zone: zone.optional() }),
  bookingStep: z.object({ customerKey, bookingId: z.string().min(1), idempotencyKey }),
  cancelBooking: z.object({ customerKey, bookingId: z.string().min(1), idempotencyKey, bypassPolicy: z.boolean().optional(), operator: z.string().min(1).max(80).optional() }),
  rescheduleBooking: z.object({
    customerKey,
    bookingId: z.string().min(1),
    start: instant,
    provider: z.string().min(1).optional(),
    idempotencyKey,
    zone: zone.optional(),
    bypassPolicy: z.boolean().optional(),
    /** Staff moving it for the business: recorded with the change. */
    operator: z.string().min(1).max(80).optional(),
  }),
  holdMove: z.object({ customerKey, bookingId: z.string().min(1), start: instant, provider: z.string().min(1).optional(), idempotencyKey, zone: zone.optional() }),
  swapBooking: z.object({ customerKey, bookingId: z.string().min(1), holdId: z.string().min(1), idempotencyKey }),
  getBooking: z.object({ customerKey, bookingId: z.string().min(1) }),
  listBookings: z.object({ customerKey }),
  markAttendance: z.object({ bookingId: z.string().min(1), attended: z.boolean(), idempotencyKey }),
  syncBooking: z.object({ bookingId: z.string().min(1), idempotencyKey }),
};

export type FindAvailabilityInput = z.input<typeof schemas.findAvailability>;
export type HoldSlotInput = z.input<typeof schemas.holdSlot>;
export type BookingStepInput = z.input<typeof schemas.bookingStep>;
export type CancelBookingInput = z.input<typeof schemas.cancelBooking>;
export type RescheduleBookingInput = z.input<typeof schemas.rescheduleBooking>;
export type GetBookingInput = z.input<typeof schemas.getBooking>;
export type HoldMoveInput = z.input<typeof schemas.holdMove>;
export type SwapBookingInput = z.input<typeof schemas.swapBooking>;
export type ListBookingsInput = z.input<typeof schemas.listBookings>;
export type MarkAttendanceInput = z.input<typeof schemas.markAttendance>;
export type SyncBookingInput = z.input<typeof schemas.syncBooking>;

export interface Availability {
  requested: AvailabilityRequested;
  /** The single day asked for is closed for this service: the alternatives are the next open days'. */
  closed?: ClosedNotice;
  /** The instant asked for, when a time was named. */
  requestedStart: string | null;
  /** The slot asked for, when it can be held. */
  exact: Slot | null;
  alternatives: Slot[];
}

/** The statuses a customer sees as bookings (holds are not bookings). */
export const LISTED_STATUSES = ['confirmed', 'cancelled', 'completed', 'no_show'] as const;

export function createBookingActivities(deps: BookingDeps) {
  const { ledger, business } = deps;
  const clock = deps.now ?? (() => new Date());
  const policies = business.policies;
  // The business file's closed days (public holidays, listed dates): busy for every provider. Staff's blocks and
  // the days they close from the staff desk come from the ledger, which also refuses a hold inside them.
  const closures = createClosureCalendar(business);
  const closedDuring = (start: string, end: string) => closures.closedDays({ start, end }).some((d) => d.start < end && d.end > start);

  /** Busy time of the given providers from now until `days` after `from`. */
  async function busyFor(providerIds: string[], from: Date, days: number, exceptBookingIds: readonly string[] = []): Promise<BusyInterval[]> {
    const start = new Date(Math.min(from.getTime(), clock().getTime()) - 24 * 3600_000);
    const end = new Date(from.getTime() + (days + 2) * 24 * 3600_000);
    const range = { start: toInstant(start), end: toInstant(end) };
    const [booked, external] = await Promise.all([
      ledger.listBusy(providerIds, range, exceptBookingIds.length ? { exceptBookingIds } : undefined),
      deps.calendarSync ? deps.calendarSync.listBusy(range, providerIds) : Promise.resolve([]),
    ]);
    const closed = closures.closedDays(range).flatMap((day) => providerIds.map((providerId) => ({ providerId, start: day.start, end: day.end })));
    return [...booked, ...external, ...closed];
  }

  /** Nearest free slots to a refused start, so a refusal always comes with something to say yes to. */
  async function alternativesTo(serviceId: string, providerId: string | undefined, start: string, customerZone: string): Promise<Slot[]> {
    if (checkRequest(business, serviceId, providerId)) return [];
    const providers = providersFor(business, serviceId, providerId).map((p) => p.id);
    const busy = await busyFor(providers, new Date(start), ALTERNATIVE_DAYS);
    return nearestAlternatives(start, { business, serviceId, providerId, customerZone, now: clock(), busy }, { followingDays: ALTERNATIVE_DAYS });
  }

  /** Why a single day is closed for a service (business file, staff desk, weekly hours), or null when it is open. */
  async function whyClosed(serviceId: string, providerId: string | undefined, date: string, customerZone: string): Promise<ClosedNotice | null> {
    const day = localDate(date, customerZone);
    const range = { start: toInstant(day.minus({ days: 1 }).toJSDate()), end: toInstant(day.plus({ days: 2 }).toJSDate()) };
    const staff = (await ledger.listBlocks(range)).filter((b) => b.kind === 'closure' && b.providerId === null);
    return closedDay({ business, serviceId, providerId, date, customerZone, fileClosures: closures.closedDays(range), staffClosures: staff });
  }

  async function ownBooking(customer: string, bookingId: string): Promise<Outcome<Booking>> {
    const booking = await ledger.getBooking(bookingId);
    if (!booking) return reject({ code: 'not_found' });
    if (booking.customerKey !== customer) return reject({ code: 'not_yours' });
    return ok(booking);
  }

  /** Whether staff's own Google Calendar events leave [start, end + buffer) free for the provider. */
  async function freeInCalendar(providerId: string, serviceId: string, start: string, end: string): Promise<boolean> {
    const busy = await deps.calendarSync!.listBusy({ start, end: toInstant(Date.parse(end) + 24 * 3600_000) }, [providerId]);
    return isFree(business, { serviceId, providerId, start, end }, busy);
  }

  function refuseWithAlternatives(rejection: Rejection, alternatives: Slot[]): { ok: false; rejection: Rejection; alternatives: Slot[] } {
    return { ok: false, rejection, alternatives };
  }

  return {
    /**
     * Free slots for a service: the exact one asked for (when a time was named) and alternatives, as many as the
     * channel suits, chronological. A range, weekdays and excluded dates narrow the days; `forBooking` (the
     * customer's own booking being moved) frees that booking's own time. A single day that is closed for the service
     * (weekly, a holiday, a staff closure) says so in `closed`, with the next open days' times. Fast.
     */
    async findAvailability(raw: FindAvailabilityInput): Promise<Outcome<Availability>> {
      const input = parseActivityInput('findAvailability', schemas.findAvailability, raw);
      const refused = checkRequest(business, input.service, input.provider);
      if (refused) return reject(refused);
      const customerZone = input.zone ?? business.timezone;
      const now = clock();
      const todayLocal = DateTime.fromJSDate(now, { zone: customerZone }).toISODate()!;
      // A range that began in the past ("this week" on a Wednesday) starts today.
      const firstDate = input.date && input.dateTo && input.date < todayLocal ? todayLocal : input.date;
      const lastDate = input.dateTo && firstDate && input.dateTo < firstDate ? undefined : input.dateTo;
      if (firstDate) {
        const day = localDate(lastDate ?? firstDate, customerZone);
        if (day.plus({ days: 1 }).toMillis() <= now.getTime()) return reject({ code: 'in_the_past' });
        const lastBusinessDay = DateTime.fromJSDate(now, { zone: business.timezone }).startOf('day').plus({ days: policies.maxDaysAhead });
        if (localDate(firstDate, customerZone).toMillis() >= lastBusinessDay.plus({ days: 1 }).startOf('day').toMillis()) {
          return reject({ code: 'too_far', maxDaysAhead: policies.maxDaysAhead });
        }
      }
      const providers = providersFor(business, input.service, input.provider).map((p) => p.id);
      const from = firstDate ? localDate(firstDate, customerZone).toJSDate() : now;
      // Busy time must cover the whole range asked for (from today when only its last day was given).
      const spanDays = lastDate ? Math.max(0, Math.round(localDate(lastDate, customerZone).diff(localDate(firstDate ?? todayLocal, customerZone), 'days').days)) : 0;
      const own = input.forBooking ? await ownBooking(input.customerKey, input.forBooking) : null;
      const moving = own?.ok && own.value.status === 'confirmed' ? own.value : null;
      // The booking being moved does not stand in its own way ("11 the same day" for a 10:00 booking is free).
      const busy = await busyFor(providers, from, Math.max(ALTERNATIVE_DAYS, spanDays) + 7, moving ? [moving.id] : []);
      const request = {
        business,
        serviceId: input.service,
        providerId: input.provider,
        customerZone,
        now,
        busy,
        time: input.time,
        window: input.window,
        weekdays: input.weekdays,
        excludeDates: input.excludeDates,
        limit: input.limit ?? traitsOf(input.channel ?? 'chat').offersAtOnce,
      };
      const requested: AvailabilityRequested = {
        // What was searched: a range that began in the past reads from today.
        ...(firstDate ? { date: firstDate } : {}),
        ...(lastDate ? { dateTo: lastDate } : {}),
        ...(input.time ? { time: input.time } : {}),
        ...(input.window ? { window: input.window } : {}),
        ...(input.weekdays ? { weekdays: input.weekdays } : {}),
        ...(input.excludeDates ? { excludeDates: input.excludeDates } : {}),
      };
      const singleDay = firstDate && (!lastDate || lastDate === firstDate) ? firstDate : null;
      const closed = singleDay ? await whyClosed(input.service, input.provider, singleDay, customerZone) : null;
      if (closed && !input.time) {
        // Nothing to find on a closed day: the next open days' times instead, spread as for a range.
        const next = localDate(singleDay!, customerZone).plus({ days: 1 });
        const offer = offerSlots({ ...request, date: next.toISODate()!, toDate: next.plus({ days: AFTER_CLOSED_DAYS - 1 }).toISODate()! });
        return ok({ requested, closed, requestedStart: null, exact: null, alternatives: offer.alternatives });
      }
      const offer = offerSlots({ ...request, date: firstDate, toDate: lastDate });
      return ok({
        requested,
        ...(closed ? { closed } : {}),
        requestedStart: offer.requestedStart,
        exact: offer.exact,
        alternatives: offer.alternatives,
      });
    },

    /**
     * Holds a slot for `holdTtlSeconds` (the workflow's timer releases it; an expired hold never blocks anyway).
     * Refusals carry the nearest alternatives. Fast.
     */
    async holdSlot(raw: HoldSlotInput): Promise<OfferingOutcome<Booking>> {
      const input = parseActivityInput('holdSlot', schemas.holdSlot, raw);
      const customerZone = input.zone ?? business.timezone;
      const now = clock();
      const start = toInstant(input.start);
      const refused = checkSlot({ business, serviceId: input.service, providerId: input.provider, start, now });
      if (refused) return refuseWithAlternatives(refused, await alternativesTo(input.service, input.provider, start, customerZone));
      const service = findService(business, input.service)!;
      const end = toInstant(Date.parse(start) + service.durationMinutes * 60_000);
      // A closed day is outside the opening hours: the business is not open then.
      if (closedDuring(start, end)) return refuseWithAlternatives({ code: 'outside_hours' }, await alternativesTo(input.service, input.provider, start, customerZone));
      if (deps.calendarSync && !(await freeInCalendar(input.provider, service.id, start, end))) {
        return refuseWithAlternatives({ code: 'slot_taken' }, await alternativesTo(input.service, undefined, start, customerZone));
      }
      const mine = await ledger.listCustomerBookings(input.customerKey, { statuses: ['confirmed'] });
      const overLimit = checkActiveBookingLimit(mine, policies, now);
      if (overLimit) return refuseWithAlternatives(overLimit, []);
      const held = await ledger.hold({
        customerKey: input.customerKey,
        serviceId: service.id,
        providerId: input.provider,
        start,
        end,
        bufferMinutes: service.bufferMinutes,
        expiresAt: toInstant(now.getTime() + policies.holdTtlSeconds * 1000),
        idempotencyKey: input.idempotencyKey,
      }).catch(failForGoodOnKeyReuse);
      if (held.ok) return held;
      // Any provider may do when the taken one was not asked for by name; the conversation knows which it was.
      return refuseWithAlternatives(held.rejection, await alternativesTo(input.service, undefined, start, customerZone));
    },

    /** Confirms the customer's hold: the booking is made. Fast. */
    async confirmBooking(raw: BookingStepInput): Promise<Outcome<Booking>> {
      const input = parseActivityInput('confirmBooking', schemas.bookingStep, raw);
      return ledger.confirm(input).catch(failForGoodOnKeyReuse);
    },

    /** Lets go of the customer's hold (declined, or its timer fired). Fast. */
    async releaseHold(raw: BookingStepInput): Promise<Outcome<Booking>> {
      const input = parseActivityInput('releaseHold', schemas.bookingStep, raw);
      return ledger.release(input).catch(failForGoodOnKeyReuse);
    },

    /**
     * Cancels the customer's confirmed booking. Inside `cancellationNoticeHours` it answers
     * `inside_cancellation_window` (explain the policy, offer a human) unless `bypassPolicy` (staff). Fast.
     */
    async cancelBooking(raw: CancelBookingInput): Promise<Outcome<Booking>> {
      const input = parseActivityInput('cancelBooking', schemas.cancelBooking, raw);
      const own = await ownBooking(input.customerKey, input.bookingId);
      if (!own.ok) return own;
      // A retry after success finds it cancelled: the ledger then answers from its idempotency record.
      if (own.value.status === 'confirmed' && !input.bypassPolicy) {
        const refused = checkCancellation(own.value, policies, clock());
        if (refused) return reject(refused);
      }
      return ledger.cancel({ bookingId: input.bookingId, customerKey: input.customerKey, idempotencyKey: input.idempotencyKey, operator: input.operator }).catch(failForGoodOnKeyReuse);
    },

    /**
     * Moves the customer's confirmed booking to a new start (same service; provider kept unless given) in one ledger
     * transaction: never both, never neither. The cancellation policy applies to moves too (unless `bypassPolicy`).
     * Refusals of the new slot carry alternatives. Fast.
     */
    async rescheduleBooking(raw: RescheduleBookingInput): Promise<OfferingOutcome<{ booking: Booking; previous: Booking }>> {
      const input = parseActivityInput('rescheduleBooking', schemas.rescheduleBooking, raw);
      const customerZone = input.zone ?? business.timezone;
      const own = await ownBooking(input.customerKey, input.bookingId);
      if (!own.ok) return refuseWithAlternatives(own.rejection, []);
      const current = own.value;
      const providerId = input.provider ?? current.providerId;
      const start = toInstant(input.start);
      const service = findService(business, current.serviceId);
      if (!service) return refuseWithAlternatives({ code: 'unknown_service', service: current.serviceId }, []);
      if (current.status === 'confirmed') {
        const now = clock();
        if (!input.bypassPolicy) {
          const policy = checkCancellation(current, policies, now);
          if (policy) return refuseWithAlternatives(policy, []);
        }
        const refused = checkSlot({ business, serviceId: service.id, providerId, start, now }) ??
          (closedDuring(start, toInstant(Date.parse(start) + service.durationMinutes * 60_000)) ? { code: 'outside_hours' as const } : null);
        if (refused) return refuseWithAlternatives(refused, await alternativesTo(service.id, input.provider, start, customerZone));
      }
      const moved = await ledger.reschedule({
        bookingId: current.id,
        customerKey: input.customerKey,
        providerId,
        start,
        end: toInstant(Date.parse(start) + service.durationMinutes * 60_000),
        bufferMinutes: service.bufferMinutes,
        idempotencyKey: input.idempotencyKey,
        operator: input.operator,
      }).catch(failForGoodOnKeyReuse);
      if (moved.ok) return moved;
      const alternatives = moved.rejection.code === 'slot_taken' ? await alternativesTo(service.id, input.provider, start, customerZone) : [];
      return refuseWithAlternatives(moved.rejection, alternatives);
    },

    /**
     * Checks that the customer may cancel their booking now (theirs, confirmed, outside the cancellation window), so
     * the cancellation can be read back before anything changes; `inside_cancellation_window` otherwise. Fast.
     */
    async reviewCancellation(raw: GetBookingInput): Promise<Outcome<{ booking: Booking; cancellationNoticeHours: number }>> {
      const input = parseActivityInput('reviewCancellation', schemas.getBooking, raw);
      const own = await ownBooking(input.customerKey, input.bookingId);
      if (!own.ok) return own;
      if (own.value.status !== 'confirmed') return reject({ code: 'not_confirmable', status: own.value.status });
      const refused = checkCancellation(own.value, policies, clock());
      if (refused) return reject(refused);
      return ok({ booking: own.value, cancellationNoticeHours: policies.cancellationNoticeHours });
    },

    /**
     * Holds the new time of a move while the customer confirms it: the same checks as a move (theirs, confirmed,
     * outside the cancellation window, the new slot inside hours), and the booking's own time does not count against
     * the hold (the ledger's `replacing`). Nothing changes for the booking until swapBooking. Refusals of the new
     * slot carry alternatives. Fast.
     */
    async holdMove(raw: HoldMoveInput): Promise<OfferingOutcome<{ booking: Booking; hold: Booking }>> {
      const input = parseActivityInput('holdMove', schemas.holdMove, raw);
      const customerZone = input.zone ?? business.timezone;
      const own = await ownBooking(input.customerKey, input.bookingId);
      if (!own.ok) return refuseWithAlternatives(own.rejection, []);
      const current = own.value;
      if (current.status !== 'confirmed') return refuseWithAlternatives({ code: 'not_confirmable', status: current.status }, []);
      const now = clock();
      const policy = checkCancellation(current, policies, now);
      if (policy) return refuseWithAlternatives(policy, []);
      const service = findService(business, current.serviceId);
      if (!service) return refuseWithAlternatives({ code: 'unknown_service', service: current.serviceId }, []);
      const providerId = input.provider ?? current.providerId;
      const start = toInstant(input.start);
      const end = toInstant(Date.parse(start) + service.durationMinutes * 60_000);
      const refused = checkSlot({ business, serviceId: service.id, providerId, start, now }) ?? (closedDuring(start, end) ? { code: 'outside_hours' as const } : null);
      if (refused) return refuseWithAlternatives(refused, await alternativesTo(service.id, input.provider, start, customerZone));
      if (deps.calendarSync && !(await freeInCalendar(providerId, service.id, start, end))) {
        return refuseWithAlternatives({ code: 'slot_taken' }, await alternativesTo(service.id, input.provider, start, customerZone));
      }
      const held = await ledger.hold({
        customerKey: input.customerKey,
        serviceId: service.id,
        providerId,
        start,
        end,
        bufferMinutes: service.bufferMinutes,
        expiresAt: toInstant(now.getTime() + policies.holdTtlSeconds * 1000),
        idempotencyKey: input.idempotencyKey,
        replacing: current.id,
      }).catch(failForGoodOnKeyReuse);
      if (held.ok) return ok({ booking: current, hold: held.value });
      const alternatives = held.rejection.code === 'slot_taken' ? await alternativesTo(service.id, input.provider, start, customerZone) : [];
      return refuseWithAlternatives(held.rejection, alternatives);
    },

    /**
     * The customer said yes to a move: the held new time becomes the booking and the old one is cancelled, in one
     * ledger transaction. The cancellation window is checked again (the yes may come later). Fast.
     */
    async swapBooking(raw: SwapBookingInput): Promise<Outcome<{ booking: Booking; previous: Booking }>> {
      const input = parseActivityInput('swapBooking', schemas.swapBooking, raw);
      const own = await ownBooking(input.customerKey, input.bookingId);
      if (!own.ok) return own;
      // A retry after success finds it cancelled: the ledger then answers from its idempotency record.
      if (own.value.status === 'confirmed') {
        const refused = checkCancellation(own.value, policies, clock());
        if (refused) return reject(refused);
      }
      const service = findService(business, own.value.serviceId);
      return ledger
        .swap({ customerKey: input.customerKey, bookingId: input.bookingId, holdId: input.holdId, bufferMinutes: service?.bufferMinutes ?? 0, idempotencyKey: input.idempotencyKey })
        .catch(failForGoodOnKeyReuse);
    },

    /** One of the customer's bookings (holds included). Fast. */
    async getBooking(raw: GetBookingInput): Promise<Outcome<Booking>> {
      const input = parseActivityInput('getBooking', schemas.getBooking, raw);
      return ownBooking(input.customerKey, input.bookingId);
    },

    /** The customer's bookings (confirmed, cancelled, completed, no_show; not holds), by start. Fast. */
    async listBookings(raw: ListBookingsInput): Promise<Booking[]> {
      const input = parseActivityInput('listBookings', schemas.listBookings, raw);
      return ledger.listCustomerBookings(input.customerKey, { statuses: LISTED_STATUSES });
    },

    /**
     * Mirrors one booking to Google Calendar as the ledger has it: confirmed → the event exists; anything else → it
     * does not. Idempotent (the event id derives from the booking id), so call it after confirm, cancel and for both
     * ids after a reschedule. Without GOOGLE_CALENDAR_ID it does nothing. SLOW (a third-party API): give it its own
     * options with a longer timeout and patient retries, off the customer's path.
     */
    async syncBookingToCalendar(raw: SyncBookingInput): Promise<{ synced: boolean; status: Booking['status'] | null }> {
      const input = parseActivityInput('syncBookingToCalendar', schemas.syncBooking, raw);
      const booking = await ledger.getBooking(input.bookingId);
      if (!deps.calendarSync) return { synced: false, status: booking?.status ?? null };
      if (booking?.status === 'confirmed') await deps.calendarSync.createEvent(booking, input.idempotencyKey);
      else await deps.calendarSync.deleteEvent(input.bookingId);
      return { synced: true, status: booking?.status ?? null };
    },

    /** Staff: attended (completed) or not (no_show). Fast. */
    async markAttendance(raw: MarkAttendanceInput): Promise<Outcome<Booking>> {
      const input = parseActivityInput('markAttendance', schemas.markAttendance, raw);
      return ledger.markAttendance(input).catch(failForGoodOnKeyReuse);
    },
  };
}

export type BookingActivities = ReturnType<typeof createBookingActivities>;
