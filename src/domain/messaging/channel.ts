import { MAX_PHONE_BODY } from './text-length';

/** The channels a customer reaches the business on (a conversation lives on one); declared once, here. */
export type Channel = 'sms' | 'whatsapp' | 'voice' | 'chat';
export const CHANNELS = ['sms', 'whatsapp', 'voice', 'chat'] as const satisfies readonly Channel[];

/** Where a message can go: the conversation channels, and email (confirmations, invitations, reminders, offers). */
export type DeliveryChannel = Channel | 'email';
export const DELIVERY_CHANNELS = [...CHANNELS, 'email'] as const satisfies readonly DeliveryChannel[];

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
  remindersVia: Channel | 'email';
  /** Outside the 24-hour customer-service window only an approved template may be sent (WhatsApp). */
  templateOutsideWindow: boolean;
  /** Carries a subject and attachments (an iCalendar invitation); sent through the email sender, not Twilio. */
  mail: boolean;
  /** How many free times one list offers: a screen holds six, a phone message four, a text or a voice three. */
  offersAtOnce: number;
  /** A list is laid out on one line per day (screens) or run together on one line (texts and speech). */
  listLayout: 'lines' | 'inline';
}

export const CHANNEL_TRAITS = {
  sms: { pushesReplies: true, phoneMessaging: true, bodyLimit: MAX_PHONE_BODY, remindersVia: 'sms', templateOutsideWindow: false, mail: false, offersAtOnce: 3, listLayout: 'inline' },
  whatsapp: { pushesReplies: true, phoneMessaging: true, bodyLimit: MAX_PHONE_BODY, remindersVia: 'whatsapp', templateOutsideWindow: true, mail: false, offersAtOnce: 4, listLayout: 'lines' },
  voice: { pushesReplies: false, phoneMessaging: false, bodyLimit: null, remindersVia: 'sms', templateOutsideWindow: false, mail: false, offersAtOnce: 3, listLayout: 'inline' },
  chat: { pushesReplies: false, phoneMessaging: false, bodyLimit: null, remindersVia: 'chat', templateOutsideWindow: false, mail: false, offersAtOnce: 6, listLayout: 'lines' },
  // No conversation runs on email (nothing to reply into), so its reminders are itself.
  email: { pushesReplies: true, phoneMessaging: false, bodyLimit: null, remindersVia: 'email', templateOutsideWindow: false, mail: true, offersAtOnce: 6, listLayout: 'lines' },
} as const satisfies Readonly<Record<DeliveryChannel, ChannelTraits & { remindersVia: DeliveryChannel }>>;

/** The traits of a channel; for a conversation channel, `remindersVia` is a conversation channel too. */
export const traitsOf = <C extends DeliveryChannel>(channel: C): (typeof CHANNEL_TRAITS)[C] => CHANNEL_TRAITS[channel];
