import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { Ledger } from '../src/adapters/ledger';
import { failForGoodOnKeyReuse, parseActivityInput } from '../src/adapters/ledger/activity-failures';
import type { ContactStore } from '../src/adapters/ledger/sql-contacts';
import type { WaitlistStore } from '../src/adapters/ledger/sql-waitlist';
import type { Business } from '../src/domain/booking/business';
import { findService } from '../src/domain/booking/business';
import { reject } from '../src/domain/booking/outcome';
import { checkActiveBookingLimit, checkRequest, checkSlot } from '../src/domain/booking/rules';
import { toInstant } from '../src/domain/booking/time';
import type { Outcome } from '../src/domain/booking/types';
import { bookingSatisfies, slotFits, waitlistEndsAt, type WaitlistEntry } from '../src/domain/booking/waitlist';
import { toHoldView } from '../src/domain/booking/views';
import { CHANNELS } from '../src/domain/messaging/channel';
import type { HoldView } from '../src/domain/tools';
import { instant, isoDate, timeWindow } from '../src/domain/tools';

/**
 * The waitlist's ledger operations: join, who fits a freed slot (in order of joining), the offer's hold in the
 * waiting customer's name, and the end of an entry. The hold is an ordinary ledger hold, so the exclusion constraint
 * decides every race (a "yes" from two customers, a walk-in booking the slot meanwhile), never our timing.
 */

export interface WaitlistDeps {
  ledger: Ledger;
  waitlist: WaitlistStore;
  contacts: ContactStore;
  business: Business;
  now?: () => Date;
}

const customerKey = z.string().min(1).max(200);
const idempotencyKey = z.string().min(1).max(500);
const zone = z.string().refine((z) => IANAZone.isValidZone(z), 'an IANA time zone such as "America/New_York"');
const slot = z.object({ service: z.string().min(1), provider: z.string().min(1), start: instant, end: instant });

const schemas = {
  joinWaitlist: z.object({
    customerKey,
    channel: z.enum(CHANNELS),
    conversationKey: z.string().min(1).max(200).nullable(),
    address: z.string().min(1).max(200).nullable(),
    zone,
    locale: z.enum(['en', 'es']),
    service: z.string().min(1),
    provider: z.string().min(1).optional(),
    dateFrom: isoDate,
    dateTo: isoDate,
    window: timeWindow.optional(),
    idempotencyKey,
  }),
  waitlistCandidates: z.object({ slot }),
  holdForWaitlist: z.object({ entryId: z.string().min(1), slot, expiresAt: instant, idempotencyKey }),
  entry: z.object({ entryId: z.string().min(1) }),
  endWaitlistEntry: z.object({ entryId: z.string().min(1), status: z.enum(['booked', 'expired', 'left']), bookingId: z.string().min(1).optional() }),
  closeWaitlistOnBooking: z.object({ customerKey, booking: z.object({ id: z.string().min(1), service: z.string().min(1), start: instant }) }),
  setCustomerEmail: z.object({ customerKey, email: z.email().max(254).nullable() }),
};

export type JoinWaitlistInput = z.input<typeof schemas.joinWaitlist>;
export type HoldForWaitlistInput = z.input<typeof schemas.holdForWaitlist>;

export function createWaitlistActivities(deps: WaitlistDeps) {
  const { ledger, waitlist, business } = deps;
  const clock = deps.now ?? (() => new Date());
  return {
    /** Adds the customer to the waitlist (idempotent by key); refusals of the request come back as values. */
    async joinWaitlist(raw: JoinWaitlistInput): Promise<Outcome<WaitlistEntry>> {
      const input = parseActivityInput('joinWaitlist', schemas.joinWaitlist, raw);
      const refused = checkRequest(business, input.service, input.provider);
      if (refused) return reject(refused);
      const { idempotencyKey: key, ...request } = input;
      const entry = await waitlist.join({ ...request, endsAt: waitlistEndsAt(request, input.zone) }, key);
      return { ok: true, value: entry };
    },

    /** The entries a freed slot fits, in order of joining (range not passed, service, provider, day and window). */
    async waitlistCandidates(raw: z.input<typeof schemas.waitlistCandidates>): Promise<WaitlistEntry[]> {
      const input = parseActivityInput('waitlistCandidates', schemas.waitlistCandidates, raw);
      const now = toInstant(clock());
      return (await waitlist.waitingFor(input.slot.service)).filter((entry) => slotFits(entry, input.slot, now));
    },

    /**
     * Holds the freed slot in the waiting customer's name until `expiresAt` (the offer workflow's clock: its timer and
     * the row end together). `slot_taken` when anyone holds or booked it meanwhile (the constraint decides); the
     * booking rules apply as to any hold. Fast.
     */
    async holdForWaitlist(raw: HoldForWaitlistInput): Promise<Outcome<{ hold: HoldView; ttlSeconds: number }>> {
      const input = parseActivityInput('holdForWaitlist', schemas.holdForWaitlist, raw);
      const entry = await waitlist.get(input.entryId);
      if (!entry || entry.status !== 'waiting') return reject({ code: 'not_found' });
      const now = clock();
      const start = toInstant(input.slot.start);
      const refused = checkSlot({ business, serviceId: input.slot.service, providerId: input.slot.provider, start, now });
      if (refused) return reject(refused);
      const service = findService(business, input.slot.service)!;
      const mine = await ledger.listCustomerBookings(entry.customerKey, { statuses: ['confirmed'] });
      const overLimit = checkActiveBookingLimit(mine, business.policies, now);
      if (overLimit) return reject(overLimit);
      const ttlSeconds = Math.max(0, Math.round((Date.parse(input.expiresAt) - now.getTime()) / 1000));
      const held = await ledger
        .hold({
          customerKey: entry.customerKey,
          serviceId: service.id,
          providerId: input.slot.provider,
          start,
          end: toInstant(Date.parse(start) + service.durationMinutes * 60_000),
          bufferMinutes: service.bufferMinutes,
          expiresAt: toInstant(input.expiresAt),
          idempotencyKey: input.idempotencyKey,
        })
        .catch(failForGoodOnKeyReuse);
      return held.ok ? { ok: true, value: { hold: toHoldView(held.value), ttlSeconds } } : held;
    },

    async getWaitlistEntry(raw: z.input<typeof schemas.entry>): Promise<WaitlistEntry | null> {
      return waitlist.get(parseActivityInput('getWaitlistEntry', schemas.entry, raw).entryId);
    },

    /** Ends an entry (booked, expired, left) once; returns it as it is now. */
    async endWaitlistEntry(raw: z.input<typeof schemas.endWaitlistEntry>): Promise<WaitlistEntry | null> {
      const input = parseActivityInput('endWaitlistEntry', schemas.endWaitlistEntry, raw);
      return waitlist.end(input.entryId, input.status, input.bookingId ?? null);
    },

    /**
     * The customer booked: their entries this booking satisfies end as booked. Returns the ids of every entry this
     * booking ended, the same on a repeat (a local activity re-run after a worker died mid-task must signal them too).
     */
    async closeWaitlistOnBooking(raw: z.input<typeof schemas.closeWaitlistOnBooking>): Promise<string[]> {
      const input = parseActivityInput('closeWaitlistOnBooking', schemas.closeWaitlistOnBooking, raw);
      for (const entry of await waitlist.waitingOf(input.customerKey)) {
        if (bookingSatisfies(entry, input.booking)) await waitlist.end(entry.id, 'booked', input.booking.id);
      }
      return (await waitlist.bookedWith(input.customerKey, input.booking.id)).map((entry) => entry.id);
    },

    /** Remembers (or with null forgets) where the customer's emails go. */
    async setCustomerEmail(raw: z.input<typeof schemas.setCustomerEmail>): Promise<void> {
      const input = parseActivityInput('setCustomerEmail', schemas.setCustomerEmail, raw);
      await deps.contacts.setEmail(input.customerKey, input.email);
    },
  };
}

export type WaitlistActivities = ReturnType<typeof createWaitlistActivities>;
