import type { ClosureCalendar } from '../../domain/booking/closures';
import type { StaffCalendar } from '../../domain/booking/staff-calendar';
import type { Booking } from '../../domain/booking/types';
import type { ConversationState, MoveRequest, MoveResult, TranscriptEntry } from '../../../workflows/messages';

/**
 * What the staff desk asks of the rest of the system, declared here (the gateway imports no adapter): the ledger's
 * staff calendar (src/adapters/ledger/staff-calendar.ts), the business file's closed days (src/adapters/closures.ts)
 * and Temporal (src/adapters/temporal/staff-desk.ts). The composition root hands them over.
 */
export interface StaffLedgerPort extends Pick<StaffCalendar, 'listSchedule' | 'listBlocks' | 'addBlock' | 'removeBlock' | 'listStaffActions' | 'recordStaffAction'> {
  getBooking(bookingId: string): Promise<Booking | null>;
  getCustomer(customerKey: string): Promise<{ name: string | null }>;
}

export type ClosedDaysPort = ClosureCalendar;

export interface QueuedConversation {
  workflowId: string;
  channel: string;
  since: string;
}

export interface StaffTemporalPort {
  /** Running conversations flagged NeedsHuman, from visibility. */
  needsHuman(limit: number): Promise<QueuedConversation[]>;
  view(workflowId: string): Promise<{ transcript: TranscriptEntry[]; state: ConversationState } | null>;
  /** False when there is no such running workflow. */
  takeOver(workflowId: string, operator: string): Promise<boolean>;
  reply(workflowId: string, text: string, operator: string): Promise<boolean>;
  handBack(workflowId: string): Promise<boolean>;
  cancelAsBusiness(bookingId: string, operator: string): Promise<boolean>;
  /** The ledger's answer, or null when no appointment workflow follows the booking any more. */
  moveAsBusiness(bookingId: string, request: MoveRequest): Promise<MoveResult | null>;
}
