import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The secret behind opaque conversation keys. From KEY_SECRET when set (production: all gateways must share it);
 * otherwise generated once and kept under the data directory, so keys stay stable across restarts.
 */
export function loadKeySecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'key-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}

/**
 * The workflow key of a web chat session. The session id is the only key to its transcript, so the id shown in the
 * Web UI is a keyed hash of it: seeing a workflow id never lets anyone read or write the chat.
 */
export function chatSessionKey(secret: string, sessionId: string): string {
  return createHmac('sha256', secret).update(`booking-orchestrator/chat-session/v1\n${sessionId}`).digest('hex').slice(0, 32);
}

/** A new chat session id: 256 random bits, URL-safe. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}
