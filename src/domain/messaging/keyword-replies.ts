import type { KeywordAction } from './opt-out';

/**
 * The one reply each keyword earns. Twilio sends these itself when Advanced Opt-Out is on; without a Twilio account
 * the local outbox sends them so the SMS path behaves the same. The opt-out confirmation is the last message an
 * opted-out number receives until it sends START.
 */
export function keywordReply(action: KeywordAction, businessName: string, locale: 'en' | 'es' = 'en'): string {
  const replies = locale === 'es' ? SPANISH : ENGLISH;
  return replies[action](businessName);
}

const ENGLISH: Record<KeywordAction, (name: string) => string> = {
  opt_out: (name) => `You have been unsubscribed from ${name} and will receive no further messages. Reply START to resubscribe.`,
  opt_in: (name) => `You are subscribed to ${name} messages again. Reply STOP to unsubscribe, HELP for help.`,
  help: (name) =>
    `${name} booking assistant: text us to book, move or cancel an appointment. Reply STOP to unsubscribe. Msg & data rates may apply.`,
};

const SPANISH: Record<KeywordAction, (name: string) => string> = {
  opt_out: (name) => `Has cancelado tu suscripción a ${name} y no recibirás más mensajes. Responde START para volver a suscribirte.`,
  opt_in: (name) => `Vuelves a recibir mensajes de ${name}. Responde STOP para darte de baja, HELP para ayuda.`,
  help: (name) =>
    `Asistente de citas de ${name}: escríbenos para reservar, cambiar o cancelar una cita. Responde STOP para darte de baja.`,
};
