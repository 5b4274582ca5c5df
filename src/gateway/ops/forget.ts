import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { CustomerIdentity } from '../../domain/messaging/addressing';
import { appointmentWorkflowId } from '../../domain/messaging/addressing';
import type { Logger } from 'pino';
import { ErrorBody, errorResponse } from '../errors';
import { validationHook } from '../validation';
import { requireOpsToken } from './auth';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

/** A kept booking, as forgetting leaves it. */
export interface KeptBooking {
  id: string;
  serviceId: string;
  providerId: string;
  start: string;
  end: string;
  status: string;
}

/** The customer's rows in the worker's database (src/adapters/customer-records.ts). */
export interface CustomerRecordsPort {
  bookingIds(customerKey: string): Promise<string[]>;
  forget(request: { customerKey: string; conversationIds: readonly string[]; addresses: readonly string[] }): Promise<{
    ledger: {
      anonymousKey: string | null;
      bookingIds: string[];
      deleted: { customers: number; conversationMemories: number; conversationNotices: number; idempotencyRecords: number; waitlistEntries: number };
    };
    outboxMessages: number;
    keptBookings: KeptBooking[];
  }>;
}

/** Workflow histories in Temporal (src/adapters/temporal/history-eraser.ts). */
export interface HistoryErasurePort {
  /** Deletes every run of these workflows (ending running ones); the runs it deleted. */
  erase(workflowIds: readonly string[]): Promise<{ workflowId: string; runId: string }[]>;
}

/** What forgetting needs; the gateway's deps provide it. */
export interface ForgetDeps {
  opsToken?: string;
  logger: Logger;
  addressing: { identify(address: string): CustomerIdentity };
  /** Unset (a lone gateway on PGlite): forgetting is refused with 503. */
  customerRecords?: CustomerRecordsPort;
  histories?: HistoryErasurePort;
}

const Forgotten = z
  .object({
    forgotten: z.object({
      conversations: z.array(z.string()).openapi({ description: 'conversation workflow ids whose histories were deleted from Temporal' }),
      appointments: z.array(z.string()).openapi({ description: 'appointment workflow ids whose histories were deleted from Temporal' }),
      temporalRuns: z.number().int(),
      ledger: z.object({
        customers: z.number().int(),
        conversationMemories: z.number().int(),
        conversationNotices: z.number().int(),
        idempotencyRecords: z.number().int(),
        waitlistEntries: z.number().int(),
      }),
      outboxMessages: z.number().int(),
    }),
    kept: z.object({
      customerKey: z.string().nullable().openapi({ description: 'the anonymous key the kept bookings now carry' }),
      bookings: z.array(z.object({ id: z.string(), service: z.string(), provider: z.string(), start: z.string(), end: z.string(), status: z.string() })),
    }),
  })
  .openapi('ForgottenCustomer');

const forgetRoute = createRoute({
  method: 'delete',
  path: '/customers',
  summary: 'Forget a customer: transcripts and personal data removed, bookings kept anonymised',
  description:
    'Deletes the customer\'s conversation and appointment histories from Temporal (running ones are ended first), their ' +
    'record, conversation memories, notices, waitlist entries and messages from the ledger and outbox; their bookings ' +
    'stay (times, service, provider, status) under an anonymous key so the calendar stays right.',
  security: [{ bearer: [] }],
  request: {
    query: z.object({
      address: z.string().min(1).max(200).openapi({ description: 'E.164 number, whatsapp:+… address, or chat:<sessionId>' }),
    }),
  },
  responses: {
    200: { description: 'What was forgotten and what remains', content: json(Forgotten) },
    400: { description: 'Not an address', content: json(ErrorBody) },
    401: { description: 'Missing or wrong bearer token', content: json(ErrorBody) },
    503: { description: 'This gateway cannot reach the ledger', content: json(ErrorBody) },
  },
});

/**
 * `DELETE /api/ops/customers?address=…` (bearer OPS_TOKEN): forgets a customer. Temporal first (a conversation still
 * running would otherwise write its memory back to the ledger when it ends), then the ledger and outbox.
 */
export function createForgetRoutes(deps: ForgetDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use('/customers', requireOpsToken(deps.opsToken));
  app.openapi(forgetRoute, async (c) => {
    let who: CustomerIdentity;
    try {
      who = deps.addressing.identify(c.req.valid('query').address);
    } catch {
      return errorResponse(c, 400, 'invalid_address', 'address must be an E.164 number such as +15551234567, whatsapp:+15551234567, or chat:<sessionId>');
    }
    if (!deps.customerRecords || !deps.histories) {
      return errorResponse(c, 503, 'forget_unavailable', 'this gateway cannot reach the ledger: run it with DATABASE_URL (the workers\' database), or forget through npm start');
    }
    const bookingIds = await deps.customerRecords.bookingIds(who.customerKey);
    const appointments = bookingIds.map(appointmentWorkflowId);
    const erased = await deps.histories.erase([...who.conversationIds, ...appointments]);
    // Messages went to the number on SMS and voice, and to whatsapp:<number> on WhatsApp.
    const addresses = who.phone ? [who.phone, `whatsapp:${who.phone}`] : [];
    const records = await deps.customerRecords.forget({ customerKey: who.customerKey, conversationIds: who.conversationIds, addresses });
    const erasedIds = new Set(erased.map((run) => run.workflowId));
    deps.logger.info({ conversations: who.conversationIds.filter((id) => erasedIds.has(id)).length, bookings: bookingIds.length }, 'customer forgotten');
    return c.json(
      {
        forgotten: {
          conversations: who.conversationIds.filter((id) => erasedIds.has(id)),
          appointments: appointments.filter((id) => erasedIds.has(id)),
          temporalRuns: erased.length,
          ledger: records.ledger.deleted,
          outboxMessages: records.outboxMessages,
        },
        kept: {
          customerKey: records.ledger.anonymousKey,
          bookings: records.keptBookings.map((b) => ({ id: b.id, service: b.serviceId, provider: b.providerId, start: b.start, end: b.end, status: b.status })),
        },
      },
      200,
    );
  });
  return app;
}
