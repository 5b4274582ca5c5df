import type { Channel, ConversationState } from './messages';

/**
 * The one-glance description operators read in the Web UI (current details and memo). Ids and times only:
 * no names, numbers or message text, because memos and details are not encrypted by a payload codec.
 */
export function describeConversation(state: ConversationState, channel: Channel, operator: string | null): string {
  const lines = [`**${channel}** conversation — ${state.status}`];
  if (state.needsHuman) lines.push(operator ? `With staff: ${operator}` : 'Waiting for a human');
  const wanted = [state.slots.service, state.slots.date, state.slots.time, state.slots.provider].filter(Boolean);
  if (wanted.length) lines.push(`Looking for: ${wanted.join(' · ')}`);
  if (state.hold) lines.push(`Holding ${state.hold.service} with ${state.hold.provider} at ${state.hold.start} until ${state.hold.expiresAt}`);
  const active = state.bookings.filter((b) => b.status === 'confirmed');
  for (const b of active) lines.push(`Booked ${b.service} with ${b.provider} at ${b.start} (${b.id})`);
  lines.push(`Model calls: ${state.usage.modelCalls}, tokens: ${state.usage.promptTokens + state.usage.completionTokens}`);
  return lines.join('\n');
}
