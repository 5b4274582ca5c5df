/**
 * Which template family a reply belongs to ("a hold was read back", "the cancellation policy was explained"), so the
 * scripted conversations assert what KIND of answer the customer got without pinning its wording. Each family is
 * recognised by the fixed words of its English and Spanish templates (src/domain/language/templates and
 * questions.ts); families.test.ts renders every template and checks it lands in its family, so a reworded template
 * fails there, with a clear message, rather than in sixty conversations at once.
 */

export const FAMILIES = [
  'held',
  'booked',
  'no_reminders',
  'still_working',
  'released',
  'availability',
  'exact_free',
  'unavailable',
  'none_free',
  'list',
  'no_bookings',
  'cancelled',
  'moved',
  'cancel_read_back',
  'move_read_back',
  'kept',
  'move_expired',
  'handoff',
  'apology',
  'policy_window',
  'past',
  'out_of_scope',
  'fallback',
  'greeting',
  'ask_service',
  'ask_meridiem',
  'ask_which',
  'ask_new_time',
  'move_or_cancel',
  'another_time',
  'confirm_or_release',
  'nothing_to_confirm',
  'slot_taken',
  'not_found',
  'not_offered',
  'no_hold',
  'too_far',
  'too_soon',
  'outside_hours',
  'hold_expired',
  'provider_does_not_offer',
  'too_many_bookings',
  'prices',
  'durations',
  'hours',
  'address',
  'directions',
  'walk_ins',
  'running_late',
  'ask_name',
  'name_noted',
  'greeting_by_name',
  'waitlisted',
  'waitlist_offer',
  'waitlist_offer_lapsed',
  'waitlist_slot_gone',
  'waitlist_expired',
  'no_list',
  'assumed_meridiem',
  'question',
] as const;

export type Family = (typeof FAMILIES)[number];

/** First match wins, so more specific families come before general ones. */
const MATCHERS: [Family, RegExp][] = [
  ['held', /^On hold for you until |^Te lo guardo hasta las /],
  // A confirmation always carries the booking's reference (the customer's way to name it to staff or on the page).
  ['booked', /^You're booked: [^\n]+\. Reference: [0-9A-Z]+\.|^Reserva confirmada: [^\n]+\. Referencia: [0-9A-Z]+\./],
  ['still_working', /^One moment — still working on that for you\.$|^Un momento, sigo con ello\.$/],
  ['no_reminders', /^We don't have a phone number for you, so you won't get reminders|^No tenemos tu teléfono, así que no recibirás recordatorios/],
  ['released', /^No problem, I've let .+ go\.$|^Sin problema, he liberado el /],
  ['unavailable', /isn't available\. The nearest free times|no está disponible\. Las horas libres más cercanas/],
  ['availability', /^Free times\b|^Horas libres\b/],
  ['exact_free', / is free\.(\n|$)| está libre\.(\n|$)/],
  ['none_free', /^Sorry, I couldn't find a free time|^Lo siento, no encuentro hueco/],
  ['list', /^Your upcoming appointments:|^Tus próximas citas:/],
  ['no_bookings', /^You don't have any upcoming appointments|^No tienes citas próximas|^I can't find any upcoming appointments|^No encuentro citas próximas/],
  ['cancelled', /^Cancelled: |^Cancelada: /],
  ['moved', /^Done: your [^\n]+ has moved from [^\n]+\. Reference: [0-9A-Z]+\.|^Hecho: tu [^\n]+ pasa del [^\n]+\. Referencia: [0-9A-Z]+\./],
  ['cancel_read_back', /^Cancel this appointment\? .+ Reply YES to cancel it|^¿Cancelo esta cita\? .+ Responde SÍ para cancelarla/s],
  ['move_read_back', /^Move your .+ from .+ to .+\? I'm holding the new time until |^¿Cambio tu cita de .+ del .+ al .+\? Te guardo la nueva hora hasta las /],
  ['kept', /^OK, I've kept your appointment as it is: |^De acuerdo, mantengo tu cita como está: /],
  ['move_expired', /^The time I held for your move .+ ran out before you confirmed|^La hora que te guardaba para el cambio .+ caducó sin confirmarse/],
  ['handoff', /^I've asked a member of our team to (?:take over|help)|^He pedido (?:a una persona del equipo que continúe|ayuda a una persona del equipo)/],
  ['apology', /^Sorry, I'm having trouble with that|^Lo siento, estoy teniendo problemas/],
  ['policy_window', /can only be changed or cancelled online up to \d+ hours|solo se pueden cambiar o cancelar hasta \d+ horas/],
  ['past', /^That (?:time )?has already passed\.|^Eso ya ha pasado\.|^Esa hora ya ha pasado\./],
  ['out_of_scope', /^Sorry, I can only help with appointments|^Lo siento, solo puedo ayudarte con citas/],
  ['fallback', /^Sorry, I didn't catch that|^Perdona, no lo he entendido/],
  ['greeting_by_name', /^Hi [^!]+, welcome back! I'm the booking assistant|^¡Hola de nuevo, [^!]+! Soy el asistente de reservas/],
  ['greeting', /^Hi! I'm the booking assistant|^¡Hola! Soy el asistente de reservas/],
  ['ask_service', /^Which service would you like\?|^¿Qué servicio quieres\?/],
  ['ask_meridiem', /^Did you mean .+ or .+\?$|^¿Te refieres a las .+ o a las .+\?$/],
  ['ask_which', /^Which (?:one|appointment) would you like|^Please reply with a number from|^¿Cuál prefieres\?|^¿Qué cita quieres|^Responde con un número del/],
  ['ask_new_time', /^When would you like to move your|^¿A qué día y hora quieres mover/],
  ['move_or_cancel', /^Would you like to move that appointment or cancel it\?|^¿Quieres cambiar esa cita o cancelarla\?/],
  ['another_time', /^No problem\. (?:Would another day or time suit you|Is there anything else)|^Sin problema\. (?:¿Te iría bien otro día|¿Puedo ayudarte en algo más)/],
  ['confirm_or_release', /^Reply YES to confirm the time on hold|^Responde SÍ para confirmar la hora reservada/],
  ['nothing_to_confirm', /^There's nothing waiting for your confirmation|^No hay nada pendiente de confirmar/],
  ['slot_taken', /^Sorry, that time was just taken|^Lo siento, esa hora se acaba de ocupar/],
  ['not_found', /^I couldn't find that booking|^No encuentro esa reserva/],
  ['not_offered', /^That time wasn't one of the free times|^Esa hora no estaba entre las libres/],
  ['no_hold', /^There's nothing on hold for you|^Ahora mismo no tienes nada reservado/],
  ['too_far', /we only take bookings up to \d+ days ahead|solo reservamos hasta \d+ días/],
  ['too_soon', /^Sorry, appointments need at least |^Lo siento, las citas se reservan con al menos /],
  ['outside_hours', /^Sorry, we're not open then|^Lo siento, a esa hora no abrimos/],
  ['hold_expired', /^The hold ran out before it was confirmed|^La reserva provisional caducó sin confirmarse|^Sorry, the hold on that time ran out|^Lo siento, la reserva provisional caducó antes/],
  ['provider_does_not_offer', /^Sorry, .+ (?:doesn't|don't) do |^Lo siento, .+ no hace /],
  ['too_many_bookings', /^You already have \d+ upcoming appointments?|^Ya tienes \d+ citas?/],
  ['prices', /^Our prices at |^Nuestros precios en |^[^:\n]+: (?:(?:from|desde) )?(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:US\$|€|\$)|free|gratis) \(/],
  ['durations', /^A .+ takes \d|^How long each service takes:|^[^:\n]+: dura \d|^Lo que dura cada servicio:/],
  ['hours', /^Our opening hours|^Nuestro horario|^On .+ we're open |^We're closed on |^El .+ (?:abrimos|estamos cerrados)/],
  ['directions', /^(?:We're at|Estamos en) [^\n]+?\. \S|^Two blocks|^A dos manzanas/],
  ['address', /^(?:We're at|Estamos en) [^\n]+\.$/],
  ['walk_ins', /^Yes, we take walk-ins|^Sorry, we don't take walk-ins|^Sí, atendemos sin cita|^Lo siento, no atendemos sin cita/],
  ['running_late', /^Thanks for letting us know|^Gracias por avisar/],
  ['ask_name', /^What name should we put your booking under\?|^¿A nombre de quién ponemos la reserva\?/],
  ['name_noted', /^Thanks, .+ — I've noted your name\.$|^Gracias, .+, he anotado tu nombre\.$/],
  ['waitlisted', /^You're on the waitlist for |^Estás en la lista de espera para /],
  ['waitlist_offer', /: a time on your waitlist has opened up: |: se ha liberado una hora de tu lista de espera: /],
  ['waitlist_offer_lapsed', /I've offered it to the next person on the waitlist|se la he ofrecido a la siguiente persona de la lista/],
  ['waitlist_slot_gone', /has been taken by someone else\. You're still on the waitlist|^Lo siento, otra persona ha reservado /],
  ['waitlist_expired', /^Your waitlist for .+ has ended without a free time|^Tu lista de espera para /],
  ['no_list', /^I haven't shown you a list of times|^No te he mostrado ninguna lista de horas/],
  ['assumed_meridiem', /^I took \d{1,2}(?::\d\d)? as |^Entiendo las? \d{1,2}(?::\d\d)? de la /],
  ['question', /\?\s*$/],
];

/** The family of one reply, or null when it matches none (a model's own words, an unknown template). */
export function familyOf(text: string): Family | null {
  const trimmed = text.trim();
  for (const [family, re] of MATCHERS) if (re.test(trimmed)) return family;
  return null;
}

/** The families of a turn's replies, in order (unrecognised replies are left out). */
export function familiesOf(texts: readonly string[]): Family[] {
  return texts.map(familyOf).filter((f): f is Family => f !== null);
}
