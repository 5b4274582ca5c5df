import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block } from 'timezones-ical-library';

/**
 * The calendar invitation of a booking (RFC 5545 / iTIP): one UID for the booking's whole life (the first booking of
 * its chain of moves), SEQUENCE rising with every change, METHOD:CANCEL when it is cancelled, and the business's time
 * zone as a VTIMEZONE so DTSTART reads in local time everywhere.
 */
export interface InvitationInput {
  method: 'REQUEST' | 'CANCEL';
  /** Stable across moves: `<root booking id>@<domain>`. */
  uid: string;
  sequence: number;
  start: string;
  end: string;
  /** IANA zone of the business. */
  timezone: string;
  summary: string;
  description: string;
  organizer: { name: string; email: string };
  attendee?: string;
  /** DTSTAMP: when this revision was made. */
  stamp: string;
}

export function buildInvitation(input: InvitationInput): string {
  const calendar = ical({ name: input.organizer.name, prodId: { company: 'booking-orchestrator', product: 'bookings', language: 'EN' } });
  calendar.method(input.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
  calendar.timezone({ name: input.timezone, generator: vtimezone });
  const event = calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    // luxon DateTimes in the business zone: DTSTART/DTEND carry TZID and local wall-clock time.
    start: DateTime.fromISO(input.start, { zone: input.timezone }),
    end: DateTime.fromISO(input.end, { zone: input.timezone }),
    timezone: input.timezone,
    stamp: DateTime.fromISO(input.stamp, { zone: 'utc' }),
    summary: input.summary,
    description: input.description,
    organizer: input.organizer,
    status: input.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  if (input.attendee) event.createAttendee({ email: input.attendee, rsvp: false });
  // RFC 5545 wants DTSTAMP in UTC; with a calendar time zone ical-generator writes it as local time without a TZID.
  const stamp = DateTime.fromISO(input.stamp, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
  return calendar.toString().replace(/^DTSTAMP:.*$/m, `DTSTAMP:${stamp}`);
}

/** The VTIMEZONE block of an IANA zone (timezones-ical-library), as ical-generator's generator wants it. */
function vtimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  return Array.isArray(block) ? (block[0] ?? null) : null;
}
