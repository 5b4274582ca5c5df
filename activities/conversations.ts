import { z } from 'zod';
import type { Ledger } from '../src/adapters/ledger';
import { parseActivityInput } from '../src/adapters/ledger/activity-failures';
import type { Business } from '../src/domain/booking/business';
import { toBookingView } from '../src/domain/booking/views';
import type { ConversationNotice, ConversationSnapshot } from '../src/domain/conversation/conversation';
import type { BookingView } from '../src/domain/tools';
import { LISTED_STATUSES } from './bookings';

/**
 * What a conversation carries between its runs. A conversation is the customer on a channel, not one workflow run:
 * when a run idles out it leaves its snapshot in the ledger, and the next run on the same workflow id starts from it.
 */

const workflowId = z.string().min(1).max(200);
const customerKey = z.string().min(1).max(200);
const schemas = {
  conversationSetup: z.object({ workflowId, customerKey, resume: z.boolean() }),
  rememberConversation: z.object({ workflowId, customerKey, snapshot: z.record(z.string(), z.unknown()) }),
  refreshConversation: z.object({ workflowId, customerKey, afterNoticeId: z.number().int().min(0) }),
  noteForConversation: z.object({
    workflowId,
    customerKey,
    noticeKey: z.string().min(1).max(300),
    text: z.string().min(1),
    at: z.string().min(1),
    offered: z.array(z.object({ service: z.string(), provider: z.string(), start: z.string(), end: z.string() })).optional(),
    /** A waitlist offer held for the customer (issue 17); `offerEnded` forgets one by its hold id. */
    waitlistOffer: z
      .object({
        hold: z.object({ bookingId: z.string(), service: z.string(), provider: z.string(), start: z.string(), end: z.string(), expiresAt: z.string() }),
        workflowId: z.string().min(1),
      })
      .optional(),
    offerEnded: z.string().min(1).optional(),
  }),
};

export type ConversationSetupInput = z.input<typeof schemas.conversationSetup>;
export type RefreshConversationInput = z.input<typeof schemas.refreshConversation>;
export type NoteForConversationInput = z.input<typeof schemas.noteForConversation>;

export interface ConversationSetup {
  business: Business;
  /** The model runs in this process (the offline interpreter): the workflow calls it as a local activity. */
  localModel: boolean;
  /** The customer's bookings as the ledger has them now. */
  bookings: BookingView[];
  /** What the previous run remembered (only when `resume` was asked, i.e. not a continue-as-new), or null. */
  memory: ConversationSnapshot | null;
}

export function createConversationActivities(deps: { ledger: Ledger; business: Business; localModel: boolean }) {
  const { ledger } = deps;
  return {
    /**
     * Everything a conversation run needs before its first turn, in one local activity: the business, where the model
     * runs, the customer's bookings and, for a fresh run, what the last run remembered.
     */
    async conversationSetup(raw: ConversationSetupInput): Promise<ConversationSetup> {
      const input = parseActivityInput('conversationSetup', schemas.conversationSetup, raw);
      const [bookings, memory] = await Promise.all([
        ledger.listCustomerBookings(input.customerKey, { statuses: LISTED_STATUSES }),
        input.resume ? ledger.loadConversationMemory(input.workflowId) : Promise.resolve(null),
      ]);
      return { business: deps.business, localModel: deps.localModel, bookings: bookings.map(toBookingView), memory };
    },

    /**
     * What changed outside the conversation since its last turn: the customer's bookings as the ledger has them (staff,
     * the appointment workflow or another channel may have changed one) and the notices sent meanwhile.
     */
    async refreshConversation(
      raw: RefreshConversationInput,
    ): Promise<{ bookings: BookingView[]; notices: ConversationNotice[]; customerName?: string | null }> {
      const input = parseActivityInput('refreshConversation', schemas.refreshConversation, raw);
      const [bookings, notices, customer] = await Promise.all([
        ledger.listCustomerBookings(input.customerKey, { statuses: LISTED_STATUSES }),
        ledger.listConversationNotices(input.workflowId, input.afterNoticeId),
        // The name, when the business collects names: read here, with the rest, rather than by one more activity.
        deps.business.policies.askName ? ledger.getCustomer(input.customerKey) : Promise.resolve(null),
      ]);
      return { bookings: bookings.map(toBookingView), notices, ...(customer ? { customerName: customer.name ?? null } : {}) };
    },

    /**
     * From the appointment workflow: what it sent the customer, for the conversation `workflowId` to take in at its
     * next turn (a fresh run included). Idempotent by `noticeKey`.
     */
    async noteForConversation(raw: NoteForConversationInput): Promise<void> {
      const input = parseActivityInput('noteForConversation', schemas.noteForConversation, raw);
      const { workflowId, customerKey, noticeKey, text, at, offered, waitlistOffer, offerEnded } = input;
      const extra = { ...(offered ? { offered } : {}), ...(waitlistOffer ? { waitlistOffer } : {}), ...(offerEnded ? { offerEnded } : {}) };
      await ledger.addConversationNotice({ workflowId, customerKey, noticeKey, notice: { text, at, ...extra } });
    },

    /** Keeps the run's snapshot for the customer's next run. Idempotent: the newest snapshot wins. */
    async rememberConversation(raw: { workflowId: string; customerKey: string; snapshot: ConversationSnapshot }): Promise<void> {
      const input = parseActivityInput('rememberConversation', schemas.rememberConversation, raw);
      await ledger.saveConversationMemory({ workflowId: input.workflowId, customerKey: input.customerKey, snapshot: raw.snapshot });
    },
  };
}
