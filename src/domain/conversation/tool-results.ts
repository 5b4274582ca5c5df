import type { Rejection, Slot } from '../booking/types';
import { toSlotView } from '../booking/views';
import type { ToolError } from '../tools';

/**
 * The ledger's refusals as tool errors: a code the templates explain to the customer, a sentence the model can act
 * on, the refusal's details and the engine's own offers. Pure, so the workflow can build it.
 */
export function toToolError(rejection: Rejection, alternatives: readonly Slot[] = []): ToolError {
  const { code, ...details } = rejection;
  return {
    ok: false,
    error: code,
    message: explain(rejection),
    ...(Object.keys(details).length ? { details } : {}),
    ...(alternatives.length ? { alternatives: alternatives.map(toSlotView) } : {}),
  };
}

function explain(rejection: Rejection): string {
  switch (rejection.code) {
    case 'slot_taken':
      return 'that slot was just taken; offer the alternatives';
    case 'outside_hours':
      return 'that time is outside the provider’s hours; offer the alternatives';
    case 'too_soon':
      return `bookings need ${rejection.minNoticeMinutes} minutes notice; offer a later time`;
    case 'too_far':
      return `bookings can be made at most ${rejection.maxDaysAhead} days ahead`;
    case 'in_the_past':
      return 'that time is in the past; ask for a future date';
    case 'unknown_service':
      return `there is no service "${rejection.service}"`;
    case 'unknown_provider':
      return `there is no provider "${rejection.provider}"`;
    case 'provider_does_not_offer':
      return `${rejection.provider} does not offer ${rejection.service}`;
    case 'not_found':
      return 'no such booking';
    case 'not_yours':
      return 'that booking belongs to someone else; only this customer’s bookings can be seen or changed';
    case 'hold_expired':
      return 'the hold expired; check availability again';
    case 'not_confirmable':
      return `the booking is ${rejection.status} and cannot be confirmed`;
    case 'inside_cancellation_window':
      return `changes need ${rejection.cancellationNoticeHours} hours notice; explain the policy and offer a human`;
    case 'too_many_active_bookings':
      return `this customer already has the maximum of ${rejection.max} active bookings`;
  }
}
