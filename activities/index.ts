import type { Logger } from 'pino';
import type { Ledger } from '../src/adapters/ledger/ledger';
import type { MessageSender } from '../src/adapters/outbox/message-sender';
import type { OutboxStore } from '../src/adapters/outbox/outbox-store';
import type { Business } from '../src/domain/booking/business';
import type { LanguageModel } from '../src/domain/model';
import type { CalendarSync } from '../src/domain/booking/calendar-sync';
import { createBusinessActivities } from './business';
import { createBookingActivities } from './bookings';
import { createConversationActivities } from './conversations';
import { createCustomerActivities } from './customers';
import { createLlmActivities } from './llm';
import { createMessagingActivities } from './messaging';
import { createEmailActivities } from './email';
import { createWaitlistActivities } from './waitlist';
import { createDetachedWorkflowActivities } from './detached-workflows';
import type { EmailSender } from '../src/adapters/email/email-sender';
import { createLocalEmailSender } from '../src/adapters/email/local-email-sender';
import { createContactStore } from '../src/adapters/ledger/sql-contacts';
import { createWaitlistStore } from '../src/adapters/ledger/sql-waitlist';
import pino from 'pino';

export interface ActivityDeps {
  ledger: Ledger;
  outbox: OutboxStore;
  sender: MessageSender;
  model: LanguageModel;
  /** True for the offline interpreter: it runs in-process, so workflows call it as a local activity. */
  localModel?: boolean;
  business: Business;
  logger?: Logger;
  /** The staff's Google Calendar, when GOOGLE_CALENDAR_ID is set. */
  calendarSync?: CalendarSync;
  /** The clock of the booking rules (notice, past dates); default the system clock. Give it the ledger's. */
  clock?: () => Date;
  /** SMTP (SMTP_URL) or, by default, the local outbox. */
  email?: EmailSender;
  /** The From of emails and the ORGANIZER of invitations (MAIL_FROM). */
  mailFrom?: string;
}

/** MAIL_FROM when none is configured: the local outbox never sends, so any well-formed address will do. */
export const DEFAULT_MAIL_FROM = 'Bookings <bookings@localhost>';

/** Every activity the worker registers, built from injected dependencies (one factory per port). */
export function createActivities(deps: ActivityDeps) {
  const contacts = createContactStore(deps.ledger.sql, deps.clock);
  const waitlist = createWaitlistStore(deps.ledger.sql, deps.clock);
  return {
    ...createWaitlistActivities({ ledger: deps.ledger, waitlist, contacts, business: deps.business, now: deps.clock }),
    ...createEmailActivities({
      ledger: deps.ledger,
      outbox: deps.outbox,
      contacts,
      sender: deps.email ?? createLocalEmailSender(deps.logger ?? pino({ level: 'silent' })),
      business: deps.business,
      from: deps.mailFrom ?? DEFAULT_MAIL_FROM,
      logger: deps.logger,
      now: deps.clock,
    }),
    ...createBusinessActivities({ business: deps.business }),
    ...createDetachedWorkflowActivities(),
    ...createConversationActivities({ ledger: deps.ledger, business: deps.business, localModel: deps.localModel ?? false }),
    ...createLlmActivities(deps),
    ...createBookingActivities({ ledger: deps.ledger, business: deps.business, calendarSync: deps.calendarSync, now: deps.clock }),
    ...createCustomerActivities({ ledger: deps.ledger }),
    ...createMessagingActivities({
      outbox: deps.outbox,
      sender: deps.sender,
      logger: deps.logger,
      isOptedOut: async ({ customerKey }) => (await deps.ledger.getCustomer(customerKey)).optedOut,
      onOptedOut: async ({ customerKey }) => void (await deps.ledger.setOptOut({ customerKey, optedOut: true })),
    }),
  };
}

/** The activity interface workflows proxy (types only cross into the workflow bundle). */
export type Activities = ReturnType<typeof createActivities>;
