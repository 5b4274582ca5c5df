-- The booking ledger. Times are timestamptz (UTC); display is in the customer's zone.
-- No double booking, enforced by the database: two held-or-confirmed rows of one provider can never overlap.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE bookings (
  id               text        PRIMARY KEY,
  -- Opaque identity from the channel (a keyed hash for phone numbers), never the number itself.
  customer_key     text        NOT NULL CHECK (length(customer_key) BETWEEN 1 AND 200),
  service_id       text        NOT NULL,
  provider_id      text        NOT NULL,
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  -- What the booking blocks: the appointment plus the service's buffer, [starts_at, ends_at + buffer).
  during           tstzrange   NOT NULL,
  status           text        NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'released', 'completed', 'no_show')),
  -- Holds only: after this instant the hold blocks nobody (the hold path releases it when it is in the way).
  expires_at       timestamptz,
  -- The idempotency key of the request that created the row: a retried hold can never insert a second one.
  created_by_key   text        NOT NULL UNIQUE,
  rescheduled_from text        REFERENCES bookings (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bookings_ends_after_start CHECK (ends_at > starts_at),
  CONSTRAINT bookings_during_covers_appointment CHECK (lower(during) = starts_at AND upper(during) >= ends_at),
  CONSTRAINT bookings_hold_expires CHECK (status <> 'held' OR expires_at IS NOT NULL),
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (provider_id WITH =, during WITH &&)
    WHERE (status IN ('held', 'confirmed'))
);

CREATE INDEX bookings_customer_idx ON bookings (customer_key, starts_at);

-- One row per mutating request: a repeat of the key returns the stored result and changes nothing.
CREATE TABLE ledger_requests (
  idempotency_key text        PRIMARY KEY CHECK (length(idempotency_key) BETWEEN 1 AND 500),
  operation       text        NOT NULL,
  -- The request's arguments, so the same key reused for a different request is refused instead of misanswered.
  fingerprint     text        NOT NULL,
  booking_id      text,
  result          jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
