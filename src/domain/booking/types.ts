/** Booking facts as the ledger holds them. Instants are ISO-8601 strings so they cross activity boundaries as-is. */

export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'released' | 'completed' | 'no_show';

export interface Booking {
  id: string;
  customerKey: string;
  serviceId: string;
  providerId: string;
  start: string;
  end: string;
  status: BookingStatus;
  /** Set for holds: after this instant the hold blocks nobody. */
  expiresAt: string | null;
}

export interface Slot {
  serviceId: string;
  providerId: string;
  start: string;
  end: string;
}

/** Why the engine said no; each has a template that explains it to the customer. */
export type Rejection =
  | { code: 'slot_taken' }
  | { code: 'outside_hours' }
  | { code: 'too_soon'; minNoticeMinutes: number }
  | { code: 'too_far'; maxDaysAhead: number }
  | { code: 'in_the_past' }
  | { code: 'unknown_service'; service: string }
  | { code: 'unknown_provider'; provider: string }
  | { code: 'provider_does_not_offer'; service: string; provider: string }
  | { code: 'not_found' }
  | { code: 'not_yours' }
  | { code: 'hold_expired' }
  | { code: 'not_confirmable'; status: BookingStatus }
  | { code: 'inside_cancellation_window'; cancellationNoticeHours: number }
  | { code: 'too_many_active_bookings'; max: number };

export type Outcome<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };
