/**
 * Days the whole business is closed according to its file (public holidays of its country and region, listed dates),
 * each a whole business-local day. Types only: src/adapters/closures.ts computes them with the date-holidays package.
 */
export interface ClosedDay {
  /** YYYY-MM-DD, business-local. */
  date: string;
  reason: string;
  /** ISO-8601 instants of the local day's start and the next day's start. */
  start: string;
  end: string;
}

export interface ClosureCalendar {
  /** Closed days overlapping [start, end), by date. */
  closedDays(range: { start: string; end: string }): ClosedDay[];
}

