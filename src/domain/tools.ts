import { z } from 'zod';
import type { ClosedNotice } from './booking/closed-day';
import { frontDeskToolDescriptions, frontDeskToolSchemaBuilders, type FrontDeskToolResults } from './front-desk-tools';

/**
 * The tools: the contract between the model (or the offline interpreter), the conversation workflow and the
 * booking engine. Narrow on purpose: identity never appears here, it comes from the channel.
 */

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date as YYYY-MM-DD');
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM (24 h)');
export const instant = z.iso.datetime({ offset: true, message: 'an ISO-8601 instant with offset' });
export const timeWindow = z.object({ start: localTime, end: localTime });
export const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekday>;

/**
 * Each tool's argument schema, built the first time it is needed. Workflow code parses tool calls, and the workflow
 * sandbox evaluates its modules again for every workflow it creates: built at module load, the ~17 schemas cost every
 * conversation, appointment and waitlist workflow its first milliseconds (1.5 s of the workflow thread's CPU in a
 * 50-customer bench), though a turn uses two or three of them and most workflows none.
 */
const toolSchemaBuilders = {
  get_availability: () => z.object({
    service: z.string().min(1).describe('service id from the catalogue'),
    date: isoDate.optional().describe('local date in the customer zone; omit for the next days'),
    time: localTime.optional().describe('preferred local time'),
    window: timeWindow.optional().describe('acceptable local time window'),
    provider: z.string().optional().describe('provider id, if the customer asked for someone'),
    dateTo: isoDate.optional().describe('last local date of a range, inclusive ("next week", "in the next two weeks"); `date` is the first'),
    weekdays: z.array(weekday).min(1).max(7).optional().describe('only these days of the week ("weekdays", "Thursday or Friday", "not Monday" = the others)'),
    excludeDates: z.array(isoDate).max(31).optional().describe('local dates the customer ruled out'),
    forBooking: z.string().min(1).optional().describe("when moving a booking: its id, so its own time does not count as taken"),
  }),
  hold_slot: () => z.object({
    service: z.string().min(1),
    provider: z.string().min(1),
    start: instant.describe('the start of a slot returned by get_availability'),
  }),
  confirm_booking: () => z.object({ bookingId: z.string().min(1).describe('the id of the current hold') }),
  release_hold: () => z.object({ bookingId: z.string().min(1).describe('the id of the current hold') }),
  get_booking: () => z.object({ bookingId: z.string().min(1) }),
  list_my_bookings: () => z.object({}),
  cancel_booking: () => z.object({ bookingId: z.string().min(1) }),
  reschedule_booking: () => z.object({
    bookingId: z.string().min(1),
    start: instant.describe('the start of a slot returned by get_availability'),
    provider: z.string().optional(),
  }),
  confirm_change: () => z.object({
    bookingId: z.string().min(1).describe('the booking whose cancellation or move was read back'),
    change: z.enum(['cancel', 'move']).describe('what was read back: cancel or move'),
  }),
  keep_booking: () => z.object({ bookingId: z.string().min(1).describe('the booking whose cancellation or move was read back') }),
  escalate_to_human: () => z.object({ reason: z.string().min(1).max(500) }),
  ...frontDeskToolSchemaBuilders,
  join_waitlist: () => z.object({
    service: z.string().min(1).describe('service id from the catalogue'),
    provider: z.string().optional().describe('provider id, if the customer wants only them'),
    dateFrom: isoDate.describe('first local date the customer can come'),
    dateTo: isoDate.describe('last local date the customer can come (the same as dateFrom for one day)'),
    window: timeWindow.optional().describe('local bounds of an acceptable start time'),
  }),
} as const;

export type ToolName = keyof typeof toolSchemaBuilders;
export type ToolSchema<N extends ToolName> = ReturnType<(typeof toolSchemaBuilders)[N]>;
export type ToolArgs<N extends ToolName> = z.infer<ToolSchema<N>>;
export const TOOL_NAMES = Object.keys(toolSchemaBuilders) as ToolName[];

const builtSchemas = new Map<ToolName, z.ZodType>();

/** The argument schema of one tool (built once per sandbox, on first use). */
export function toolSchema<N extends ToolName>(name: N): ToolSchema<N> {
  let schema = builtSchemas.get(name);
  if (!schema) {
    schema = toolSchemaBuilders[name]();
    builtSchemas.set(name, schema);
  }
  return schema as ToolSchema<N>;
}

export const toolDescriptions: Record<ToolName, string> = {
  get_availability:
    'Find free slots for a service: on a date or a range of dates (date … dateTo), near a time, in a window, on some weekdays only, leaving out dates the customer ruled out, or with a provider. When moving a booking pass forBooking.',
  hold_slot: 'Hold one offered slot for the customer while they confirm. Only slots returned by get_availability.',
  confirm_booking: 'Confirm the current hold after the customer said yes to the exact date and time read back.',
  release_hold: 'Let go of the current hold when the customer does not want it.',
  get_booking: "Read one of this customer's bookings.",
  list_my_bookings: "List this customer's bookings.",
  cancel_booking:
    "Ask to cancel one of this customer's bookings: reads the booking back and asks the customer. Nothing is cancelled until they say yes in a later message (confirm_change).",
  reschedule_booking:
    "Ask to move one of this customer's bookings to an offered slot: holds the new time and reads the move back. The booking moves only when they say yes in a later message (confirm_change).",
  confirm_change:
    'Carry out the cancellation or move read back in an earlier message, after the customer said yes to it. Refused in the same message as the read-back.',
  keep_booking: 'The customer said no to the cancellation or move read back: keep the booking as it is (a held new time is let go).',
  escalate_to_human: 'Hand the conversation to a human member of staff.',
  ...frontDeskToolDescriptions,
  join_waitlist:
    'Put the customer on the waitlist for a full day or window: when a matching time frees up it is held for them and offered on their channel, first come first served.',
};

/** A tool call as a model proposes it: arguments are raw JSON text, validated before anything runs. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ParsedToolCall = { [N in ToolName]: { id: string; name: N; args: ToolArgs<N> } }[ToolName];

/** Parses and validates a proposed call; the error text goes back to the model. */
export function parseToolCall(call: ToolCall): { ok: true; call: ParsedToolCall } | { ok: false; error: string } {
  if (!(call.name in toolSchemaBuilders)) return { ok: false, error: `unknown tool "${call.name}"; use one of ${TOOL_NAMES.join(', ')}` };
  let raw: unknown;
  try {
    raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch {
    return { ok: false, error: `arguments of ${call.name} are not valid JSON` };
  }
  const name = call.name as ToolName;
  const result = toolSchema(name).safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { ok: false, error: `invalid arguments for ${name}: ${detail}` };
  }
  return { ok: true, call: { id: call.id, name, args: result.data } as ParsedToolCall };
}

/** A booking as tools and the conversation state show it: ids, ISO instants, customer-facing status. */
export interface BookingView {
  id: string;
  service: string;
  provider: string;
  start: string;
  end: string;
  status: 'confirmed' | 'cancelled' | 'completed' | 'no_show';
}

export interface HoldView {
  bookingId: string;
  service: string;
  provider: string;
  start: string;
  end: string;
  expiresAt: string;
}

export interface SlotView {
  service: string;
  provider: string;
  start: string;
  end: string;
}

/**
 * A change to a booking read back to the customer and waiting for their yes or no: a cancellation (with the policy
 * that applies to it), or a move with the new time already held for them. Nothing changes until `confirm_change`.
 */
export type ChangeProposal =
  | {
      change: 'cancel';
      booking: BookingView;
      /** The cancellation notice the business asks; this booking is further away than that (else it was refused). */
      cancellationNoticeHours: number;
    }
  | { change: 'move'; booking: BookingView; hold: HoldView };

/** A waitlist entry as tools show it: what the customer waits for, in their zone. */
export interface WaitlistView {
  id: string;
  service: string;
  provider?: string;
  dateFrom: string;
  dateTo: string;
  window?: { start: string; end: string };
  status: 'waiting' | 'booked' | 'expired' | 'left';
}

/** What an availability check searched, as the customer asked it (local dates and times in their zone). */
export interface AvailabilityRequested {
  date?: string;
  dateTo?: string;
  time?: string;
  window?: { start: string; end: string };
  weekdays?: Weekday[];
  excludeDates?: string[];
}

/** A refusal the customer can be told about; `code` is a Rejection code or a validation code. */
export interface ToolError {
  ok: false;
  error: string;
  message: string;
  /** Structured details for templates, e.g. {cancellationNoticeHours: 24}. */
  details?: Record<string, unknown>;
  /** Offers the engine makes instead, e.g. nearest free slots. */
  alternatives?: SlotView[];
}

/**
 * What each tool returns, as JSON in the tool message the model reads next. Built by the conversation workflow
 * from the ledger's answers only, so every fact a template states comes from here.
 */
export interface ToolResults extends FrontDeskToolResults {
  get_availability:
    | {
        ok: true;
        requested: AvailabilityRequested;
        exact: SlotView | null;
        alternatives: SlotView[];
        /** The day asked for is closed for this service (weekly, a holiday, a staff closure): the offers are the next open days'. */
        closed?: ClosedNotice;
      }
    | ToolError;
  hold_slot: { ok: true; hold: HoldView } | ToolError;
  confirm_booking: { ok: true; booking: BookingView } | ToolError;
  release_hold: { ok: true; released: HoldView } | ToolError;
  get_booking: { ok: true; booking: BookingView } | ToolError;
  list_my_bookings: { ok: true; bookings: BookingView[] } | ToolError;
  /** A read-back awaiting yes or no; `booking` alone: cancelled at once (histories from before read-backs). */
  cancel_booking: { ok: true; proposed: ChangeProposal } | { ok: true; booking: BookingView } | ToolError;
  /** A read-back with the new time held; `booking` + `previous`: moved at once (histories from before read-backs). */
  reschedule_booking: { ok: true; proposed: ChangeProposal } | { ok: true; booking: BookingView; previous: BookingView } | ToolError;
  confirm_change: { ok: true; change: 'cancel'; booking: BookingView } | { ok: true; change: 'move'; booking: BookingView; previous: BookingView } | ToolError;
  keep_booking: { ok: true; kept: BookingView; released: HoldView | null } | ToolError;
  escalate_to_human: { ok: true } | ToolError;
  join_waitlist: { ok: true; entry: WaitlistView } | ToolError;
}
export type ToolResult<N extends ToolName = ToolName> = ToolResults[N];
