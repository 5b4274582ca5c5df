import { ORDINAL_WORDS, TENS_WORDS, UNIT_WORDS } from './lexicon';

/**
 * Text clean-up before the date and time rules run: lower case, no accents, one spelling per word people write
 * many ways ("o'clock", "o"clock", "tonite", "tmrw"), and number words as digits ("half past three" → "half past 3",
 * "ten thirty" → "10:30"). The rules then only need to know digits.
 */
export function normalizeText(text: string): string {
  let t = stripAccents(text.toLowerCase())
    .replace(/[’‘`´]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\bo\s*["']?\s*clock\b/g, 'oclock')
    .replace(/\btonite\b/g, 'tonight')
    .replace(/\b(?:tmrw|tmrow|tmr|tomorow|tommorow|tommorrow|tomorrw|tomoro|tomorro|2moro|2morrow)\b/g, 'tomorrow')
    .replace(/\b(?:mid day|mid-day)\b/g, 'midday')
    .replace(/\bweek[- ]end(s?)\b/g, 'weekend$1')
    .replace(/\bwkends?\b/g, 'weekend')
    .replace(/\bp\.\s?m\b\.?/g, 'pm')
    .replace(/\ba\.\s?m\b\.?/g, 'am')
    // Hyphenated number words ("twenty-one", "ten-thirty", "twelve-oh-three") become separate words.
    .replace(/([a-z])-(?=[a-z])/g, '$1 ')
    .replace(/\bla una\b/g, 'la 1')
    .replace(/\blas once\b/g, 'las 11')
    .replace(/\s+/g, ' ')
    .trim();
  t = wordsToDigits(t);
  return t;
}

/** Removes diacritics ("mañana" → "manana", "miércoles" → "miercoles"); the rules are written without them. */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

const FILLER_ZERO = new Set(['oh', 'o', 'ou', 'zero']);
const TIME_CUE_BEFORE = new Set(['at', '@', 'around', 'about', 'approximately', 'approx', 'by', 'till', 'until']);
const PRONOUN_ONE_BEFORE = new Set(['the', 'this', 'that', 'which', 'no', 'any', 'every', 'each', 'some', 'another', 'other', 'first', 'last', 'next', 'second', 'third', 'earlier', 'later', 'new', 'same']);
const QUARTER_MINUTES = new Set([15, 30, 45]);

interface WordNumber {
  value: number;
  /** Index of the first token after the number. */
  next: number;
  /** Trailing punctuation of the last token, kept so sentences still end where they did. */
  tail: string;
}

function splitToken(token: string): { core: string; tail: string } {
  const m = /^([a-z]+)([^a-z]*)$/.exec(token);
  return m ? { core: m[1] ?? '', tail: m[2] ?? '' } : { core: '', tail: token };
}

/** Reads a cardinal number written in words starting at token `i` ("twenty one", "two thousand ten"). */
function readWordNumber(tokens: string[], i: number): WordNumber | null {
  const first = tokens[i];
  if (first === undefined) return null;
  const { core, tail } = splitToken(first);
  if (core === 'thousand') return null;
  if (core in TENS_WORDS) {
    const tens = TENS_WORDS[core] ?? 0;
    const second = tokens[i + 1];
    if (tail === '' && second !== undefined) {
      const s = splitToken(second);
      const unit = UNIT_WORDS[s.core];
      if (unit !== undefined && unit >= 1 && unit <= 9 && s.core !== 'una') return { value: tens + unit, next: i + 2, tail: s.tail };
    }
    return { value: tens, next: i + 1, tail };
  }
  if (core in UNIT_WORDS) {
    const value = UNIT_WORDS[core] ?? 0;
    // "two thousand (and) ten" → 2010
    const second = tokens[i + 1];
    if (tail === '' && second !== undefined && splitToken(second).core === 'thousand' && value >= 1 && value <= 9) {
      const thousandTail = splitToken(second).tail;
      let j = i + 2;
      if (thousandTail === '' && splitToken(tokens[j] ?? '').core === 'and') j += 1;
      const rest = thousandTail === '' ? readWordNumber(tokens, j) : null;
      if (rest && rest.value < 100) return { value: value * 1000 + rest.value, next: rest.next, tail: rest.tail };
      return { value: value * 1000, next: i + 2, tail: thousandTail };
    }
    return { value, next: i + 1, tail };
  }
  return null;
}

function readWordOrdinal(tokens: string[], i: number): WordNumber | null {
  const { core, tail } = splitToken(tokens[i] ?? '');
  if (core in ORDINAL_WORDS && core !== 'second') return { value: ORDINAL_WORDS[core] ?? 0, next: i + 1, tail };
  // "twenty first", "thirty first"
  if ((core === 'twenty' || core === 'thirty') && tail === '') {
    const s = splitToken(tokens[i + 1] ?? '');
    const unit = ORDINAL_WORDS[s.core];
    if (unit !== undefined && unit <= 9) return { value: (TENS_WORDS[core] ?? 0) + unit, next: i + 2, tail: s.tail };
  }
  return null;
}

const ORDINAL_SUFFIX = (n: number): string => {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
};

/** Words after which "second" is a day ordinal ("second of March") rather than a unit or a choice. */
const SECOND_AS_DAY_NEXT = /^(?:of|day|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|closest|last)$/;
const MONTH_BEFORE = /^(?:jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)$/;

function wordsToDigits(text: string): string {
  const tokens = text.split(' ');
  const out: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] ?? '';
    const prevCore = splitToken(tokens[i - 1] ?? '').core || (tokens[i - 1] ?? '');
    // Day ordinals in words.
    const ord = readWordOrdinal(tokens, i);
    if (ord) {
      out.push(ORDINAL_SUFFIX(ord.value) + ord.tail);
      i = ord.next;
      continue;
    }
    if (splitToken(token).core === 'second') {
      const nextCore = splitToken(tokens[i + 1] ?? '').core;
      if (SECOND_AS_DAY_NEXT.test(nextCore) || MONTH_BEFORE.test(prevCore)) {
        out.push('2nd' + splitToken(token).tail);
        i += 1;
        continue;
      }
    }
    // "this one", "the one", "no one": a choice or a pronoun, not the number 1.
    if (splitToken(token).core === 'one' && PRONOUN_ONE_BEFORE.has(prevCore)) {
      out.push(token);
      i += 1;
      continue;
    }
    const num = readWordNumber(tokens, i);
    if (!num) {
      out.push(token);
      i += 1;
      continue;
    }
    // A clock time said in words: "ten thirty", "twelve oh three", "nine fifty nine a m".
    if (num.value >= 0 && num.value <= 23 && num.tail === '') {
      const after = tokens[num.next];
      const afterCore = splitToken(after ?? '').core;
      if (after !== undefined && FILLER_ZERO.has(afterCore) && splitToken(after).tail === '') {
        const unit = readWordNumber(tokens, num.next + 1);
        if (unit && unit.value >= 1 && unit.value <= 9) {
          out.push(`${num.value}:0${unit.value}${unit.tail}`);
          i = unit.next;
          continue;
        }
      }
      const minutes = readWordNumber(tokens, num.next);
      if (minutes && minutes.value >= 10 && minutes.value <= 59) {
        const following = tokens.slice(minutes.next, minutes.next + 2).join(' ');
        const meridiemFollows = minutes.tail === '' && /^(?:am|pm|a m|p m|a\.m|p\.m|in the|at night|tonight)\b/.test(following);
        if (QUARTER_MINUTES.has(minutes.value) || meridiemFollows || TIME_CUE_BEFORE.has(prevCore)) {
          out.push(`${num.value}:${minutes.value}${minutes.tail}`);
          i = minutes.next;
          continue;
        }
      }
    }
    out.push(`${num.value}${num.tail}`);
    i = num.next;
  }
  return out.join(' ');
}
