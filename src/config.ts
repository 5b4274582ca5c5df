import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BusinessConfigError, parseBusiness, type Business } from './domain/booking/business';
import { parseStaffPasswords } from './gateway/staff/session';
import { PayloadKeysError, parsePayloadKeys } from './adapters/temporal/payload-keys';

/**
 * The environment contract of DESIGN.md, validated once at start. Each error names the variable and the fix,
 * so a misconfigured deployment ends with one readable line instead of a stack trace.
 */

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const url = (name: string, example: string) =>
  optionalString.refine((value) => value === undefined || URL.canParse(value), {
    message: `${name} must be an absolute URL such as ${example}`,
  });

const envSchema = z.object({
  PORT: z.coerce
    .number({ message: 'PORT must be a number' })
    .int()
    .min(0, 'PORT must be between 0 and 65535')
    .max(65535, 'PORT must be between 0 and 65535')
    .default(3000),
  TEMPORAL_ADDRESS: optionalString.refine((v) => v === undefined || /^[^\s:/]+(:\d+)?$/.test(v), {
    message: 'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233',
  }),
  TEMPORAL_NAMESPACE: optionalString.transform((v) => v ?? 'default'),
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS: optionalString.transform((v) => v === 'true' || v === '1'),
  TEMPORAL_TASK_QUEUE: optionalString.transform((v) => v ?? 'booking'),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  DATABASE_URL: url('DATABASE_URL', 'postgres://user:pass@localhost:5432/booking'),
  DATA_DIR: optionalString.transform((v) => path.resolve(v ?? '.data')),
  LLM_BASE_URL: url('LLM_BASE_URL', 'https://api.openai.com/v1'),
  LLM_API_KEY: optionalString,
  OPENAI_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_FROM: optionalString,
  TWILIO_API_BASE_URL: url('TWILIO_API_BASE_URL', 'https://api.twilio.com'),
  PUBLIC_BASE_URL: url('PUBLIC_BASE_URL', 'https://booking.example.com'),
  GOOGLE_CALENDAR_ID: optionalString,
  GOOGLE_APPLICATION_CREDENTIALS: optionalString,
  OPS_TOKEN: optionalString,
  /** Staff desk sign-in per person: "Dana:password,Sam:password" (see src/gateway/staff/session.ts). */
  STAFF_PASSWORDS: optionalString.superRefine((value, ctx) => {
    try {
      parseStaffPasswords(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  KEY_SECRET: optionalString,
  // Email (confirmations, invitations, reminders, waitlist offers); unset: emails go to the local outbox.
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v) && URL.canParse(v), {
    message: 'SMTP_URL must be smtp://user:pass@host:587 or smtps://user:pass@host:465',
  }),
  MAIL_FROM: optionalString.refine((v) => v === undefined || /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(v), {
    message: 'MAIL_FROM must be an address such as bookings@example.com or "Studio <bookings@example.com>"',
  }),
  // Payload encryption keys, id:base64key,… (the first encrypts); unset: generated once under DATA_DIR.
  PAYLOAD_KEYS: optionalString.superRefine((value, ctx) => {
    if (value === undefined) return;
    try {
      parsePayloadKeys(value);
    } catch (error) {
      if (!(error instanceof PayloadKeysError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message.replace(/^PAYLOAD_KEYS: /, '') });
    }
  }),
  // The secret path segment of the codec endpoint the Web UI is given; unset: generated once under DATA_DIR.
  CODEC_UI_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{32,128}$/.test(v), {
    message: 'CODEC_UI_KEY must be 32–128 URL-safe characters (A–Z a–z 0–9 _ -), e.g. `openssl rand -hex 32`',
  }),
  // The Web UI's sign-in (OIDC) whose access tokens the codec server accepts when the UI forwards them.
  CODEC_JWKS_URL: url('CODEC_JWKS_URL', 'https://login.example.com/.well-known/jwks.json'),
  CODEC_JWT_ISSUER: optionalString,
  CODEC_JWT_AUDIENCE: optionalString,
  // Origins allowed to call the codec server from a browser (the Temporal Web UI's), comma-separated.
  TEMPORAL_UI_ORIGIN: optionalString.refine(
    (v) => v === undefined || v.split(',').every((o) => URL.canParse(o.trim()) && new URL(o.trim()).origin === o.trim().replace(/\/$/, '')),
    { message: 'TEMPORAL_UI_ORIGIN must be the Web UI origin(s), comma-separated, e.g. https://temporal-ui.example.com' },
  ),
  BUSINESS_CONFIG: optionalString.transform((v) => path.resolve(v ?? 'config/business.json')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env;
  business: Business;
  temporal: { address?: string; namespace: string; apiKey?: string; tls: boolean; taskQueue: string };
  model: { kind: 'offline' } | { kind: 'openai'; baseURL?: string; apiKey: string; model: string };
  twilio: { authToken?: string; accountSid?: string; from?: string; apiBaseUrl?: string; publicBaseUrl?: string };
  /** SMTP when `smtpUrl` is set; otherwise emails stay in the local outbox. `from` is also the invitations' ORGANIZER. */
  email: { smtpUrl?: string; from: string };
}

/** A configuration problem; the message names the field and says how to fix it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment — ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const business = loadBusiness(env.BUSINESS_CONFIG);
  const apiKey = env.LLM_API_KEY ?? env.OPENAI_API_KEY;
  if (env.LLM_MODEL && !apiKey && !env.LLM_BASE_URL) {
    throw new ConfigError(
      'LLM_MODEL is set but neither LLM_API_KEY/OPENAI_API_KEY nor LLM_BASE_URL is: set a key for a hosted model, ' +
        'or LLM_BASE_URL for a local one (Ollama, vLLM, llama.cpp), or unset LLM_MODEL to use the offline interpreter',
    );
  }
  if (env.SMTP_URL && !env.MAIL_FROM) {
    throw new ConfigError('SMTP_URL is set but MAIL_FROM is not: set MAIL_FROM to the sender address, e.g. "Studio <bookings@example.com>"');
  }
  return {
    env,
    business,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: env.TEMPORAL_TLS || Boolean(env.TEMPORAL_API_KEY),
      taskQueue: env.TEMPORAL_TASK_QUEUE,
    },
    model: env.LLM_MODEL
      ? { kind: 'openai', baseURL: env.LLM_BASE_URL, apiKey: apiKey ?? 'not-needed', model: env.LLM_MODEL }
      : { kind: 'offline' },
    twilio: {
      authToken: env.TWILIO_AUTH_TOKEN,
      accountSid: env.TWILIO_ACCOUNT_SID,
      from: env.TWILIO_FROM,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
      publicBaseUrl: env.PUBLIC_BASE_URL,
    },
    email: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM ?? `${business.name.replace(/[<>"]/g, '')} <bookings@localhost>` },
  };
}

function loadBusiness(file: string): Business {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`BUSINESS_CONFIG: cannot read ${file}; point BUSINESS_CONFIG at a business JSON file (see config/business.json)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`BUSINESS_CONFIG: ${file} is not valid JSON (${(error as Error).message}); fix the syntax`);
  }
  try {
    return parseBusiness(json, file);
  } catch (error) {
    if (error instanceof BusinessConfigError) throw new ConfigError(error.message);
    throw error;
  }
}
