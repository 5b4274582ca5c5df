import type { Script, ScriptFactory } from '../../support/conversation-script';
import type { CalendarPlan } from '../calendar';
import { injectionScripts, typoScripts, unboundedScripts } from './adversarial';
import { alternativeScripts } from './alternatives';
import { bookingScripts } from './booking';
import { cancelScripts } from './cancel';
import { dateScripts } from './dates';
import { pastScripts } from './past';
import { phrasingScripts } from './phrasing';
import { rescheduleScripts } from './reschedule';
import { handoffScripts, listScripts, outOfScopeScripts } from './service-desk';
import { spanishScripts, timerScripts } from './spanish';

/** Every scripted conversation, in report order. */
export const allScripts: ScriptFactory[] = [
  ...bookingScripts,
  ...phrasingScripts,
  ...alternativeScripts,
  ...dateScripts,
  ...pastScripts,
  ...cancelScripts,
  ...rescheduleScripts,
  ...listScripts,
  ...outOfScopeScripts,
  ...handoffScripts,
  ...injectionScripts,
  ...typoScripts,
  ...spanishScripts,
  ...unboundedScripts,
  ...timerScripts,
];

/** Builds every script against today's calendar; names are unique. */
export function buildScripts(plan: CalendarPlan): Script[] {
  const scripts = allScripts.map((make) => make(plan));
  const seen = new Set<string>();
  for (const s of scripts) {
    if (seen.has(s.name)) throw new Error(`two scripts are named "${s.name}"; names identify them in reports`);
    seen.add(s.name);
  }
  return scripts;
}
