import type { Booking } from '../domain/booking/types';
import type { ForgottenCustomer, Ledger } from './ledger/ledger';
import { forgetOutboxMessages } from './outbox/forget';

/**
 * A customer's records in the worker's database, for forgetting them: the ledger (record, memories, notices,
 * waitlist, idempotency records; bookings kept anonymised) and the outbox (every message to or about them).
 */
export interface CustomerRecords {
  /** Ids of the customer's bookings (their appointment workflows are erased before the ledger forgets them). */
  bookingIds(customerKey: string): Promise<string[]>;
  forget(request: { customerKey: string; conversationIds: readonly string[]; addresses: readonly string[] }): Promise<{
    ledger: ForgottenCustomer;
    outboxMessages: number;
    /** The bookings as they remain: times, service, provider and status under the anonymous key. */
    keptBookings: Booking[];
  }>;
}

export function createCustomerRecords(ledger: Pick<Ledger, 'sql' | 'listCustomerBookings' | 'forgetCustomer'>): CustomerRecords {
  return {
    async bookingIds(customerKey) {
      return (await ledger.listCustomerBookings(customerKey)).map((b) => b.id);
    },
    async forget({ customerKey, conversationIds, addresses }) {
      const forgotten = await ledger.forgetCustomer(customerKey);
      const outboxMessages = await forgetOutboxMessages(ledger.sql, { scopes: [...conversationIds, ...forgotten.bookingIds], addresses });
      const keptBookings = forgotten.anonymousKey ? await ledger.listCustomerBookings(forgotten.anonymousKey) : [];
      return { ledger: forgotten, outboxMessages, keptBookings };
    },
  };
}
