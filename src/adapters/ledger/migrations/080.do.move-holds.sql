-- A move confirmed like a booking: while the customer answers, the new time is held by a row that points at the
-- booking it would replace (rescheduled_from) and claims in `during` only the part of the new time that booking does
-- not already block (none of it, or the part before or after it), so the two never collide while together they keep
-- the whole new time from everyone else. On yes the hold is confirmed with its full range and the old booking
-- cancelled in one transaction (sql-ledger.ts swap). Every other row still covers its appointment.
ALTER TABLE bookings DROP CONSTRAINT bookings_during_covers_appointment;
ALTER TABLE bookings ADD CONSTRAINT bookings_during_covers_appointment CHECK (
  (lower(during) = starts_at AND upper(during) >= ends_at)
  OR (rescheduled_from IS NOT NULL AND status IN ('held', 'released')
      AND (isempty(during) OR (lower(during) >= starts_at AND upper(during) > starts_at)))
);
