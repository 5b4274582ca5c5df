-- Issue 17: the waitlist, the customer's email address, and email as an outbox channel.

-- A customer waiting for a full day or window. Offers go out in order of joining (`position`); an entry ends when
-- its range passes (ends_at) or the customer books. Personal data lives in customers/outbox, not here: the address
-- column holds what the channel needs to reach them (E.164 for phones, null for web chat), like the workflows' input.
CREATE TABLE IF NOT EXISTS waitlist_entries (
  id               text        PRIMARY KEY,
  position         integer     GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_key     text        NOT NULL CHECK (length(customer_key) BETWEEN 1 AND 200),
  channel          text        NOT NULL,
  conversation_key text,
  address          text,
  zone             text        NOT NULL,
  locale           text        NOT NULL,
  service_id       text        NOT NULL,
  -- NULL: any provider who offers the service.
  provider_id      text,
  -- Local dates (in `zone`) and an optional local time window, inclusive bounds of a slot's start.
  date_from        date        NOT NULL,
  date_to          date        NOT NULL,
  window_start     text,
  window_end       text,
  -- When the range has passed: the end of date_to in `zone`.
  ends_at          timestamptz NOT NULL,
  status           text        NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'booked', 'expired', 'left')),
  booking_id       text,
  created_by_key   text        NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waitlist_range CHECK (date_to >= date_from),
  CONSTRAINT waitlist_window CHECK ((window_start IS NULL) = (window_end IS NULL))
);
CREATE INDEX IF NOT EXISTS waitlist_waiting_idx ON waitlist_entries (service_id, position) WHERE status = 'waiting';
CREATE INDEX IF NOT EXISTS waitlist_customer_idx ON waitlist_entries (customer_key);

-- Where confirmations, reminders and calendar invitations go by email (web chat asks for it). Personal data:
-- forgetting a customer clears it with the rest of their record.
ALTER TABLE customers ADD COLUMN IF NOT EXISTS email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

-- Emails go through the same idempotent outbox as every other message.
ALTER TABLE outbox_messages DROP CONSTRAINT IF EXISTS outbox_messages_channel_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('sms', 'whatsapp', 'voice', 'chat', 'email'));

-- A moved booking is a new row pointing at the old one: the calendar invitation keeps one UID along that chain.
CREATE INDEX IF NOT EXISTS bookings_rescheduled_from_idx ON bookings (rescheduled_from) WHERE rescheduled_from IS NOT NULL;
