import { plain } from './intents';

/**
 * A customer's name, taken only when it is plainly one: "Maria", "María José Núñez", "my name is Sam Lee",
 * "me llamo Lucía". Words that answer something else ("tomorrow", "yes", "thanks", "3pm", "haircut") are never
 * names; the interpreter also drops anything that names a day, a time, a service or a list pick.
 */

/** One to four words of letters (apostrophes and hyphens inside), at most 60 characters. */
const NAME_SHAPE = /^\p{L}[\p{L}'’-]*(?:\s+\p{L}[\p{L}'’.-]*){0,3}$/u;

/** Introductions that carry a name after them. Some only count as the answer to "what name…?". */
const ALWAYS = /^(?:my name is|my name's|the name is|the name's|name is|name's|call me|you can call me|me llamo|mi nombre es)\s+(.+)$/;
const WHEN_ASKED = /^(?:it's|it is|its|this is|i'm|i am|im|put it under|under|a nombre de|soy|es|pon(?:lo|la)? a nombre de)\s+(.+)$/;

/** Words that are never a customer's name in these conversations (compared without accents, lower case). */
const NOT_NAMES = new Set(
  (
    'yes yeah yep yup ya sure ok okay k no nope nah not none never mind thanks thank you thx ty cheers please hi hello hey ' +
    'bye goodbye good great fine perfect cool nice awesome morning afternoon evening night noon midnight today tomorrow tonight ' +
    'yesterday week weekend next this that it me my mine later now soon asap am pm monday tuesday wednesday thursday friday ' +
    'saturday sunday mon tue tues wed thu thur thurs fri sat sun january february march july september ' +
    'october november december jan feb mar apr jun jul aug sep sept oct nov dec book booking appointment cancel reschedule ' +
    'move change stop start help agent human person staff skip pass nothing nobody anonymous none rather prefer late running ' +
    'free busy available the a an and or to for with at on in of is are was be what which when where who why how ' +
    'si vale claro gracias hola adios buenos buenas dias tardes noches manana hoy pasado semana lunes martes miercoles jueves ' +
    'viernes sabado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre ' +
    'cita reserva cancelar cambiar ayuda agente persona nada nadie prefiero mejor tarde luego ahora pronto un una ' +
    'o con en por para que cual cuando donde quien como perfecto bien genial ' +
    // Everyday words of a reply that is no name ("see you then", "all good", "nos vemos").
    'i you your yours we us they he she him her them see then there here all set done got get will would can could do does ' +
    'did have has had just also too very so much lot love like want need know think sounds looks appreciate wonderful ' +
    'excellent amazing lovely brilliant ciao hasta nos vemos muchas muchisimas todo eso esto ya listo vale gracias estupendo ' +
    'again again soon fine works work sorry oops wait hold on off out up down back'
  ).split(/\s+/),
);

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'el', 'y', 'van', 'von', 'da', 'di', 'le']);

/**
 * The name in `text`, tidied ("maria garcia" → "Maria Garcia"), or null. `answering`: the assistant's previous message
 * asked for the name, so a bare "Maria" or "it's Maria" counts; otherwise only an explicit "my name is …" does.
 */
export function nameIn(text: string, answering: boolean): string | null {
  const cleaned = text.trim().replace(/[.!]+$/, '').trim();
  const flat = plain(cleaned);
  const explicit = ALWAYS.exec(flat) ?? (answering ? WHEN_ASKED.exec(flat) : null);
  let candidate: string;
  if (explicit) {
    // Keep the customer's own spelling (accents, capitals): the same number of trailing characters of the original.
    candidate = cleaned.slice(cleaned.length - explicit[1]!.length);
  } else if (answering) {
    candidate = cleaned;
  } else {
    return null;
  }
  candidate = candidate.replace(/^[,:\s]+|[,.!\s]+$/g, '').replace(/\s*[,.]\s*(?:thanks?|thank you|gracias|please|por favor)$/i, '').trim();
  return isPersonName(candidate) ? tidy(candidate) : null;
}

/** Whether `name` has the shape of a person's name and is none of the words that answer something else. */
export function isPersonName(name: string): boolean {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 60 || !NAME_SHAPE.test(trimmed)) return false;
  const words = plain(trimmed).split(' ');
  // Particles belong inside a name ("María de la Cruz"), never alone or first.
  if (PARTICLES.has(words[0]!)) return false;
  return !words.some((w) => NOT_NAMES.has(w.replace(/[.'’-]/g, '')));
}

/** "maria garcia-lopez" → "Maria Garcia-Lopez"; names already capitalised ("McAllister", "de la Cruz") stay as written. */
function tidy(name: string): string {
  const words = name.split(/\s+/);
  if (words.some((w) => w !== w.toLowerCase())) return words.join(' ');
  return words.map((w) => w.replace(/(^|[-'’])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase())).join(' ');
}
