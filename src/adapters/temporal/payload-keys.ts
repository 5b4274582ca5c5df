import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';

/**
 * The keys that encrypt Temporal payloads (PAYLOAD_KEYS: `id:base64key,…`). The first entry encrypts; every entry
 * decrypts, so a key can be rotated by putting a new one first and keeping the old one for as long as histories it
 * wrote are kept (the namespace's retention period).
 */
export interface PayloadKeyring {
  /** The id new payloads are encrypted under (the first entry). */
  readonly currentKeyId: string;
  /** Every key that may decrypt, by id: 32 bytes each (AES-256). */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A PAYLOAD_KEYS value or file that cannot be used; the message names the entry and the fix. */
export class PayloadKeysError extends Error {
  override name = 'PayloadKeysError';
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KEY_BYTES = 32;
const EXAMPLE = 'PAYLOAD_KEYS=k2026:$(openssl rand -base64 32)';

/** Parses `id:base64key,…` (whitespace and newlines between entries are allowed). `source` names where it came from. */
export function parsePayloadKeys(text: string, source = 'PAYLOAD_KEYS'): PayloadKeyring {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new PayloadKeysError(`${source} holds no key; set it as id:base64key, e.g. ${EXAMPLE}`);
  const keys = new Map<string, Buffer>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    const encoded = colon < 0 ? '' : entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      throw new PayloadKeysError(
        `${source}: entry ${index + 1} has no valid key id (1–64 of A–Z a–z 0–9 . _ -) before ":"; write entries as id:base64key, e.g. ${EXAMPLE}`,
      );
    }
    if (keys.has(id)) throw new PayloadKeysError(`${source}: key id "${id}" appears twice; each key needs its own id`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
      throw new PayloadKeysError(
        `${source}: key "${id}" must be ${KEY_BYTES} random bytes in base64 (44 characters; \`openssl rand -base64 32\`), got ${key.length} bytes`,
      );
    }
    keys.set(id, key);
  }
  return { currentKeyId: entries[0]!.slice(0, entries[0]!.indexOf(':')), keys };
}

/** The keyring in PAYLOAD_KEYS form: what the generated file holds. */
export function formatPayloadKeys(ring: PayloadKeyring): string {
  const ids = [ring.currentKeyId, ...[...ring.keys.keys()].filter((id) => id !== ring.currentKeyId)];
  return ids.map((id) => `${id}:${ring.keys.get(id)!.toString('base64')}`).join(',');
}

/** A fresh key under a dated id (`k20261129-1a2b`), so a rotation's keys sort and read by age. */
export function generatePayloadKey(now = new Date()): { id: string; key: Buffer } {
  return { id: `k${DateTime.fromJSDate(now, { zone: 'utc' }).toFormat('yyyyMMdd')}-${randomBytes(2).toString('hex')}`, key: randomBytes(KEY_BYTES) };
}

/**
 * The keyring from PAYLOAD_KEYS when set (production: every worker, client and codec server must share it);
 * otherwise generated once into `<dataDir>/payload-keys` (like `key-secret`), so histories stay readable across
 * restarts. Losing that file makes every encrypted history unreadable.
 */
export function loadPayloadKeys(configured: string | undefined, dataDir: string): PayloadKeyring {
  if (configured) return parsePayloadKeys(configured);
  const file = path.join(dataDir, 'payload-keys');
  if (!fs.existsSync(file)) {
    const { id, key } = generatePayloadKey();
    createOnce(file, `${id}:${key.toString('base64')}\n`);
  }
  return parsePayloadKeys(fs.readFileSync(file, 'utf8'), file);
}

/**
 * Creates `file` with `content` unless it exists, atomically: a worker and a gateway started at once on one data
 * folder (`npm run chaos`) must end up with the same key, and neither may read a half-written file. The content is
 * written under a temporary name and hard-linked into place, which fails if another process got there first.
 */
export function createOnce(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
