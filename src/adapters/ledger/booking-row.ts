import { toInstant } from '../../domain/booking/time';
import type { Booking, BookingStatus } from '../../domain/booking/types';

/** A `bookings` row as both drivers return it (timestamps as Date or ISO text). */
export interface BookingRow {
  id: string;
  customer_key: string;
  service_id: string;
  provider_id: string;
  starts_at: Date | string;
  ends_at: Date | string;
  status: BookingStatus;
  expires_at: Date | string | null;
}

export const BOOKING_COLUMNS = 'id, customer_key, service_id, provider_id, starts_at, ends_at, status, expires_at';

/** The one mapping of a row to the domain's Booking, used by the ledger and the staff calendar. */
export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    customerKey: row.customer_key,
    serviceId: row.service_id,
    providerId: row.provider_id,
    start: toInstant(new Date(row.starts_at)),
    end: toInstant(new Date(row.ends_at)),
    status: row.status,
    expiresAt: row.expires_at === null ? null : toInstant(new Date(row.expires_at)),
  };
}
