/**
 * WhatsApp's customer-service window: a business may send free text only within 24 hours of the customer's last
 * inbound message; outside it only a pre-approved template (Twilio `ContentSid` + `ContentVariables`) is delivered.
 * Pure: `now` is an argument.
 */

export const WHATSAPP_WINDOW_HOURS = 24;
const WINDOW_MS = WHATSAPP_WINDOW_HOURS * 60 * 60 * 1000;
/** A last-inbound time slightly in the future is clock skew between machines, not a lie. */
const ALLOWED_SKEW_MS = 5 * 60 * 1000;

/** A pre-approved WhatsApp template: Twilio Content SID (`HX…`) and its numbered variables (`{"1": "Ana"}`). */
export interface WhatsappTemplate {
  contentSid: string;
  variables: Record<string, string>;
}

/**
 * True when free text may be sent: the customer wrote less than 24 hours before `now`. An unknown or unparsable
 * `lastInboundAt` counts as closed, so the safe path (a template) is taken.
 */
export function whatsappWindowOpen(lastInboundAt: string | undefined, now: Date): boolean {
  if (!lastInboundAt) return false;
  const last = Date.parse(lastInboundAt);
  if (Number.isNaN(last)) return false;
  const age = now.getTime() - last;
  return age < WINDOW_MS && age > -ALLOWED_SKEW_MS;
}

/** What to send on WhatsApp: the text, the template, or nothing because a template is needed and none was given. */
export type WhatsappContent =
  | { kind: 'text'; body: string }
  | { kind: 'template'; template: WhatsappTemplate }
  | { kind: 'template_required' };

/** Picks free text inside the window and the template outside it. */
export function chooseWhatsappContent(input: {
  text: string;
  template?: WhatsappTemplate;
  lastInboundAt?: string;
  now: Date;
}): WhatsappContent {
  if (whatsappWindowOpen(input.lastInboundAt, input.now)) return { kind: 'text', body: input.text };
  if (input.template) return { kind: 'template', template: input.template };
  return { kind: 'template_required' };
}
