import type { Config } from './config';
import { loadCodecUiKey } from './adapters/temporal/codec-ui-key';
import { AesGcmPayloadCodec } from './adapters/temporal/payload-codec';
import { payloadKeyringFor } from './adapters/temporal/data-converter';
import type { CodecServerSettings } from './gateway/codec/routes';

/**
 * Part of the composition root (the gateway's codec routes get a codec, never the adapters). The codec server's
 * settings from the configuration: the workers' keys (PAYLOAD_KEYS), the Web UI's endpoint key
 * (CODEC_UI_KEY), its origin (TEMPORAL_UI_ORIGIN; unset: the local dev server's UI, `npm start`'s) and its sign-in
 * (CODEC_JWKS_URL, CODEC_JWT_ISSUER, CODEC_JWT_AUDIENCE).
 */
export function codecServerSettings(config: Config): CodecServerSettings {
  const { env } = config;
  const uiOrigins = env.TEMPORAL_UI_ORIGIN
    ? env.TEMPORAL_UI_ORIGIN.split(',').map((origin) => origin.trim().replace(/\/$/, ''))
    : [`http://localhost:${env.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`];
  return {
    codec: new AesGcmPayloadCodec(payloadKeyringFor(env)),
    uiKey: loadCodecUiKey(env.CODEC_UI_KEY, env.DATA_DIR),
    uiOrigins,
    oidc: env.CODEC_JWKS_URL ? { jwksUrl: env.CODEC_JWKS_URL, issuer: env.CODEC_JWT_ISSUER, audience: env.CODEC_JWT_AUDIENCE } : undefined,
  };
}

/** The endpoint to give a Web UI that reaches this gateway at `gatewayUrl`. */
export function uiCodecEndpoint(gatewayUrl: string, uiKey: string): string {
  return `${gatewayUrl.replace(/\/$/, '')}/codec/ui/${uiKey}`;
}
