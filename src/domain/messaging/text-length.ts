/**
 * One length rule for every text a person writes or is sent: characters counted as Unicode code points, the way
 * zod's `.max()` and people count them ("😀" is one), never as UTF-16 units (where it is two). The edge (zod in the
 * gateway) and the workflow's own validators both call this, so a text one accepts the other never refuses.
 */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The longest customer message we take (web chat, voice speech). */
export const MAX_CUSTOMER_TEXT = 2000;
/** Twilio's limit for one SMS or WhatsApp body. */
export const MAX_PHONE_BODY = 1600;
