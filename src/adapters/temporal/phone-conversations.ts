import type { InboundMessage, PhoneConversationsPort } from '../../domain/messaging/inbound';
import type { AddressingAdapter } from '../addressing';
import type { Conversations } from './conversations';

/**
 * Phone channels (SMS, WhatsApp, voice) into conversations. The number becomes an opaque key under KEY_SECRET, the
 * same on every channel, so a customer's bookings and opt-out follow the person; the number itself travels only in
 * the workflow input (the address replies go to), never in ids or search attributes.
 */
export function createPhoneConversations(conversations: Pick<Conversations, 'deliver' | 'post'>, addressing: AddressingAdapter): PhoneConversationsPort {
  const toUserMessage = (m: InboundMessage) => ({ messageId: m.messageId, text: m.text, receivedAt: m.receivedAt, channel: m.channel });
  return {
    async deliverInbound(message) {
      await conversations.deliver(addressing.phoneTarget(message.channel, message.address), toUserMessage(message));
    },
    async voiceTurn(message, waitMs) {
      const outcome = await conversations.post(addressing.phoneTarget(message.channel, message.address), toUserMessage(message), waitMs);
      return outcome.kind === 'answered' ? { replies: outcome.result.replies.map((r) => r.text) } : null;
    },
  };
}
