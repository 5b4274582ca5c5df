import type { DeskTopic } from '../booking/front-desk';
import { plain } from './intents';

/**
 * The questions a front desk answers from the business file, and "I'm running late", by rules over English and
 * Spanish wording. Pure. Checked by the offline interpreter before the booking intents, so "how much is a colour?"
 * is answered with the price instead of being turned away as billing.
 */

const TOPICS: [DeskTopic, RegExp][] = [
  ['walk_ins', /\b(?:walk-?ins?|walk in|drop-?ins?|without (?:an? )?(?:appointment|booking|reservation)|no appointment needed|need (?:an? )?(?:appointment|booking) to come|just (?:come|turn up|show up|pop) in|sin cita(?: previa)?|sin reserva|hace falta (?:cita|reservar)|necesito cita para ir)\b/],
  ['directions', /\b(?:directions?|how (?:do|can) i (?:get|find) (?:to )?(?:you|there|the (?:salon|studio|shop|place))|how to get (?:to you|there)|parking|park(?: my car)?\b|nearest (?:subway|metro|station|bus)|which (?:train|subway|bus)|como (?:llego|se llega|llegar)|indicaciones|aparcamiento|aparcar|estacionamiento|parking)\b/],
  ['address', /\b(?:(?:your|the|what'?s the|what is the) address|address\?|where (?:are|is) (?:you|your (?:salon|studio|shop|place|business)|the (?:salon|studio|shop))(?: located)?|where (?:are )?you located|location|located|direccion|donde (?:estan|esta(?:is)?|quedan|queda (?:el|la) (?:salon|estudio|local|peluqueria))|ubicacion|donde os encuentro)\b/],
  ['hours', /\b(?:opening (?:hours|times)|business hours|your hours|hours (?:are you|do you|of)|what are (?:your|the) hours|(?:what time|when) do you (?:open|close)|(?:what time|when) are you (?:open|closed)|are you open\b(?! (?:for|to book))|(?:open|closed) (?:on |this |next )?(?:sundays?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|today|tomorrow|weekends?|holidays?)|horario|a que hora (?:abr\w+|cerr\w+)|(?:abren|abris|estan abiertos|esta abierto|cierran) (?:el |los |hoy|manana|este)|cuando abren|que horario)\b/],
  ['prices', /\b(?:how much|price|prices|pricing|price list|cost|costs|charge for|rates?|fees?|cuanto (?:cuesta|vale|cobran|sale|es)|precios?|tarifas?)\b/],
  ['durations', /\b(?:how long (?:does|do|is|will|would|for)|how many minutes|how much time (?:does|do|is)|duration|length of|cuanto (?:dura|tarda|tiempo)|duracion)\b/],
];

/** Money and billing disputes stay with staff even though they say "charge" or "cost". */
const BILLING = /\b(?:refund|overcharg\w*|charged me|invoice|receipt|reembolso|factura|me cobraron|cobro de mas)\b/;

/** The front-desk topic a message asks about, or null. */
export function deskTopic(text: string): DeskTopic | null {
  const t = plain(text);
  if (BILLING.test(t)) return null;
  for (const [topic, re] of TOPICS) if (re.test(t)) return topic;
  return null;
}

const LATE = /\b(?:running (?:a (?:bit|little) |about |around |maybe )?(?:\d+ (?:min(?:ute)?s?|mins?) )?late|(?:i'?ll|i will|i'?m going to|gonna|going to|might|may) be (?:a (?:bit|little|few minutes) |about |around |maybe )?(?:\d+ (?:min(?:ute)?s?|mins?) )?late|i'?m (?:a (?:bit|little) |about |around )?(?:\d+ (?:min(?:ute)?s?|mins?) )?late|stuck in traffic|(?:llego|llegare|voy|vamos|llegamos) (?:un (?:poco|rato) )?(?:unos )?(?:\d+ (?:minutos|min) )?(?:tarde|con retraso)|me retraso|voy con retraso|llegare con retraso)\b/;

/** "I'm running 10 minutes late", "llego 15 minutos tarde": whether the customer is late, and by how much if said. */
export function runningLate(text: string): { minutes?: number } | null {
  const t = plain(text);
  if (!LATE.test(t)) return null;
  const m = /\b(\d{1,3})\s*(?:min(?:ute)?s?|minutos)\b/.exec(t) ?? /\b(?:half an hour|media hora)\b/.exec(t);
  if (!m) return {};
  const minutes = m[1] ? Number(m[1]) : 30;
  return minutes > 0 && minutes <= 240 ? { minutes } : {};
}

/**
 * Whether a model's own text states a front-desk fact — a price or a street address — which only the business file
 * (through the templates) may state. The workflow drops such text as it drops a claimed booking.
 */
export function statesDeskFact(text: string): boolean {
  const t = plain(text);
  return /[$€£]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:dollars?|euros?|usd|eur|bucks|pounds?)\b/.test(t) || /\b\d{1,5}\s+\w+(?:\s\w+)?\s(?:street|st|avenue|ave|road|rd|boulevard|blvd|calle|avenida)\b/.test(t);
}
