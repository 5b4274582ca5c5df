import { z } from 'zod';
import { Duration, IANAZone } from 'luxon';

/**
 * The business configuration contract (DESIGN.md, "Business configuration"). Pure: parsing a value that was read
 * elsewhere. Every error names the field and says how to fix it.
 */

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export const WEEKDAYS: readonly Weekday[] = weekdays;

/**
 * The schemas, built on first use. Workflows import this module for the Business type and its look-ups but never parse
 * one, and the workflow sandbox evaluates every imported module again for each workflow it creates: building the
 * schemas at module load cost about 15 ms per workflow (CPU profile of `npm run bench`: 1.6 s of the workflow
 * thread's 22 s).
 */
function buildSchemas() {
  const clock = z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'use 24-hour "HH:MM", e.g. "09:00" or "17:30"');

  const interval = z
    .tuple([clock, clock])
    .refine(([start, end]) => start < end, { message: 'an opening interval must end after it starts, e.g. ["09:00","17:00"]' });

  const id = z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use a short lowercase id such as "haircut" or "dr-lee"');


  const ianaZone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
    message: 'must be an IANA time zone such as "America/New_York" or "Europe/Madrid"',
  });

  const isoDuration = z.string().refine((text) => Duration.fromISO(text).isValid, {
    message: 'must be an ISO-8601 duration such as "PT24H" or "PT2H"',
  });

  const serviceSchema = z.object({
    id,
    name: z.string().min(1),
    durationMinutes: z.number().int().positive().max(24 * 60),
    bufferMinutes: z.number().int().min(0).max(240).default(0),
    /** Other words customers use for this service; the offline interpreter matches them. */
    synonyms: z.array(z.string().min(1)).default([]),
    /** The name in other reply languages, e.g. {"es": "Corte de pelo"}; `name` is used where one is missing. */
    names: z.object({ es: z.string().min(1).optional() }).default({}),
    /** What it costs, in the front desk's currency; `from: true` when it varies ("from $80"). Unset: staff answer. */
    price: z.object({ amount: z.number().min(0).max(1_000_000), from: z.boolean().default(false) }).optional(),
  });

  const providerSchema = z.object({
    id,
    name: z.string().min(1),
    serviceIds: z.array(id).min(1, 'a provider must offer at least one service'),
    hours: z.object(Object.fromEntries(weekdays.map((d) => [d, z.array(interval).default([])])) as Record<
      Weekday,
      z.ZodDefault<z.ZodArray<typeof interval>>
    >),
  });

  const policiesSchema = z.object({
    minNoticeMinutes: z.number().int().min(0).default(60),
    maxDaysAhead: z.number().int().positive().max(366).default(60),
    cancellationNoticeHours: z.number().min(0).default(24),
    holdTtlSeconds: z.number().int().min(10).max(3600).default(90),
    reminderOffsets: z.array(isoDuration).default(['PT24H', 'PT2H']),
    noShowGraceMinutes: z.number().int().min(0).default(15),
    quietHours: z.object({ start: clock, end: clock }).default({ start: '21:00', end: '08:00' }),
    maxActiveBookingsPerCustomer: z.number().int().positive().default(3),
    /** Ask a customer whose name is unknown for one, once, after their first booking (never required to book). */
    askName: z.boolean().default(false),
    /** How long a freed slot stays held for one waitlisted customer before it is offered to the next. */
    waitlistOfferSeconds: z.number().int().min(30).max(24 * 3600).default(900),
    /**
     * Every customer message gets words back in bounded time: after `firstWordsSeconds` without a reply the customer is
     * told the assistant is still on it; a turn still unfinished after `capSeconds` is stopped, apologised for and
     * handed to staff (a model that keeps answering 429 cannot hold a customer for a minute).
     */
    turnBudget: z
      .object({ firstWordsSeconds: z.number().min(1).max(60).default(10), capSeconds: z.number().min(5).max(600).default(60) })
      .default({ firstWordsSeconds: 10, capSeconds: 60 }),
  });

  /** Free text the business writes in its reply languages: one string, or {"en": …, "es": …}. */
  const localizedText = z.union([
    z.string().min(1).max(500).transform((en) => ({ en, es: undefined as string | undefined })),
    z.object({ en: z.string().min(1).max(500), es: z.string().min(1).max(500).optional() }),
  ]);

  /**
   * What a front desk answers from this file and nothing else: prices (per service, above), address, directions,
   * walk-ins. A fact left out here is not guessed: the question goes to a person.
   */
  const frontDeskSchema = z.object({
    /** ISO 4217 code the service prices are in. */
    currency: z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code such as "USD" or "EUR"').default('USD'),
    address: z.string().min(1).max(300).optional(),
    /** How to get there: transit, parking, which door. */
    directions: localizedText.optional(),
    /** Whether customers can come without an appointment; unset: staff answer. */
    walkIns: z.object({ accepted: z.boolean(), note: localizedText.optional() }).optional(),
  });

  const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use "YYYY-MM-DD", e.g. "2026-12-24"');

  /**
   * Days the whole business is closed, besides what staff close from the staff desk: public holidays of a country
   * (and region), as the date-holidays package knows them, and single dates. Read in the business's zone.
   */
  const closuresSchema = z.object({
    holidays: z
      .object({
        /** ISO 3166-1 country code, e.g. "US", "ES". */
        country: z.string().regex(/^[A-Z]{2}$/, 'use a two-letter country code such as "US" or "ES"'),
        /** The country's region or state code, e.g. "NY" or "MD" (Madrid); unset: the national holidays only. */
        region: z.string().regex(/^[A-Z0-9]{1,4}$/, 'use the region code date-holidays knows, such as "NY" or "MD"').optional(),
        /** Which kinds of holidays close the business; default only public ones. */
        types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])).min(1).default(['public']),
      })
      .optional(),
    dates: z
      .array(z.union([isoDay.transform((date) => ({ date, reason: '' })), z.object({ date: isoDay, reason: z.string().max(200).default('') })]))
      .default([]),
  });

  const businessSchema = z
    .object({
      name: z.string().min(1),
      timezone: ianaZone,
      /** Language of replies when the customer's is unknown. */
      locale: z.enum(['en', 'es']).default('en'),
      /** Where hand-offs are announced to staff; unset: the outbox. */
      staffPhone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'use E.164, e.g. "+15551234567"').optional(),
      services: z.array(serviceSchema).min(1, 'list at least one service'),
      providers: z.array(providerSchema).min(1, 'list at least one provider'),
      policies: policiesSchema.default(policiesSchema.parse({})),
      closures: closuresSchema.default({ dates: [] }),
      frontDesk: frontDeskSchema.default({ currency: 'USD' }),
      /**
       * WhatsApp accepts only pre-approved templates outside the 24-hour customer-service window. Content SIDs of the
       * approved reminder and no-show templates; their variables are {{1}} the service and {{2}} the local date and time.
       */
      whatsappTemplates: z
        .object({
          reminder: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Twilio Content SID: "HX" + 32 hex digits').optional(),
          noShowFollowUp: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'a Twilio Content SID: "HX" + 32 hex digits').optional(),
        })
        .default({}),
    })
    .superRefine((business, ctx) => {
      const serviceIds = new Set(business.services.map((s) => s.id));
      business.providers.forEach((provider, i) => {
        provider.serviceIds.forEach((serviceId, j) => {
          if (!serviceIds.has(serviceId)) {
            ctx.addIssue({
              code: 'custom',
              path: ['providers', i, 'serviceIds', j],
              message: `unknown service "${serviceId}"; add it to "services" or remove it here`,
            });
          }
        });
      });
      for (const [list, name] of [
        [business.services, 'services'],
        [business.providers, 'providers'],
      ] as const) {
        const seen = new Set<string>();
        list.forEach((item, i) => {
          if (seen.has(item.id)) {
            ctx.addIssue({ code: 'custom', path: [name, i, 'id'], message: `duplicate id "${item.id}"; ids must be unique` });
          }
          seen.add(item.id);
        });
      }
    });
  return { serviceSchema, providerSchema, policiesSchema, frontDeskSchema, closuresSchema, businessSchema, localizedText };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
const schemas = (): Schemas => (built ??= buildSchemas());

export type Business = z.infer<Schemas['businessSchema']>;
export type Service = z.infer<Schemas['serviceSchema']>;
export type Provider = z.infer<Schemas['providerSchema']>;
export type Policies = z.infer<Schemas['policiesSchema']>;
export type FrontDesk = z.infer<Schemas['frontDeskSchema']>;
export type Closures = z.infer<Schemas['closuresSchema']>;
export type LocalizedText = z.infer<Schemas['localizedText']>;

/** Thrown when a business configuration is invalid; the message lists every bad field and its fix. */
export class BusinessConfigError extends Error {
  override name = 'BusinessConfigError';
}

/** Validates an already-parsed JSON value; `source` names the file in the error. */
export function parseBusiness(value: unknown, source = 'business configuration'): Business {
  const result = schemas().businessSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new BusinessConfigError(`${source} is invalid — ${problems.join('; ')}`);
}

export function findService(business: Business, serviceId: string): Service | undefined {
  return business.services.find((s) => s.id === serviceId);
}

export function findProvider(business: Business, providerId: string): Provider | undefined {
  return business.providers.find((p) => p.id === providerId);
}
