import { MAX_PHONE_BODY } from './text-length';

/** The channels a customer reaches the business on; declared once, here. */
export type Channel = 'sms' | 'whatsapp' | 'voice' | 'chat';
export const CHANNELS = ['sms', 'whatsapp', 'voice', 'chat'] as const satisfies readonly Channel[];

/**
 * What each channel does, in one table, so the workflows, activities and routes ask the table instead of testing
 * channel names. Adding a channel means adding a row here (and its adapter), not hunting for `if (channel === …)`.
 */
export interface ChannelTraits {
  /** Replies are pushed to the customer's address (Twilio); otherwise the transcript is the delivery (chat) or the
   * reply is spoken in the call's own response (voice). */
  pushesReplies: boolean;
  /** A Twilio number: STOP/START/HELP are keywords, opt-out silences every message, bodies are phone-sized. */
  phoneMessaging: boolean;
  /** The longest body one message carries, in code points (src/domain/messaging/text-length.ts); null: no limit of its own. */
  bodyLimit: number | null;
  /** Where reminders and follow-ups go: a caller has no call to speak into a week later, so an SMS to that number. */
  remindersVia: Channel;
  /** Outside the 24-hour customer-service window only an approved template may be sent (WhatsApp). */
  templateOutsideWindow: boolean;
}

export const CHANNEL_TRAITS: Readonly<Record<Channel, ChannelTraits>> = {
  sms: { pushesReplies: true, phoneMessaging: true, bodyLimit: MAX_PHONE_BODY, remindersVia: 'sms', templateOutsideWindow: false },
  whatsapp: { pushesReplies: true, phoneMessaging: true, bodyLimit: MAX_PHONE_BODY, remindersVia: 'whatsapp', templateOutsideWindow: true },
  voice: { pushesReplies: false, phoneMessaging: false, bodyLimit: null, remindersVia: 'sms', templateOutsideWindow: false },
  chat: { pushesReplies: false, phoneMessaging: false, bodyLimit: null, remindersVia: 'chat', templateOutsideWindow: false },
};

export const traitsOf = (channel: Channel): ChannelTraits => CHANNEL_TRAITS[channel];
