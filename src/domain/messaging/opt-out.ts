/**
 * Opt-out keywords, matched the way Twilio's Advanced Opt-Out matches them: only when the keyword is the whole
 * message (case, surrounding spaces and trailing punctuation ignored). So "STOP" opts out, while "Cancel my
 * appointment" is a booking request and "stop by tomorrow?" is a question.
 */

/** What a keyword message asks for. */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

/** Twilio's default opt-out keywords. */
export const OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
/** Keywords that always re-subscribe. */
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'UNSTOP'];
/**
 * Twilio also re-subscribes on YES, but here YES is the usual answer to "shall I book it?". It re-subscribes only a
 * number that is opted out (such a number gets no questions to answer); otherwise it is an ordinary message.
 */
export const CONDITIONAL_OPT_IN_KEYWORDS: readonly string[] = ['YES'];
export const HELP_KEYWORDS: readonly string[] = ['HELP', 'INFO'];

/** Spellings people send for the one-word keywords. */
const ALIASES: Readonly<Record<string, string>> = {
  'STOP ALL': 'STOPALL',
  'OPT OUT': 'OPTOUT',
  'OPT-OUT': 'OPTOUT',
  'UN STOP': 'UNSTOP',
};

/** Longest message that could still be a keyword once spaces and punctuation are dropped. */
const MAX_KEYWORD_MESSAGE = 40;

/** Reduces a message to its keyword form: upper case, single spaces, no surrounding punctuation or emoji. */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
}

/**
 * Classifies a whole inbound message as an opt-out, opt-in or help keyword, or null when it is an ordinary message
 * for the conversation. `optedOut` is whether the sender is currently opted out (it decides what YES means).
 */
export function classifyKeyword(text: string, context: { optedOut: boolean }): KeywordAction | null {
  if (typeof text !== 'string' || text.length > MAX_KEYWORD_MESSAGE) return null;
  const normalized = normalizeKeyword(text);
  const word = ALIASES[normalized] ?? normalized;
  if (OPT_OUT_KEYWORDS.includes(word)) return 'opt_out';
  if (OPT_IN_KEYWORDS.includes(word)) return 'opt_in';
  if (CONDITIONAL_OPT_IN_KEYWORDS.includes(word)) return context.optedOut ? 'opt_in' : null;
  if (HELP_KEYWORDS.includes(word)) return 'help';
  return null;
}
