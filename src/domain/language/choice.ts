import { plain } from './intents';

/**
 * Picking from a list the assistant just offered: "the second one", "option 3", "#2", "la primera", or — only
 * right after a numbered list — a bare "2" or "the last". Returns a 1-based position, or -1 for "the last one".
 */

const ORDINALS: Record<string, number> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, fifth: 5, '5th': 5, sixth: 6, '6th': 6,
  last: -1, latter: -1, final: -1, former: 1,
  primera: 1, primero: 1, segunda: 2, segundo: 2, tercera: 3, tercero: 3, cuarta: 4, cuarto: 4, quinta: 5, quinto: 5,
  ultima: -1, ultimo: -1,
};
const ORD = Object.keys(ORDINALS).join('|');

const STRONG = [
  new RegExp(`\\b(${ORD})\\s(?:one|option|slot|choice|time|appointment|opening|opcion|hora|hueco)\\b`),
  /\b(?:option|number|choice|opcion|numero|no\.?)\s?#?(\d)\b/,
  /(?:^|\s)#(\d)\b/,
  new RegExp(`\\b(?:la|el)\\s(${ORD})\\b(?!\\s(?:de|semana))`),
];

const AFTER_LIST = [
  /^(?:the\s)?(\d)(?:st|nd|rd|th)?[\s.!)]*(?:please|one|works|is good|is fine|por favor)?[\s.!]*$/,
  new RegExp(`^(?:(?:yes|ok|okay|sure|si|vale),?\\s)?(?:the\\s|la\\s|el\\s)?(${ORD})(?:\\sone)?(?:\\splease|\\sworks|\\sis (?:good|fine|great|perfect)|\\spor favor)?[\\s.!]*$`),
  new RegExp(`\\b(?:i'?ll take|i want|give me|book|take|go with|let'?s do|prefer|quiero|me quedo con)\\s(?:the\\s|la\\s|el\\s)?(${ORD})\\b(?!\\s(?:of|de)\\b)`),
];

function value(token: string | undefined): number | null {
  if (!token) return null;
  if (/^\d$/.test(token)) return Number(token) || null;
  return ORDINALS[token] ?? null;
}

/** The position picked in `text`; `listOffered` allows the bare forms that only make sense after a list. */
export function parseChoice(text: string, listOffered: boolean): number | null {
  const t = plain(text).replace(/[?]/g, '');
  for (const re of STRONG) {
    const m = re.exec(t);
    const v = value(m?.[1]);
    if (v !== null) return v;
  }
  if (!listOffered) return null;
  for (const re of AFTER_LIST) {
    const m = re.exec(t);
    const v = value(m?.[1]);
    if (v !== null) return v;
  }
  return null;
}
