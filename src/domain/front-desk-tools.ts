import { z } from 'zod';
import { DESK_TOPICS, type DeskFacts } from './booking/front-desk';
import { isPersonName } from './language/names';
import type { BookingView, ToolError } from './tools';

/**
 * The front desk's tools (part of the tool contract in tools.ts): facts from the business file, a late arrival
 * passed on to staff, and the customer's name kept with them. Identity still comes from the channel.
 */

/** Builders, like the other tools' (tools.ts): each schema is built when first needed. */
export const frontDeskToolSchemaBuilders = {
  get_business_info: () => z.object({
    topic: z.enum(DESK_TOPICS).describe('what the customer asks about'),
    service: z.string().optional().describe('service id, when the question is about one service'),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date as YYYY-MM-DD')
      .optional()
      .describe('for hours: the local date asked about'),
  }),
  report_running_late: () => z.object({
    minutes: z.number().int().min(1).max(240).optional().describe('how late the customer says they will be'),
  }),
  save_customer_name: () => z.object({
    name: z
      .string()
      .min(1)
      .max(60)
      .refine(isPersonName, 'not a person\'s name: pass only the name the customer gave ("Maria Lopez"), never other words')
      .describe("the customer's name exactly as they gave it"),
  }),
} as const;

export const frontDeskToolDescriptions = {
  get_business_info:
    "Read the business's own facts: prices and durations of services, opening hours, address, directions, whether walk-ins are taken. The system tells the customer the answer; when the business has not written the fact down, offer escalate_to_human.",
  report_running_late: "The customer says they will be late for today's appointment: tell staff; the booking stays as it is.",
  save_customer_name: 'Keep the name the customer gave for themselves (only when they actually gave one).',
} as const;

export interface FrontDeskToolResults {
  get_business_info: { ok: true; facts: DeskFacts } | ToolError;
  /** `booking`: the appointment staff were told about; null when the customer has none in the next hours. */
  report_running_late: { ok: true; booking: BookingView | null; minutes?: number } | ToolError;
  save_customer_name: { ok: true; name: string } | ToolError;
}
