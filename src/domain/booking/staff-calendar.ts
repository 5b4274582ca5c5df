import type { Booking } from './types';

/**
 * The staff desk's calendar, as the booking domain sees it: blocked time per provider, days the whole business is
 * closed, the record of what staff did, and the schedule a day grid shows. Types only; the ledger implements them
 * (src/adapters/ledger/staff-calendar.ts) and the staff desk's routes ask for them.
 */

export type BlockKind = 'block' | 'time_off' | 'closure';

export interface ProviderBlock {
  id: string;
  /** null: the whole business is closed (kind `closure`). */
  providerId: string | null;
  kind: BlockKind;
  start: string;
  end: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export interface AddBlockRequest {
  /** null with kind `closure`: every provider. */
  providerId: string | null;
  kind: BlockKind;
  start: string;
  end: string;
  reason?: string;
  operator: string;
}

/** A block is refused while a held or confirmed booking is in the way: staff move or cancel those first. */
export type BlockOutcome = { ok: true; block: ProviderBlock } | { ok: false; conflicts: Booking[] };

export interface StaffAction {
  id: number;
  at: string;
  operator: string;
  /** e.g. `cancel`, `move`, `block`, `unblock`, `close`, `take_over`, `reply`, `hand_back`. */
  action: string;
  bookingId: string | null;
  subject: string | null;
  details: Record<string, unknown>;
}

export interface StaffActionRequest {
  operator: string;
  action: string;
  bookingId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** A booking as the day grid shows it: with the customer's name when the ledger has one. */
export interface ScheduleEntry extends Booking {
  customerName: string | null;
  rescheduledFrom: string | null;
}

export interface StaffCalendar {
  /** Blocks time (a provider's hour, their time off, or with providerId null a closed day), unless bookings are in the way. */
  addBlock(request: AddBlockRequest): Promise<BlockOutcome>;
  /** Lifts a block; the row stays for the record. null when there is no such (active) block. */
  removeBlock(request: { blockId: string; operator: string }): Promise<ProviderBlock | null>;
  /** Active blocks overlapping [start, end): the providers' own and the business-wide closures. */
  listBlocks(range: { start: string; end: string }, providerIds?: readonly string[]): Promise<ProviderBlock[]>;
  /** Held (unexpired), confirmed, completed, no-show and cancelled bookings starting in [start, end), by start. */
  listSchedule(range: { start: string; end: string }): Promise<ScheduleEntry[]>;
  recordStaffAction(request: StaffActionRequest): Promise<StaffAction>;
  /** Staff actions on these bookings (oldest first), or the latest `limit` of all when no ids are given. */
  listStaffActions(options: { bookingIds?: readonly string[]; limit?: number }): Promise<StaffAction[]>;
}

