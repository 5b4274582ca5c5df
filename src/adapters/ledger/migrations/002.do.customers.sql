-- What the assistant remembers about a customer, keyed by the same opaque key as their bookings.
CREATE TABLE customers (
  customer_key text        PRIMARY KEY CHECK (length(customer_key) BETWEEN 1 AND 200),
  -- STOP: no reminders or follow-ups; START clears it.
  opted_out    boolean     NOT NULL DEFAULT false,
  opted_out_at timestamptz,
  -- IANA zone and reply language, when known.
  zone         text,
  locale       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
