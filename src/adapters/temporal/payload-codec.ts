import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKeyring } from './payload-keys';

/**
 * Encrypts every Temporal payload with AES-256-GCM: workflow and activity inputs and results, signal, update and
 * query arguments and answers, memos, user metadata (summaries, details) and failures' encoded attributes. What the
 * server stores, and what the Web UI shows without the codec server, is ciphertext under a key id.
 *
 * The whole payload (its metadata included, so a value's JSON encoding is hidden too) is serialized and encrypted;
 * the result carries only `encoding: binary/encrypted` and `encryption-key-id`. The key id is also bound into the
 * ciphertext as additional authenticated data: a payload relabelled with another id fails to decrypt instead of
 * being read under a key it was not written with. A payload that is not encrypted (written before encryption was
 * switched on) decodes as it is, so older histories stay readable.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** Bumping this would make every existing history unreadable: it is part of what each ciphertext authenticates. */
const AAD_PREFIX = 'booking-orchestrator/payload/v1\n';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An encrypted payload that this keyring cannot read; the message names the key id and what to do. */
export class PayloadDecryptionError extends ValueError {
  override name = 'PayloadDecryptionError';
  constructor(
    message: string,
    /** The key id the payload says it was encrypted under, when it says one. */
    readonly keyId: string | null,
  ) {
    super(message);
  }
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {
    if (!keyring.keys.has(keyring.currentKeyId)) throw new Error(`the current payload key "${keyring.currentKeyId}" is not in the keyring`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  /** Encrypts one payload under the current key. */
  encrypt(payload: Payload): Payload {
    const keyId = this.keyring.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys.get(keyId)!, iv);
    cipher.setAAD(text.encode(AAD_PREFIX + keyId));
    const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(keyId) },
      data,
    };
  }

  /** Decrypts one payload, or returns it unchanged when it is not encrypted. Never returns garbage: throws instead. */
  decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || utf8.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!idBytes) {
      throw new PayloadDecryptionError(`an encrypted payload carries no "${KEY_ID_METADATA}": it was not written by this codec and cannot be read`, null);
    }
    const keyId = utf8.decode(idBytes);
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyId}", which is not in PAYLOAD_KEYS (it has ${[...this.keyring.keys.keys()].map((k) => `"${k}"`).join(', ')}): ` +
          `add "${keyId}:<its base64 key>" back to PAYLOAD_KEYS after the current key; a rotated-out key must stay until the histories it wrote are past retention`,
        keyId,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`payload encrypted with key "${keyId}" is truncated (${data.length} bytes); it cannot be read`, keyId);
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(text.encode(AAD_PREFIX + keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${keyId}" does not decrypt with the key PAYLOAD_KEYS has under that id: the key was changed ` +
          `or the payload altered; restore the original "${keyId}" key (a new key needs a new id)`,
        keyId,
      );
    }
    return proto.temporal.api.common.v1.Payload.decode(plain);
  }
}
