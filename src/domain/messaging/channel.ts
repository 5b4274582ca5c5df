/** The channels a customer reaches the business on; declared once, here. */
export type Channel = 'sms' | 'whatsapp' | 'voice' | 'chat';
export const CHANNELS: readonly Channel[] = ['sms', 'whatsapp', 'voice', 'chat'];
