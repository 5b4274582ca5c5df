import type { Business } from '../../domain/booking/business';
import { acknowledgeAfterMs } from '../../domain/booking/turn-budget';
import { detectLocale } from '../../domain/language/locale';
import * as templates from '../../domain/language/templates';

/**
 * The chat customer's first words when a turn is slow: the gateway says "still working" itself. The workflow says it
 * too (after the business's `firstWordsSeconds`), but only while a worker is alive to run it; the gateway is what
 * answers when the worker died holding the turn or the model keeps failing, so its words are what the budget promises.
 */

/** How long a chat POST waits for its turn before answering 202 with the acknowledgement. */
export function chatTurnWaitMs(business: Business): number {
  return acknowledgeAfterMs(business);
}

/** "One moment — still working on that for you." in the language the customer wrote in (the business's otherwise). */
export function acknowledgementFor(text: string, business: Business): string {
  return templates.stillWorking(null, { locale: detectLocale(text) ?? business.locale, zone: business.timezone, business, channel: 'chat' });
}

/** Every "still working" text this business can send (one per language): words while a turn runs, not its answer. */
export function acknowledgementTexts(business: Business): Set<string> {
  return new Set((['en', 'es'] as const).map((locale) => templates.stillWorking(null, { locale, zone: business.timezone, business })));
}
