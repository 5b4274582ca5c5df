/**
 * The life of one outbound message, forward-only. Ours first — `pending` (recorded, not yet handed over) and
 * `submitting` (the API call is in flight, its outcome unknown) — then Twilio's: `queued` < `sending` < `sent` <
 * `delivered`. `undelivered` and `failed` end it. `local` (written to the local outbox), `recorded` (chat and voice:
 * the transcript is the delivery) and `suppressed` (not sent: the number opted out) end it before any provider.
 * A late callback never moves a message backwards: `sent` after `delivered` changes nothing.
 */

export type DeliveryStatus =
  | 'pending'
  | 'submitting'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'local'
  | 'recorded'
  | 'suppressed';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'submitting',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'local',
  'recorded',
  'suppressed',
];

const PROGRESS: readonly DeliveryStatus[] = ['pending', 'submitting', 'queued', 'sending', 'sent', 'delivered'];
const TERMINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'undelivered', 'failed', 'local', 'recorded', 'suppressed']);

/** True when nothing can change the status any more. */
export function isTerminal(status: DeliveryStatus): boolean {
  return TERMINAL.has(status);
}

/** True when moving from `current` to `next` is forward. */
export function canAdvance(current: DeliveryStatus, next: DeliveryStatus): boolean {
  if (isTerminal(current) || current === next) return false;
  if (isTerminal(next)) return true;
  return PROGRESS.indexOf(next) > PROGRESS.indexOf(current);
}

/** Every status from which `next` is a forward move (for an atomic `UPDATE … WHERE status = ANY(…)`). */
export function statusesBefore(next: DeliveryStatus): DeliveryStatus[] {
  return DELIVERY_STATUSES.filter((current) => canAdvance(current, next));
}

/** The status to keep when `incoming` arrives for a message at `current`. */
export function mergeStatus(current: DeliveryStatus, incoming: DeliveryStatus): DeliveryStatus {
  return canAdvance(current, incoming) ? incoming : current;
}

/**
 * Maps a Twilio message status (REST response or `MessageStatus` callback) onto ours; null for statuses of inbound
 * messages (`receiving`, `received`) and anything unknown, which must change nothing.
 */
export function fromTwilioStatus(status: unknown): DeliveryStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}
