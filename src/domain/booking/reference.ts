/**
 * The booking reference a customer reads, says on the phone or types: the first eight letters and digits of the
 * booking's id (a UUID in the ledger), upper-cased. It names a booking in a conversation with staff and on the chat
 * page; it is not a credential (the signed "manage my booking" link is), so a short, readable form is enough.
 * The web chat page computes the same reference in the browser (src/gateway/chat/page.ts, `reference`).
 */
export const REFERENCE_LENGTH = 8;

export function bookingReference(bookingId: string): string {
  return bookingId.replace(/[^0-9A-Za-z]/g, '').slice(0, REFERENCE_LENGTH).toUpperCase();
}
