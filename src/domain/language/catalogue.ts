import type { Business } from '../booking/business';
import { stripAccents } from './normalize';

/**
 * Finds the business's services and providers in what a customer wrote: by id, name and configured synonyms, in
 * the plural ("haircuts"), and through small typos ("hiarcut", "masage") by edit distance. The longest match wins,
 * so "beard trim" is the beard trim, not the haircut whose synonym is "trim".
 */

export interface CatalogueMatch {
  id: string;
  /** The words of the message that matched. */
  phrase: string;
  /** 0 for an exact match, else the edit distance that was forgiven. */
  distance: number;
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Everyday words one typo away from a catalogue word ("message" / "massage", "have" / "shave"): exact only. */
const NEVER_FUZZY = new Set(['message', 'passage', 'have', 'save', 'move', 'come', 'some', 'same', 'more', 'make', 'take', 'care', 'here', 'there', 'where', 'court', 'cost', 'coat', 'bread', 'heard', 'short', 'shade', 'shake', 'consume']);

/** Typos are forgiven only where the first letter is right and the word is not an everyday one. */
function fuzzyAllowed(phrase: string, target: string): boolean {
  return phrase[0] === target[0] && !phrase.split(' ').some((w) => NEVER_FUZZY.has(w));
}

/** How many typos a word of this length may carry and still count. */
function tolerance(length: number): number {
  if (length <= 4) return 0;
  if (length <= 7) return 1;
  return 2;
}

/** Lower case, no accents, words only; plurals reduced ("haircuts" → "haircut", "massages" → "massage"). */
export function catalogueWords(text: string): string[] {
  return stripAccents(text.toLowerCase())
    .replace(/[^a-z0-9\s-]/g, ' ')
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map(singular);
}

function singular(word: string): string {
  if (word.length > 4 && /(?:ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

interface Term {
  id: string;
  words: string[];
}

/** Best match of any term in the message: most words first, then fewest typos. */
function bestMatch(words: string[], terms: Term[]): CatalogueMatch | null {
  let best: (CatalogueMatch & { size: number; joined: boolean }) | null = null;
  for (const term of terms) {
    const n = term.words.length;
    const target = term.words.join(' ');
    const targetJoined = term.words.join('');
    for (let i = 0; i + n <= words.length; i += 1) {
      const window = words.slice(i, i + n);
      const phrase = window.join(' ');
      let distance = phrase === target ? 0 : fuzzyAllowed(phrase, target) ? editDistance(phrase, target) : Infinity;
      // "hair cut" written as one word, or "haircut" as two.
      if (distance > 0 && window.join('') === targetJoined) distance = 0;
      if (distance > tolerance(target.length)) continue;
      const better = !best || n > best.size || (n === best.size && distance < best.distance);
      if (better) best = { id: term.id, phrase, distance, size: n, joined: false };
    }
    // A one-word spelling of a two-word term ("haircut" for "hair cut").
    if (n > 1) {
      for (const [i, w] of words.entries()) {
        const distance = w === targetJoined ? 0 : fuzzyAllowed(w, targetJoined) ? editDistance(w, targetJoined) : Infinity;
        if (distance <= tolerance(targetJoined.length) && (!best || n > best.size || (n === best.size && distance < best.distance))) {
          best = { id: term.id, phrase: words[i] ?? w, distance, size: n, joined: true };
        }
      }
    }
  }
  return best ? { id: best.id, phrase: best.phrase, distance: best.distance } : null;
}

/** Words that are never a service or provider on their own, however close ("at" vs "art", "the" vs "tea"). */
const STOP_WORDS = new Set(['the', 'and', 'for', 'with', 'please', 'want', 'need', 'book', 'time', 'this', 'that', 'next', 'what', 'when']);

function serviceTerms(business: Business): Term[] {
  return business.services.flatMap((s) =>
    [s.id.replace(/-/g, ' '), s.name, ...s.synonyms].map((label) => ({ id: s.id, words: catalogueWords(label) })).filter((t) => t.words.length > 0),
  );
}

/** The service a message names, if any. */
export function matchService(text: string, business: Business): CatalogueMatch | null {
  const words = catalogueWords(text).filter((w) => !STOP_WORDS.has(w));
  return bestMatch(words, serviceTerms(business));
}

/** The provider a message names (by id or name, first name alone is enough), if any. */
export function matchProvider(text: string, business: Business): CatalogueMatch | null {
  const words = catalogueWords(text).filter((w) => !STOP_WORDS.has(w));
  const terms: Term[] = business.providers.flatMap((p) => {
    const nameWords = catalogueWords(p.name).filter((w) => !/^(?:dr|mr|mrs|ms|miss)$/.test(w));
    const list: Term[] = [{ id: p.id, words: catalogueWords(p.id) }, { id: p.id, words: nameWords }];
    if (nameWords.length > 1 && nameWords[0]) list.push({ id: p.id, words: [nameWords[0]] });
    return list;
  });
  return bestMatch(words, terms);
}
