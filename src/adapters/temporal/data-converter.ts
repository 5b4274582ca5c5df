import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './payload-codec';
import { loadPayloadKeys, type PayloadKeyring } from './payload-keys';

/**
 * The product's one data converter: every client, worker and codec server uses this, so nothing reaches Temporal
 * in plain text that a customer said or that identifies them. Payloads go through the AES-256-GCM codec; failures'
 * messages and stack traces are moved into an encoded (so encrypted) attribute. The workflow bundle is built with
 * the same failure converter (src/workflow-bundle.ts), since workflow code converts its own failures.
 */

/** The failure converter module: the SDK require()s it in the worker and client, and bundles it into the sandbox. */
export const FAILURE_CONVERTER_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../workflows/failure-converter.cjs');

export function createDataConverter(keyring: PayloadKeyring): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The keyring of this deployment: PAYLOAD_KEYS, or the key generated once under the data folder. */
export function payloadKeyringFor(env: { PAYLOAD_KEYS?: string; DATA_DIR: string }): PayloadKeyring {
  return loadPayloadKeys(env.PAYLOAD_KEYS, env.DATA_DIR);
}

/** The data converter of this deployment's configuration. */
export function dataConverterFor(env: { PAYLOAD_KEYS?: string; DATA_DIR: string }): DataConverter {
  return createDataConverter(payloadKeyringFor(env));
}
