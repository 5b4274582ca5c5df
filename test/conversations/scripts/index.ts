import type { Script, ScriptFactory } from '../../support/conversation-script';
import type { CalendarPlan } from '../calendar';
import { injectionScripts, typoScripts, unboundedScripts } from './adversarial';
import { alternativeScripts } from './alternatives';
import { bookingScripts } from './booking';
import { cancelScripts } from './cancel';
import { changeScripts } from './changes';
import { constraintScripts } from './constraints';
import { dateScripts } from './dates';
import { frontDeskScripts } from './front-desk';
import { pastScripts } from './past';
import { phrasingScripts } from './phrasing';
import { referenceScripts } from './references';
import { rescheduleScripts } from './reschedule';
import { handoffScripts, listScripts, outOfScopeScripts } from './service-desk';
import { spanishScripts, timerScripts } from './spanish';
import { waitlistScripts } from './waitlist';

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
  ...frontDeskScripts,
  ...waitlistScripts,
  ...changeScripts,
  ...referenceScripts,
  ...constraintScripts,
];

/** A built script, with what the runner needs to build it again for another instant. */
export interface PlannedScript extends Script {
  /**
   * Whether this build's expectations hold at `t`: always, for a script that never read the plan's instant (unique
   * days, fixed phrases); else on the business day it was built and within the plan's margin
   * ({@link CalendarPlan.validAt}).
   */
  holdsAt(t: Date): boolean;
  /** The same script built for `now` on the same run's plan; `unused`: this build never ran, its unique days go back. */
  rebuild(now: Date, options?: { unused?: boolean }): PlannedScript;
}

function build(make: ScriptFactory, plan: CalendarPlan): PlannedScript {
  const script = make(plan);
  const dependent = plan.dependsOnInstant;
  return {
    ...script,
    holdsAt: (t) => !dependent || plan.validAt(t),
    rebuild(now, options = {}) {
      if (options.unused) plan.releaseClaims();
      return build(make, plan.at(now));
    },
  };
}

/** Whether a script can be built again for another instant (those from {@link buildScripts} can). */
export function isPlanned(script: Script): script is PlannedScript {
  return typeof (script as Partial<PlannedScript>).rebuild === 'function';
}

/** Builds every script against the calendar at the plan's instant, each on a view of its own; names are unique. */
export function buildScripts(plan: CalendarPlan): PlannedScript[] {
  const scripts = allScripts.map((make) => build(make, plan.at()));
  const seen = new Set<string>();
  for (const s of scripts) {
    if (seen.has(s.name)) throw new Error(`two scripts are named "${s.name}"; names identify them in reports`);
    seen.add(s.name);
  }
  return scripts;
}
