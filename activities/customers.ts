import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { Customer, Ledger } from '../src/adapters/ledger';
import { failForGoodOnKeyReuse, parseActivityInput } from '../src/adapters/ledger/activity-failures';

/**
 * What the assistant remembers about a customer (keyed by the channel's opaque `customerKey`): opt-out (STOP/START),
 * zone, reply language and name. All fast ledger calls. Opt-out is naturally idempotent; an `idempotencyKey` additionally
 * makes a replay return the first answer instead of writing again.
 */

const customerKey = z.string().min(1).max(200);
const idempotencyKey = z.string().min(1).max(500).optional();

const schemas = {
  getCustomer: z.object({ customerKey }),
  setOptOut: z.object({ customerKey, optedOut: z.boolean(), idempotencyKey }),
  setCustomerPreferences: z.object({
    customerKey,
    zone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as "Europe/Madrid"')
      .nullable()
      .optional(),
    locale: z.enum(['en', 'es']).nullable().optional(),
    /** The name the customer gave (the front desk checked it is one); null forgets it. */
    name: z.string().trim().min(1).max(100).nullable().optional(),
    idempotencyKey,
  }),
};

export type GetCustomerInput = z.input<typeof schemas.getCustomer>;
export type SetOptOutInput = z.input<typeof schemas.setOptOut>;
export type SetCustomerPreferencesInput = z.input<typeof schemas.setCustomerPreferences>;

export function createCustomerActivities(deps: { ledger: Ledger }) {
  const { ledger } = deps;
  return {
    /** The customer's record; unknown customers get the defaults (not opted out, zone and locale null). */
    async getCustomer(raw: GetCustomerInput): Promise<Customer> {
      const input = parseActivityInput('getCustomer', schemas.getCustomer, raw);
      return ledger.getCustomer(input.customerKey);
    },
    /** STOP (true) / START (false): reminders and follow-ups check it before every send. */
    async setOptOut(raw: SetOptOutInput): Promise<Customer> {
      const input = parseActivityInput('setOptOut', schemas.setOptOut, raw);
      return ledger.setOptOut(input).catch(failForGoodOnKeyReuse);
    },
    /** Remembers zone, locale and/or name; a field left out is kept, null forgets it. */
    async setCustomerPreferences(raw: SetCustomerPreferencesInput): Promise<Customer> {
      const input = parseActivityInput('setCustomerPreferences', schemas.setCustomerPreferences, raw);
      return ledger.setCustomerPreferences(input).catch(failForGoodOnKeyReuse);
    },
  };
}

export type CustomerActivities = ReturnType<typeof createCustomerActivities>;
