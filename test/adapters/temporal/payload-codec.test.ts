import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../../src/adapters/temporal/payload-codec';
import { createOnce, formatPayloadKeys, loadPayloadKeys, parsePayloadKeys, PayloadKeysError } from '../../../src/adapters/temporal/payload-keys';
import { loadConfig, ConfigError } from '../../../src/config';

/** The payload codec on its own: AES-256-GCM under key ids, rotation, and refusals that name the key. */
const key = () => randomBytes(32).toString('base64');
const ring = (text: string) => new AesGcmPayloadCodec(parsePayloadKeys(text));
const words = { text: 'Hi, this is Maria Lopez at +15551234567, can I come Friday?' };
const payload = () => defaultPayloadConverter.toPayload(words);
const utf8 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('AesGcmPayloadCodec', () => {
  it('hides the value and its encoding; decodes back to the same payload', async () => {
    const codec = ring(`k1:${key()}`);
    const [encrypted] = await codec.encode([payload()]);
    expect(utf8(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(utf8(encrypted!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Object.keys(encrypted!.metadata!)).toEqual(['encoding', KEY_ID_METADATA]);
    const raw = Buffer.from(encrypted!.data!).toString('latin1');
    for (const secret of ['Maria', '5551234567', 'Friday', 'json/plain']) expect(raw).not.toContain(secret);
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(words);
  });

  it('encrypts the same value differently every time (a fresh IV per payload)', async () => {
    const codec = ring(`k1:${key()}`);
    const [a, b] = await codec.encode([payload(), payload()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: the first key encrypts, older keys still decrypt what they wrote', async () => {
    const oldKey = key();
    const before = ring(`old:${oldKey}`);
    const [written] = await before.encode([payload()]);
    const after = ring(`new:${key()},old:${oldKey}`);
    expect(defaultPayloadConverter.fromPayload((await after.decode([written!]))[0]!)).toEqual(words);
    const [rewritten] = await after.encode([payload()]);
    expect(utf8(rewritten!.metadata![KEY_ID_METADATA])).toBe('new');
  });

  it('refuses a payload whose key is missing, naming the key id and the fix', async () => {
    const [written] = await ring(`old:${key()}`).encode([payload()]);
    const error = await ring(`new:${key()}`).decode([written!]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    expect((error as PayloadDecryptionError).keyId).toBe('old');
    expect((error as Error).message).toMatch(/key "old", which is not in PAYLOAD_KEYS .*add "old:<its base64 key>" back/);
  });

  it('refuses a wrong key under the right id (never garbage), naming the key id', async () => {
    const [written] = await ring(`k1:${key()}`).encode([payload()]);
    await expect(ring(`k1:${key()}`).decode([written!])).rejects.toThrow(/key "k1" does not decrypt with the key PAYLOAD_KEYS has under that id/);
  });

  it('refuses a payload relabelled with another key id (the id is authenticated)', async () => {
    const k = key();
    const [written] = await ring(`a:${k}`).encode([payload()]);
    const relabelled = { ...written!, metadata: { ...written!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(ring(`a:${k},b:${k}`).decode([relabelled])).rejects.toThrow(/key "b" does not decrypt/);
  });

  it('refuses altered ciphertext', async () => {
    const codec = ring(`k1:${key()}`);
    const [written] = await codec.encode([payload()]);
    const data = Buffer.from(written!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...written!, data }])).rejects.toThrow(PayloadDecryptionError);
  });

  it('passes unencrypted payloads through (histories written before encryption stay readable)', async () => {
    const plain = payload();
    expect(await ring(`k1:${key()}`).decode([plain])).toEqual([plain]);
  });
});

describe('PAYLOAD_KEYS', () => {
  it('parses id:base64 entries, the first encrypting', () => {
    const ring = parsePayloadKeys(` a:${key()},\n b:${key()} `);
    expect(ring.currentKeyId).toBe('a');
    expect([...ring.keys.keys()]).toEqual(['a', 'b']);
    expect(parsePayloadKeys(formatPayloadKeys(ring))).toEqual(ring);
  });

  it.each([
    ['no id', key(), /entry 1 has no valid key id/],
    ['a short key', `k1:${randomBytes(16).toString('base64')}`, /key "k1" must be 32 random bytes in base64 .*got 16 bytes/],
    ['not base64', 'k1:not base64 at all!', /key "k1" must be 32 random bytes/],
    ['a repeated id', `k1:${key()},k1:${key()}`, /key id "k1" appears twice/],
  ])('refuses %s with a message naming the entry', (_what, text, message) => {
    expect(() => parsePayloadKeys(text)).toThrow(PayloadKeysError);
    expect(() => parsePayloadKeys(text)).toThrow(message);
  });

  it('is a configuration error naming the variable, never echoing the key', () => {
    const secret = randomBytes(16).toString('base64');
    const error = (() => {
      try {
        loadConfig({ PAYLOAD_KEYS: `k1:${secret}` });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^Invalid environment — PAYLOAD_KEYS: key "k1" must be 32 random bytes/);
    expect(error!.message).not.toContain(secret);
  });

  it('unset: generated once into the data folder and kept (like key-secret)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payload-keys-'));
    const first = loadPayloadKeys(undefined, dir);
    expect(first.currentKeyId).toMatch(/^k\d{8}-[0-9a-f]{4}$/);
    expect(fs.statSync(path.join(dir, 'payload-keys')).mode & 0o777).toBe(0o600);
    expect(loadPayloadKeys(undefined, dir)).toEqual(first);
    // A second process creating the file at the same moment keeps the first one's key, whole.
    createOnce(path.join(dir, 'payload-keys'), `other:${key()}`);
    expect(loadPayloadKeys(undefined, dir)).toEqual(first);
    expect(fs.readdirSync(dir)).toEqual(['payload-keys']);
    const configured = `mine:${key()}`;
    expect(loadPayloadKeys(configured, dir).currentKeyId).toBe('mine');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
