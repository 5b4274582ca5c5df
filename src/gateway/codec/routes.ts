import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { PayloadCodec } from '@temporalio/common';
import type { Context, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import { ErrorBody, errorResponse } from '../errors';
import { validationHook } from '../validation';
import { bearerOf, createTokenVerifier, sameSecret, type StaffCredentialOptions } from './staff-credentials';
import { CodecBody, fromWire, toWire } from './wire';

/** What the codec server needs; built by the composition root from PAYLOAD_KEYS and the Web UI settings. */
export interface CodecServerSettings extends Omit<StaffCredentialOptions, 'opsToken'> {
  codec: PayloadCodec;
  /** Browser origins allowed to call (the Temporal Web UI's); no other origin gets CORS headers. */
  uiOrigins: readonly string[];
}

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const errors = {
  400: { description: 'Not a codec request', content: json(ErrorBody) },
  401: { description: 'No staff credentials', content: json(ErrorBody) },
  422: { description: 'A payload this server cannot decrypt (the message names its key id)', content: json(ErrorBody) },
};
const UiKeyParam = z.object({ key: z.string().openapi({ param: { name: 'key', in: 'path' }, description: 'the Web UI endpoint key (CODEC_UI_KEY)' }) });

const route = (op: 'decode' | 'encode', viaUi: boolean) =>
  createRoute({
    method: 'post',
    path: viaUi ? `/ui/{key}/${op}` : `/${op}`,
    summary:
      (op === 'decode' ? 'Decrypt payloads for the Temporal Web UI or CLI' : 'Encrypt payloads (what the Web UI sends in a signal)') +
      (viaUi ? ' — the Web UI endpoint, keyed by CODEC_UI_KEY' : ' — bearer OPS_TOKEN or the UI sign-in token'),
    security: viaUi ? [] : [{ bearer: [] }],
    request: { ...(viaUi ? { params: UiKeyParam } : {}), body: { required: true, content: json(CodecBody) } },
    responses: { 200: { description: 'The payloads, in order', content: json(CodecBody) }, ...errors },
  });

/**
 * Temporal's codec server (POST /codec/decode and /codec/encode, and the same under /codec/ui/<key>/ for the Web
 * UI's configured endpoint), decoding only for staff: see staff-credentials.ts. The Web UI calls it from the
 * browser, so CORS answers the UI's origin and no other.
 */
export function createCodecRoutes(gateway: { codecServer?: CodecServerSettings; opsToken?: string; logger: Logger }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const settings = gateway.codecServer;
  if (!settings) {
    app.all('*', (c) => errorResponse(c, 404, 'codec_disabled', 'this gateway has no codec server: give it PAYLOAD_KEYS (the workers\' keys)'));
    return app;
  }
  const deps = { ...settings, opsToken: gateway.opsToken, logger: gateway.logger };
  const verifyToken = deps.oidc ? createTokenVerifier(deps.oidc) : undefined;

  app.use(
    '*',
    cors({
      origin: (origin) => (deps.uiOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['content-type', 'x-namespace', 'authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );
  // A history page asks for hundreds of payloads at once; Temporal's own limit is 2 MB a payload.
  app.use('*', bodyLimit({ maxSize: 16 * 1024 * 1024, onError: (c) => errorResponse(c, 413, 'body_too_large', 'codec requests are limited to 16 MiB; send fewer payloads at a time') }));

  const staffOnly = async (c: Context, next: Next) => {
    const viaUiKey = c.req.param('key');
    if (viaUiKey !== undefined) {
      if (sameSecret(viaUiKey, deps.uiKey)) return next();
    } else {
      const bearer = bearerOf(c.req.header('authorization'));
      if (bearer && (sameSecret(bearer, deps.opsToken) || (verifyToken && bearer.split('.').length === 3 && (await verifyToken(bearer))))) return next();
    }
    c.header('WWW-Authenticate', 'Bearer');
    return errorResponse(
      c,
      401,
      'unauthorized',
      'the codec server decodes for staff only: send Authorization: Bearer <OPS_TOKEN> (or the Web UI sign-in token), or use the Web UI endpoint with its key',
    );
  };
  app.use('/decode', staffOnly);
  app.use('/encode', staffOnly);
  app.use('/ui/:key/*', staffOnly);

  for (const viaUi of [false, true]) {
    app.openapi(route('decode', viaUi), async (c) => {
      try {
        return c.json(toWire(await deps.codec.decode(fromWire(c.req.valid('json')))), 200);
      } catch (error) {
        deps.logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'codec: a payload did not decode');
        return errorResponse(c, 422, 'undecodable_payload', (error as Error).message);
      }
    });
    app.openapi(route('encode', viaUi), async (c) => c.json(toWire(await deps.codec.encode(fromWire(c.req.valid('json')))), 200));
  }
  return app;
}
