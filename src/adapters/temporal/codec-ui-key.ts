import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createOnce } from './payload-keys';

/**
 * The secret last segment of the codec endpoint the Temporal Web UI is given (`…/codec/ui/<key>`): the UI's browser
 * code cannot send the operator token, so the endpoint itself is the credential, readable only by whoever can open
 * the UI. From CODEC_UI_KEY when set (production: every gateway and the UI's configuration share it); otherwise
 * generated once under the data directory, like `key-secret`.
 */
export function loadCodecUiKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'codec-ui-key');
  if (!fs.existsSync(file)) createOnce(file, randomBytes(32).toString('hex'));
  return fs.readFileSync(file, 'utf8').trim();
}
