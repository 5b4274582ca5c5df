import type { Business } from './business';

/**
 * The turn budget's one rule for when to say "still working": early enough that the words reach the customer within
 * the business's `firstWordsSeconds`, with room for the saying itself (a workflow task and a send, or the gateway's
 * 202 travelling to the page) on a busy machine. The workflow's acknowledgement and the chat gateway's wait both use it.
 */
const DELIVERY_MARGIN_MS = 2_000;

export function acknowledgeAfterMs(business: Pick<Business, 'policies'>): number {
  return Math.max(1_000, business.policies.turnBudget.firstWordsSeconds * 1000 - DELIVERY_MARGIN_MS);
}
