import { plain } from './intents';
import type { Locale } from './locale';

/**
 * Whether free text from a model states a booking fact — that something was booked, confirmed, held, moved or
 * cancelled. The conversation workflow drops such text: facts reach the customer only through templates over the
 * ledger's answer. Offers and questions ("Shall I book it?", "I can cancel it for you") are not claims.
 */

const OFFER_OR_QUESTION = /\b(?:would you like|do you want|shall i|should i|want me to|can i|could i|may i|i can|i could|let me know|if you(?:'d| would)? like|once you confirm|after you confirm|to confirm|reply yes|quieres|te gustaria|puedo|podria|si quieres|confirmas|responde si)\b/;

const CLAIM_EN = [
  /\b(?:you(?:'re| are)|you(?:'ve| have) been|it(?:'s| is| has been)|that(?:'s| is| has been)|i(?:'ve| have)|we(?:'ve| have)|all|now|successfully|appointment|booking|reservation|slot)\b.{0,40}\b(?:booked|confirmed|reserved|scheduled|cancell?ed|rescheduled|moved|held|on hold|set up|locked in|all set)\b/,
  /\b(?:i'm|i am|we're|we are) (?:holding|reserving|booking|cancell?ing|moving)\b/,
  /\b(?:booked|confirmed|cancell?ed|rescheduled)(?:\s*[:!]|\s+for\b)/,
  /^(?:done|all set|you're all set|booked|confirmed|cancell?ed)\b/,
];

const CLAIM_ES = [
  /\b(?:esta|ha sido|han sido|queda|quedo|he|hemos|ya|tu cita|la cita|tu reserva|la reserva)\b.{0,40}\b(?:reservad[oa]s?|confirmad[oa]s?|cancelad[oa]s?|anulad[oa]s?|reprogramad[oa]s?|movid[oa]s?|agendad[oa]s?|guardad[oa]s?|reservado|confirmado|cancelado|reservo|confirmo|cancelo|movido|guardado)\b/,
  /\b(?:te (?:he )?(?:reservado|guardado|confirmado|cancelado|apuntado)|te guardo|te reservo)\b/,
  /^(?:hecho|listo|confirmad[oa]|reservad[oa]|cancelad[oa])\b/,
];

/** True when `text` asserts that a booking was made, confirmed, held, moved or cancelled (EN and ES). */
export function claimsBookingFact(text: string, locale?: Locale): boolean {
  const sentences = plain(text)
    .split(/(?<=[.!?¡¿\n])\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  const patterns = locale === 'es' ? [...CLAIM_ES, ...CLAIM_EN] : [...CLAIM_EN, ...CLAIM_ES];
  return sentences.some((s) => {
    if (s.endsWith('?') || OFFER_OR_QUESTION.test(s)) return false;
    if (/\b(?:not|n't|no|nothing|isn'?t|wasn'?t|hasn'?t|haven'?t|couldn'?t|can'?t|unable|nada|ningun[oa]?)\b/.test(s) && !/\bno problem\b/.test(s)) return false;
    return patterns.some((re) => re.test(s));
  });
}
