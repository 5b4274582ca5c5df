import { stripAccents } from './normalize';

/** The languages the assistant answers in. */
export type Locale = 'en' | 'es';

const SPANISH_WORDS = new Set([
  'hola', 'quiero', 'quisiera', 'necesito', 'cita', 'citas', 'reservar', 'reserva', 'cancelar', 'anular', 'manana', 'hoy',
  'tarde', 'noche', 'gracias', 'por', 'favor', 'para', 'el', 'la', 'las', 'los', 'de', 'del', 'una', 'un', 'mi', 'mis',
  'con', 'que', 'es', 'esta', 'este', 'puedo', 'puede', 'tiene', 'tienen', 'hay', 'hora', 'horas', 'dia', 'semana',
  'lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo', 'proximo', 'proxima', 'pasado', 'corte',
  'pelo', 'barba', 'masaje', 'tinte', 'consulta', 'buenos', 'buenas', 'dias', 'si', 'vale', 'claro', 'no', 'y', 'o',
  'cambiar', 'mover', 'agendar', 'pedir', 'hablar', 'persona', 'alguien', 'perfecto', 'primera', 'segunda', 'tercera',
  'mediodia', 'ninguno', 'ninguna', 'cuando', 'donde', 'cuanto', 'ayuda', 'como', 'estoy', 'tengo', 'me', 'te', 'lo',
  'otra', 'otro', 'mejor', 'despues', 'antes', 'entre', 'disponible', 'libre', 'a', 'en', 'al',
]);

const ENGLISH_WORDS = new Set([
  'i', 'the', 'a', 'an', 'to', 'want', 'would', 'like', 'book', 'appointment', 'appointments', 'please', 'tomorrow',
  'today', 'is', 'at', 'on', 'for', 'my', 'me', 'can', 'you', 'do', 'have', 'any', 'next', 'this', 'it', 'and', 'or',
  'yes', 'no', 'thanks', 'thank', 'hi', 'hello', 'cancel', 'reschedule', 'time', 'what', 'when', 'how', 'with',
  'haircut', 'morning', 'afternoon', 'evening', 'week', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
  'saturday', 'sunday', 'need', 'get', 'book', 'available', 'free', 'there', 'that', 'works', 'sure', 'okay', 'ok',
  'of', 'in', 'be', 'are', 'one', 'first', 'second', 'third', 'something', 'instead', 'change', 'move', 'see',
]);

/** Words both languages use: they count for neither. */
const SHARED = new Set(['a', 'no', 'me', 'ok', 'hotel', 'de']);

/**
 * Guesses the language of a customer message: 'es' or 'en', or null when the message does not say (a time, a
 * yes, a name). Spanish punctuation and letters (¿ ¡ ñ, accented vowels) are strong evidence.
 */
export function detectLocale(text: string): Locale | null {
  if (/[¿¡ñÑ]/.test(text) || /\b(?:sí|está|qué|cuándo|día|próxim[oa]|mañana|miércoles|sábado|después|adiós)\b/i.test(text)) return 'es';
  const words = stripAccents(text.toLowerCase()).match(/[a-z]+/g) ?? [];
  let es = 0;
  let en = 0;
  for (const w of words) {
    if (SHARED.has(w)) continue;
    if (SPANISH_WORDS.has(w)) es += 1;
    if (ENGLISH_WORDS.has(w)) en += 1;
  }
  if (es === 0 && en === 0) return null;
  if (es > en) return 'es';
  if (en > es) return 'en';
  return null;
}
