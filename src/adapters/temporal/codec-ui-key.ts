import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The secret last segment of the codec endpoint the Temporal Web UI is given (`…/codec/ui/<key>`): the UI's browser
 * code cannot send the operator token, so the endpoint itself is the credential, readable only by whoever can open
 * the UI. From CODEC_UI_KEY when set (production: every gateway and the UI's configuration share it); otherwise
 * generated once under the data directory, like `key-secret`.
 */
export function loadCodecUiKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'codec-ui-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  } catch {
    // Another process created it first: use theirs.
  }
  return fs.readFileSync(file, 'utf8').trim();
}
