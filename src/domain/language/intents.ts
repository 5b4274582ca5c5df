import { classifyKeyword } from '../messaging/opt-out';
import { stripAccents } from './normalize';

/**
 * What a customer message asks for, by rules over English and Spanish wording. Safety first: opt-out keywords,
 * then anything that is not ours to act on (prompt injection, billing, complaints, chit-chat requests), which can
 * never become a booking or a cancellation, then a human, then the booking intents.
 */

export type Intent =
  | 'book'
  | 'reschedule'
  | 'cancel'
  | 'list'
  | 'availability'
  | 'confirm'
  | 'decline'
  | 'human'
  | 'out_of_scope'
  | 'greeting'
  | 'opt_out'
  | 'other';

export const INTENTS: readonly Intent[] = ['book', 'reschedule', 'cancel', 'list', 'availability', 'confirm', 'decline', 'human', 'out_of_scope', 'greeting', 'opt_out', 'other'];

/** Lower case, no accents, apostrophes unified, spaces collapsed: the form every pattern below is written for. */
export function plain(text: string): string {
  return stripAccents(text.toLowerCase()).replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();
}

/** Attempts to take over the assistant. Checked before anything else can act on the message. */
const INJECTION = /\b(?:ignore|disregard|forget|override|bypass)\b.{0,40}\b(?:instructions?|rules?|prompts?|previous|above|guidelines|system)\b|\bsystem prompt\b|\byou are now\b|\bjailbreak\b|\bdeveloper mode\b|\bdan mode\b|\bact as (?:an?|my)\b|\bpretend (?:to be|you)\b|\bnew instructions\b|\b(?:reveal|print|show|repeat) (?:your|the) (?:prompt|instructions|rules)\b|\bas an ai\b|<\/?(?:system|assistant|tool)>|\bsudo\b|\badmin(?:istrator)? (?:mode|access|override)\b|\bignora (?:las|tus|todas)\b.{0,30}\binstrucciones\b/;

/** Subjects the assistant does not handle (it books; staff handle the rest). */
const OUT_OF_SCOPE = [
  /\b(?:refund|invoice|bill(?:ing|ed)?|charged?|charges|payment|pay(?:ing)?|receipt|credit card|debit card|overcharged?|price|prices|pricing|how much|cost(?:s)?|fee|fees|tip|tipping|discount|coupon|gift card|voucher|insurance)\b/,
  /\b(?:complain|complaint|complaining|terrible|awful|horrible|worst|rude|unacceptable|disappointed|disgusted|sue|lawyer|ruined|botched)\b/,
  /\b(?:weather|forecast|temperature|rain(?:ing|y)?|snow(?:ing|y)?|sunny|umbrella|storms?|news|stock|bitcoin|crypto|football|soccer|election|president|recipe)\b/,
  /\b(?:poem|poetry|song|lyrics|story|joke|essay|haiku|limerick|code|program|script|translate|homework|math)\b/,
  /\b(?:parking|directions|your address|where are you|wifi|password|job|jobs|hiring|career|vacanc(?:y|ies))\b/,
  /\b(?:reembolso|factura|cobro|cobraron|precio|cuanto cuesta|cuanto vale|queja|reclamacion|pesimo|horrible|tiempo que hace|clima|poema|chiste|cancion)\b/,
];

const HUMAN = /\b(?:human|humans|agent|representative|operator|receptionist|manager|real person|live person|actual person|staff member|member of staff|(?:talk|speak|chat) (?:to|with) (?:a |an |the |your |some )?(?:person|someone|somebody|staff|owner|people|one of you)|transfer me|put me through|connect me|call me|phone me|ring me)\b|\b(?:hablar con (?:una persona|alguien|un humano|un agente|el encargado|la encargada|recepcion)|persona real|un humano|agente)\b/;

const CANCEL = /\b(?:cancel|cancell?ing|cancell?ation|call(?:ing)? off|can(?:no|')t make it|won't make it|will not make it|unable to make it|not going to make it|drop my|remove my (?:appointment|booking)|delete my (?:appointment|booking))\b|\b(?:cancelar|cancela|cancelo|anular|anula|no puedo ir|no podre ir)\b/;

const RESCHEDULE = /\b(?:re-?schedul\w*|re-?book\w*|postpone|push (?:it|my \w+|back)|bring (?:it |my \w+ )?forward|move (?:my|the|it|our)|moving my|change (?:my|the) (?:appointment|booking|reservation)|switch (?:my|the) (?:appointment|booking))\b|\b(?:reprogramar|cambiar (?:mi|la) (?:cita|reserva|hora)|mover (?:mi|la) (?:cita|reserva)|aplazar|posponer|cambiar de hora|cambiar el dia)\b/;

const LIST = /\b(?:my (?:appointments|bookings|reservations)|(?:what|which) (?:appointments|bookings|reservations) do i have|when(?:'s| is| are) my (?:appointment|booking|reservation|next)|do i have (?:an|any) (?:appointment|booking|reservation)s?|(?:show|list|see|check) (?:me )?my (?:appointments?|bookings?|reservations?|schedule)|upcoming (?:appointments|bookings)|am i booked|what did i book|my next (?:appointment|booking))\b|\b(?:mis citas|mis reservas|tengo (?:alguna |una )?(?:cita|reserva)|cuando es mi cita|ver mi cita)\b/;

const AVAILABILITY = /\b(?:availab\w*|openings?|free (?:slots?|times?)|slots?|what times?|which times?|when (?:are you|is \w+|can i) (?:open|free|come|available)|do you have (?:anything|any|time|space|room)|have you got|is there (?:anything|any|a slot|space|room)|got anything|any (?:room|space)|are you open|open on|hours)\b|\b(?:disponib\w*|huecos?|hay (?:algo|hueco|sitio)|que horas tienen|tienen (?:algo|hueco|sitio)|estan abiertos)\b/;

const BOOK = /\b(?:book\w*|appointment|appt|schedule|reserv\w*|make (?:an?|the|my) (?:appointment|booking|reservation)|set (?:it|one|me) up|sign me up|get (?:me )?(?:an?|in)|come in|drop in|visit|see (?:a|an|the|dr|doctor)|i(?:'d| would) like|i want|i wanna|i need|can i (?:get|come|have|do)|could i (?:get|come|have)|make it|go with|put me (?:down|in)|fit me in|squeeze me in|lock (?:it|that) in|take (?:it|that|the)|how about|what about|let's do|lets do|works? for me|works|try)\b|\b(?:reservar|reserva|cita|pedir hora|agendar|quiero|quisiera|necesito|me gustaria|puedo ir|apuntame)\b/;

/** Kinds of provider people ask to find (SGD: dentists, doctors, salons). */
const PROVIDER_KIND = /\b(?:dentist|dentistry|dental|doctor|physician|gp|general practitioner|salon|barber|barbershop|hairdresser|stylist|clinic|therapist|dermatologist|gynecologist|ophthalmologist|pediatrician|orthodontist|optometrist|chiropractor|medico|dentista|peluqueria|peluquero|barberia)s?\b/;

const AFFIRM = /^(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|kk|alright|all right|confirm(?:ed)?|correct|right|that'?s right|that works|(?:that )?sounds (?:good|great|fine|perfect)|that'?s (?:fine|great|perfect|good)|that would be (?:great|perfect|fine)|perfect|great|fine|good|go ahead|do it|please do|book it|absolutely|definitely|of course|yes please|please|si|claro|vale|dale|de acuerdo|confirmo|confirmado|perfecto|esta bien|bien|por supuesto|adelante|correcto|eso es|exacto)(?:[\s,!.]+(?:yes|please|thanks|thank you|that'?s (?:fine|great|perfect)|sounds good|great|perfect|do it|go ahead|book it|confirm|por favor|gracias|perfecto|claro|vale|si))*[\s!.]*$/;

const NEGATE = /^(?:no|nope|nah|no thanks|no thank you|not really|not that|not those|none|none of (?:those|them|these)|neither|neither of (?:those|them)|never ?mind|forget it|don'?t|do not|no way|not now|maybe later|i'?ll pass|pass|not interested|ninguno|ninguna|ninguna de esas|no gracias|no,? gracias|mejor no|olvidalo|dejalo)(?:[\s,!.]+(?:thanks|thank you|gracias|please|por favor|i'?m good|that'?s (?:all|ok|fine)))*[\s!.]*$/;

const GREETING = /^(?:hi|hello|hey|heya|hiya|howdy|yo|good (?:morning|afternoon|evening|day)|greetings|hola|buenos dias|buenas tardes|buenas noches|buenas|que tal)(?:\s+(?:there|all|everyone|team|again|folks))?[\s,!.]*(?:how are you(?: doing)?|como estas|que tal)?[\s?!.]*$/;

/** Facts from the rest of understanding that steer the intent. */
export interface IntentSignals {
  hasService: boolean;
  hasProvider: boolean;
  hasWhen: boolean;
  /** A clock time or a day was said (not only a window or a range). */
  hasSpecificWhen: boolean;
  hasChoice: boolean;
  /** The assistant's previous message asked the customer to confirm a held slot ("reply YES"). */
  askedToConfirm: boolean;
  /** The assistant's previous message offered to book or asked a booking question. */
  askedBookingQuestion: boolean;
  /** The assistant's previous message was about existing bookings (a list, a cancel or reschedule question). */
  askedAboutBookings: boolean;
}

/** Whether a message is an opt-out keyword: the whole message is STOP, CANCEL, UNSUBSCRIBE… ("cancel my appointment" is not). */
export function isOptOut(text: string): boolean {
  return classifyKeyword(text, { optedOut: false }) === 'opt_out';
}

/** Whether the message tries to override the assistant's instructions. */
export function isInjection(text: string): boolean {
  return INJECTION.test(plain(text));
}

/** Classifies one message. */
export function classifyIntent(text: string, signals: IntentSignals): Intent {
  if (isOptOut(text)) return 'opt_out';
  const t = plain(text);
  if (t === '') return 'other';
  if (INJECTION.test(t)) return 'out_of_scope';
  if (OUT_OF_SCOPE.some((re) => re.test(t)) && !/\b(?:cancel|reschedul\w*|book\w*|cancelar)\b.{0,30}\b(?:appointment|booking|cita)\b/.test(t)) return 'out_of_scope';
  if (HUMAN.test(t)) return 'human';

  const cancel = CANCEL.test(t);
  const reschedule = RESCHEDULE.test(t) || (cancel && /\b(?:instead|and book|and rebook|y reservar|otra cita)\b/.test(t) && signals.hasWhen);
  // While a slot waits for confirmation, "change it to 3pm" amends the pending booking.
  if (reschedule) return signals.askedToConfirm && !/\b(?:my|existing|other)\s(?:appointment|booking)\b|re-?schedul/.test(t) ? 'book' : 'reschedule';
  if (cancel) {
    // "no, cancel that" about a slot just offered or held is declining it, not cancelling a booking.
    if (signals.askedToConfirm && /^(?:no,?\s)?(?:cancel|cancela)(?: (?:that|it|this|the hold|eso))?[\s!.]*$/.test(t)) return 'decline';
    return 'cancel';
  }
  if (LIST.test(t)) return 'list';

  if (GREETING.test(t)) return 'greeting';
  if (AFFIRM.test(t)) {
    if (signals.askedToConfirm) return 'confirm';
    return signals.askedBookingQuestion ? 'book' : 'confirm';
  }
  if (NEGATE.test(t)) return 'decline';
  // "yes, the second one" / "no, make it 4pm": the new details decide.
  if (/^(?:yes|yeah|yep|sure|ok|okay|si|vale|claro)\b/.test(t) && !signals.hasWhen && !signals.hasChoice && !signals.hasService && !signals.hasProvider && signals.askedToConfirm) {
    return 'confirm';
  }

  const asksAvailability = AVAILABILITY.test(t) && /\?|\b(?:any|what|which|when|do you|is there|are there|is|hay|tienen|que)\b/.test(t);
  // "Is 3pm tomorrow available?" names a slot: it is a booking request that checks first.
  const asksForList = /\b(?:what|which|que)\s(?:times?|horas?|slots?|days?)\b|\bwhen\b/.test(t);
  if (asksAvailability && (!signals.hasSpecificWhen || asksForList)) return 'availability';
  if (BOOK.test(t) || signals.hasService || signals.hasChoice || signals.hasWhen || signals.hasProvider) return 'book';
  if (PROVIDER_KIND.test(t)) return 'book';
  if (asksAvailability) return 'availability';
  return 'other';
}

/**
 * "Put me on the waitlist", "let me know if something frees up", "apúntame en la lista de espera". Not an intent of
 * its own (the `npm run nlu` contract lists the intents): the interpreter asks it next to the intent.
 */
const WAITLIST = /\b(?:wait ?list|waiting list|put me (?:on|down on) (?:the|a) list|(?:let me know|tell me|notify me|text me|message me) (?:if|when) (?:it|that|something|anything|a (?:spot|slot|time|place)) (?:opens|frees|becomes (?:free|available)|comes up)(?: up)?)\b|\b(?:lista de espera|apuntame en la lista|avisame si se (?:libera|queda libre|abre))\b/;

/** The assistant's invitation to the waitlist, which a bare "yes" accepts. */
const WAITLIST_INVITATION = /\bput you on the waitlist\b|\bte apunte en la lista de espera\b/;

export function wantsWaitlist(text: string): boolean {
  return WAITLIST.test(plain(text));
}

export function invitedToWaitlist(previous: string): boolean {
  return WAITLIST_INVITATION.test(plain(previous));
}
