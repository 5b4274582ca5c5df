import { createHash } from 'node:crypto';
// The calendar API alone: importing all of `googleapis` costs seconds at start-up.
import { auth as googleAuth, calendar, type calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { DateTime } from 'luxon';
import type { BusyInterval } from '../domain/booking/availability';
import { toInstant } from '../domain/booking/time';
import type { CalendarSync } from '../domain/booking/calendar-sync';
import type { Booking } from '../domain/booking/types';

export interface GoogleCalendarOptions {
  calendarId: string;
  /** API root; tests point it at a local server speaking Calendar v3. Default Google's. */
  rootUrl?: string;
  /**
   * Credentials; default Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS) with the calendar scope.
   * `null` sends requests unauthenticated (local test servers only).
   */
  auth?: calendar_v3.Options['auth'] | null;
  /** The business's IANA zone: all-day events block whole local days there. Default UTC. */
  zone?: string;
  /** How events are titled; default "<service> with <provider>". */
  describe?: (booking: Booking) => string;
}

/** Property names on our events (private extended properties, invisible to attendees). */
const TAG = { bookingId: 'bookingId', providerId: 'providerId', idempotencyKey: 'idempotencyKey' } as const;

/**
 * A booking's event id: Google accepts client-chosen ids of 5–1024 characters in base32hex (a–v, 0–9), so a hex digest
 * of the booking id qualifies and makes creation idempotent — a retry collides (409) instead of duplicating.
 */
export function eventIdFor(bookingId: string): string {
  return `bk${createHash('sha256').update(bookingId).digest('hex').slice(0, 40)}`;
}

export function createGoogleCalendarSync(options: GoogleCalendarOptions): CalendarSync {
  const auth =
    options.auth === null
      ? undefined
      : (options.auth ?? new googleAuth.GoogleAuth({ scopes: ['https://www.googleapis.com/auth/calendar'] }));
  const api = calendar({ version: 'v3', auth, ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}) });
  const calendarId = options.calendarId;
  const title = options.describe ?? ((b: Booking) => `${b.serviceId} with ${b.providerId}`);

  return {
    async listBusy(range, providerIds) {
      const busy: BusyInterval[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await api.events.list({
          calendarId,
          timeMin: toInstant(range.start),
          timeMax: toInstant(range.end),
          singleEvents: true,
          showDeleted: false,
          maxResults: 2500,
          pageToken,
        });
        for (const event of data.items ?? []) {
          const span = eventSpan(event, options.zone ?? 'UTC');
          if (!span || event.status === 'cancelled' || event.transparency === 'transparent') continue;
          const tags = event.extendedProperties?.private ?? {};
          if (tags[TAG.bookingId]) continue; // ours: the ledger already knows
          const owner = tags[TAG.providerId];
          for (const providerId of owner ? providerIds.filter((p) => p === owner) : providerIds) {
            busy.push({ providerId, ...span });
          }
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return busy;
    },

    async createEvent(booking, idempotencyKey) {
      const eventId = eventIdFor(booking.id);
      try {
        await api.events.insert({
          calendarId,
          requestBody: {
            id: eventId,
            summary: title(booking),
            start: { dateTime: booking.start },
            end: { dateTime: booking.end },
            extendedProperties: {
              private: { [TAG.bookingId]: booking.id, [TAG.providerId]: booking.providerId, [TAG.idempotencyKey]: idempotencyKey },
            },
          },
        });
      } catch (error) {
        // 409: an earlier attempt created it. Google answers the same for an event deleted before; restore that one.
        if (httpStatus(error) !== 409) throw error;
        const { data } = await api.events.get({ calendarId, eventId });
        if (data.status === 'cancelled') {
          await api.events.update({
            calendarId,
            eventId,
            requestBody: { ...data, status: 'confirmed', start: { dateTime: booking.start }, end: { dateTime: booking.end } },
          });
        }
      }
      return { eventId };
    },

    async deleteEvent(bookingId) {
      try {
        await api.events.delete({ calendarId, eventId: eventIdFor(bookingId) });
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 404 && status !== 410) throw error;
      }
    },
  };
}

/** An event's start/end as instants; an all-day event blocks its local days (its end date is exclusive). */
function eventSpan(event: calendar_v3.Schema$Event, zone: string): { start: string; end: string } | null {
  const at = (when: calendar_v3.Schema$EventDateTime | undefined): string | null => {
    if (when?.dateTime) return toInstant(when.dateTime);
    if (when?.date) return toInstant(DateTime.fromISO(when.date, { zone }).startOf('day'));
    return null;
  };
  const start = at(event.start);
  const end = at(event.end);
  return start && end ? { start, end } : null;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const candidate of [e.response?.status, e.status, e.code]) {
    const n = Number(candidate);
    if (Number.isInteger(n) && n >= 100 && n < 600) return n;
  }
  return undefined;
}
