import type { ListShown } from './dialogue-state';
import { positionByTime, resolveReferences, type Anchor, type ReferenceWords } from './references';
import type { Understanding } from './understand';

/**
 * A message read in the conversation: its references filled in from what was being discussed ("the same day"),
 * "the earlier one" turned into a position in the list the customer was shown, and a correction ("no, I said
 * Tuesday") kept as part of the request it corrects rather than read as a "no".
 */
export function inContext(said: Understanding, words: ReferenceWords, anchor: Anchor | null, shown: ListShown): Understanding {
  const u = { ...resolveReferences(said, words, anchor) };
  if (words.pick && u.choice === undefined && shown) {
    const position = positionByTime(shown.items, words.pick);
    if (position !== undefined) u.choice = position;
  }
  const namesSomething = Boolean(u.date || u.time || u.window || u.range || u.weekdays || u.provider || u.service);
  if (words.correction && namesSomething && (u.intent === 'decline' || u.intent === 'other' || u.intent === 'confirm')) u.intent = 'book';
  // "with Sam instead", "an hour later": a change to the request, whatever the bare words looked like.
  if ((words.shiftMinutes !== undefined || words.direction || words.sameDay || words.weeksAhead || (words.instead && u.provider)) && namesSomething && (u.intent === 'other' || u.intent === 'decline')) u.intent = 'book';
  if (words.pick && u.choice !== undefined && u.intent === 'other') u.intent = 'book';
  return u;
}
