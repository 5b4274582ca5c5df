import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleCalendarSync, eventIdFor } from '../../src/adapters/google-calendar';
import type { CalendarSync } from '../../src/domain/booking/calendar-sync';
import type { Booking } from '../../src/domain/booking/types';
import { startFakeGoogleCalendar, type FakeGoogleCalendar } from '../support/fake-google-calendar';

const booking: Booking = {
  id: '6ee98f51-c386-4711-b6fb-5057b6c9b8ed',
  customerKey: 'c1',
  serviceId: 'haircut',
  providerId: 'alex',
  start: '2030-01-08T15:00:00Z',
  end: '2030-01-08T15:30:00Z',
  status: 'confirmed',
  expiresAt: null,
};

describe('Google Calendar sync (googleapis against a local Calendar v3 server)', () => {
  let google: FakeGoogleCalendar;
  let sync: CalendarSync;
  beforeAll(async () => {
    google = await startFakeGoogleCalendar();
    sync = createGoogleCalendarSync({ calendarId: google.calendarId, rootUrl: google.rootUrl, auth: null, zone: 'America/New_York' });
  });
  afterAll(() => google?.close());
  beforeEach(() => {
    google.events.clear();
    google.requests.length = 0;
  });

  it('creates one event per booking, with a valid client id, even when retried', async () => {
    const first = await sync.createEvent(booking, 'appointment:x:confirm');
    const again = await sync.createEvent(booking, 'appointment:x:confirm');
    expect(first).toEqual(again);
    expect(first.eventId).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(google.events.size).toBe(1);
    const event = google.events.get(eventIdFor(booking.id))!;
    expect(event).toMatchObject({
      summary: 'haircut with alex',
      start: { dateTime: '2030-01-08T15:00:00Z' },
      end: { dateTime: '2030-01-08T15:30:00Z' },
      extendedProperties: { private: { bookingId: booking.id, providerId: 'alex', idempotencyKey: 'appointment:x:confirm' } },
    });
    expect(google.requests).toEqual([
      `POST /calendar/v3/calendars/${encodeURIComponent(google.calendarId)}/events`,
      `POST /calendar/v3/calendars/${encodeURIComponent(google.calendarId)}/events`,
      `GET /calendar/v3/calendars/${encodeURIComponent(google.calendarId)}/events/${eventIdFor(booking.id)}`,
    ]);
  });

  it('deletes idempotently, and restores a deleted event if the booking is confirmed again', async () => {
    await sync.createEvent(booking, 'k');
    await sync.deleteEvent(booking.id);
    await sync.deleteEvent(booking.id); // 410 Gone: fine
    await sync.deleteEvent('never-synced'); // 404: fine
    expect(google.events.get(eventIdFor(booking.id))!.status).toBe('cancelled');
    await sync.createEvent(booking, 'k2');
    expect(google.events.get(eventIdFor(booking.id))!.status).toBe('confirmed');
  });

  it('reads busy time from staff events across pages, skipping our own, free and cancelled ones', async () => {
    const add = (id: string, event: Partial<Parameters<typeof google.events.set>[1]>) =>
      google.events.set(id, { id, status: 'confirmed', start: {}, end: {}, ...event });
    add('staff1', { start: { dateTime: '2030-01-08T14:00:00Z' }, end: { dateTime: '2030-01-08T15:00:00Z' }, extendedProperties: { private: { providerId: 'alex' } } });
    add('closed', { start: { date: '2030-01-09' }, end: { date: '2030-01-10' } });
    add('ours', { start: { dateTime: '2030-01-08T16:00:00Z' }, end: { dateTime: '2030-01-08T16:30:00Z' }, extendedProperties: { private: { bookingId: 'b1', providerId: 'alex' } } });
    add('free', { start: { dateTime: '2030-01-08T17:00:00Z' }, end: { dateTime: '2030-01-08T18:00:00Z' }, transparency: 'transparent' });
    add('gone', { start: { dateTime: '2030-01-08T19:00:00Z' }, end: { dateTime: '2030-01-08T20:00:00Z' }, status: 'cancelled' });
    add('sams', { start: { dateTime: '2030-01-08T12:00:00Z' }, end: { dateTime: '2030-01-08T13:00:00Z' }, extendedProperties: { private: { providerId: 'sam' } } });

    const busy = await sync.listBusy({ start: '2030-01-08T00:00:00Z', end: '2030-01-11T00:00:00Z' }, ['alex', 'jordan']);
    expect(busy).toEqual([
      { providerId: 'alex', start: '2030-01-08T14:00:00Z', end: '2030-01-08T15:00:00Z' },
      // An untagged all-day event closes the whole local day (New York) for everyone asked about.
      { providerId: 'alex', start: '2030-01-09T05:00:00Z', end: '2030-01-10T05:00:00Z' },
      { providerId: 'jordan', start: '2030-01-09T05:00:00Z', end: '2030-01-10T05:00:00Z' },
    ]);
    expect(google.requests.filter((r) => r.startsWith('GET')).length).toBeGreaterThan(1); // it followed nextPageToken
  });

  it('surfaces server errors so the activity is retried', async () => {
    const broken = createGoogleCalendarSync({ calendarId: 'someone-else@example.com', rootUrl: google.rootUrl, auth: null });
    await expect(broken.createEvent(booking, 'k')).rejects.toMatchObject({ status: 404 });
  });
});
